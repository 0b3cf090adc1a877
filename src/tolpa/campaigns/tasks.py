"""Campaign jobs: thin, idempotent, safe to run from beat and the in-process scheduler at once."""

from celery import shared_task
from django.db import transaction

from tolpa.campaigns import services


@shared_task(name="campaigns.close_due_campaigns")
def close_due_campaigns() -> int:
    closed = 0
    for campaign_id in services.campaigns_due().values_list("pk", flat=True):
        with transaction.atomic():
            closed += services.campaign_close(campaign_id=campaign_id)
    return closed
