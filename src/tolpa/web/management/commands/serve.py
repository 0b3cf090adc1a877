"""`tolpa serve`: the site plus periodic jobs. Without Redis the jobs run in a scheduler
thread in this process; with TOLPA_REDIS_URL set, run `tolpa worker` and `tolpa beat`."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tolpa.jobs import InProcessScheduler


class Command(BaseCommand):
    help = (
        "Serve Tolpa on 127.0.0.1:8000 with in-process periodic jobs when Redis is not configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            InProcessScheduler().start()
            self.stdout.write("Periodic jobs run in this process (no TOLPA_REDIS_URL).")
        call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)
