"""Tender job: pay milestones whose delivery the brand left unanswered for 14 days. Each step
re-checks under the contract's and milestone's locks and pays under one key, so it is
idempotent and safe from beat and the in-process scheduler at once."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from tolpa.marketplace import services


@shared_task(name="marketplace.auto_release")
def auto_release_milestones() -> int:
    now = timezone.now()
    released = 0
    for milestone_id in list(services.auto_release_due(now=now)):
        with transaction.atomic():
            released += services.milestone_auto_release(milestone_id=milestone_id, now=now)
    return released
