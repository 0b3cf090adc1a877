"""Account jobs: keep the stored reputation in step with what the crowd did."""

from celery import shared_task

from tolpa.accounts.reputation import reputation_refresh


@shared_task(name="accounts.refresh_reputation")
def refresh_reputation() -> int:
    """Every active account, in batches: events live in five apps, so a full pass is simpler
    and safer than tracking what changed (an unvote or a refund leaves no timestamp)."""
    return reputation_refresh()
