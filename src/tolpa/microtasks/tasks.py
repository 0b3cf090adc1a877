"""Microtask jobs, each idempotent: lapse leases, auto-approve answers past the review
delay, start closing finished batches, and close them (returning unused budget)."""

from celery import shared_task
from django.db import transaction

from tolpa.microtasks import review, services
from tolpa.microtasks.models import Assignment, Batch, BatchStatus


@shared_task(name="microtasks.expire_leases")
def expire_leases() -> int:
    return services.leases_expire()


@shared_task(name="microtasks.auto_approve")
def auto_approve() -> int:
    due = services.approvals_due()
    for assignment_id in due:
        with transaction.atomic():
            review.approve(actor=None, assignment=Assignment(pk=assignment_id))
    return len(due)


@shared_task(name="microtasks.close_batches")
def close_batches() -> int:
    with transaction.atomic():
        services.batches_done()
    closed = 0
    for batch_id in Batch.objects.filter(status=BatchStatus.CLOSING).values_list("pk", flat=True):
        with transaction.atomic():
            closed += services.batch_finish(batch_id=batch_id)
    return closed
