"""Periodic jobs shared by Celery beat (production) and the in-process scheduler
(embedded default). Each job is an idempotent function that returns how many
objects it changed, so running it twice or from two places is harmless."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    function_path: str

    @property
    def function(self) -> Callable[[], int]:
        return import_string(self.function_path)


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob("campaigns.close_due", 30, "tolpa.campaigns.tasks.close_due_campaigns"),
    PeriodicJob("crowdfunding.settle_due", 30, "tolpa.crowdfunding.tasks.settle_due_projects"),
    PeriodicJob("contests.advance_due", 30, "tolpa.contests.tasks.advance_due_contests"),
    PeriodicJob("contests.close_polls", 30, "tolpa.contests.tasks.close_due_polls"),
    PeriodicJob("microtasks.expire_leases", 30, "tolpa.microtasks.tasks.expire_leases"),
    PeriodicJob("microtasks.auto_approve", 300, "tolpa.microtasks.tasks.auto_approve"),
    PeriodicJob("microtasks.close_batches", 60, "tolpa.microtasks.tasks.close_batches"),
    PeriodicJob("surveys.close_due", 60, "tolpa.surveys.tasks.close_due_surveys"),
    PeriodicJob("marketplace.auto_release", 300, "tolpa.marketplace.tasks.auto_release_milestones"),
    PeriodicJob("shop.finish_due_orders", 300, "tolpa.marketplace.shop.tasks.finish_due_orders"),
    PeriodicJob("ledger.sandbox_settle", 10, "tolpa.ledger.tasks.sandbox_settle"),
    PeriodicJob("ledger.verify", 3600, "tolpa.ledger.tasks.verify_ledger"),
    PeriodicJob("community.remind_deadlines", 3600, "tolpa.community.tasks.remind_deadlines"),
    PeriodicJob("accounts.refresh_reputation", 600, "tolpa.accounts.tasks.refresh_reputation"),
]


def run_job(name: str) -> int:
    job = next(j for j in PERIODIC_JOBS if j.name == name)
    return job.function()


class InProcessScheduler(threading.Thread):
    """Runs every periodic job on its interval in a daemon thread (no Redis needed)."""

    def __init__(self, tick_seconds: float = 1.0):
        super().__init__(name="tolpa-scheduler", daemon=True)
        self.tick_seconds = tick_seconds
        self.stopped = threading.Event()
        self._elapsed: dict[str, float] = {
            job.name: float(job.every_seconds) for job in PERIODIC_JOBS
        }

    def run(self) -> None:
        while not self.stopped.wait(self.tick_seconds):
            close_old_connections()
            try:
                self.tick(self.tick_seconds)
            finally:
                close_old_connections()

    def tick(self, seconds: float) -> None:
        for job in PERIODIC_JOBS:
            self._elapsed[job.name] += seconds
            if self._elapsed[job.name] < job.every_seconds:
                continue
            self._elapsed[job.name] = 0.0
            try:
                changed = job.function()
            except Exception:
                logger.exception("periodic job %s failed", job.name)
            else:
                if changed:
                    logger.info("periodic job %s changed %s objects", job.name, changed)

    def stop(self) -> None:
        self.stopped.set()
