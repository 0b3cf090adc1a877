"""The `tolpa` console command: `tolpa demo`, `tolpa serve`, `tolpa worker`, `tolpa beat`,
and any Django management command (`tolpa migrate`, `tolpa createsuperuser`, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolpa.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "aggregate":
        from tolpa.aggregation.cli import main as aggregate_main

        sys.exit(aggregate_main(args[1:]))
    if args and args[0] == "worker":
        from tolpa.celery import app

        app.worker_main(["worker", "--loglevel=INFO", *args[1:]])
        return
    if args and args[0] == "beat":
        from tolpa.celery import app

        app.start(["beat", "--loglevel=INFO", *args[1:]])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tolpa", *args])


if __name__ == "__main__":
    main()
