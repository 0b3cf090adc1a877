"""Celery app. Beat runs every periodic job listed in `tolpa.jobs.PERIODIC_JOBS`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolpa.settings")

app = Celery("tolpa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_jobs(sender, **_kwargs):
    from tolpa.jobs import PERIODIC_JOBS

    for job in PERIODIC_JOBS:
        sender.add_periodic_task(
            job.every_seconds,
            sender.signature("tolpa.run_periodic_job", args=[job.name]),
            name=job.name,
        )


@app.task(name="tolpa.run_periodic_job")
def run_periodic_job(name: str) -> int:
    from tolpa.jobs import run_job

    return run_job(name)
