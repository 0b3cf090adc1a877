"""`tolpa reputation refresh [--user ID ...]`: recompute and store crowd reputation now."""

from django.core.management.base import BaseCommand

from tolpa.accounts.reputation import reputation_refresh


class Command(BaseCommand):
    help = "Reputation maintenance. `refresh` recomputes stored scores from events."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument(
            "--user", type=int, action="append", dest="user_ids", metavar="ID",
            help="Only this account (repeatable); default: every active account.",
        )  # fmt: skip

    def handle(self, *args, **options):
        changed = reputation_refresh(options["user_ids"])
        self.stdout.write(self.style.SUCCESS(f"Reputation refreshed: {changed} accounts changed."))
