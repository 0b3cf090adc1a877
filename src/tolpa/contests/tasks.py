"""Contest jobs: move contests through their rounds at the deadlines (which also splits an
unawarded guaranteed prize or refunds a refundable one) and close polls. Idempotent."""

from celery import shared_task
from django.db import transaction

from tolpa.contests import services, votes


@shared_task(name="contests.advance_due")
def advance_due_contests() -> int:
    moved = 0
    for contest_id in services.contests_due():
        with transaction.atomic():
            services.contest_advance(contest_id=contest_id)
        moved += 1
    return moved


@shared_task(name="contests.close_polls")
def close_due_polls() -> int:
    return votes.polls_close_due()
