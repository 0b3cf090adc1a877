from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import expire
from tolpa.campaigns import services
from tolpa.campaigns.models import Campaign, Status
from tolpa.campaigns.tasks import close_due_campaigns
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.jobs import InProcessScheduler, run_job

pytestmark = pytest.mark.django_db


def test_create_is_a_draft_with_unique_slug_and_tags(make_campaign):
    first = make_campaign(launch=False, tags=["Logo", "logo ", "print"])
    second = make_campaign(launch=False)
    assert first.status == Status.DRAFT
    assert (first.slug, second.slug) == ("logo-for-a-bakery", "logo-for-a-bakery-2")
    assert sorted(t.name for t in first.tags.all()) == ["logo", "print"]


def test_create_refuses_strangers_bad_kind_and_bad_window(organization, user, owner):
    ends = timezone.now() + timedelta(days=3)
    with pytest.raises(PermissionDeniedError):
        services.campaign_create(
            actor=user, organization=organization, kind="ideas", title="x", ends_at=ends
        )
    with pytest.raises(InvalidInput):
        services.campaign_create(
            actor=owner, organization=organization, kind="lottery", title="x", ends_at=ends
        )
    with pytest.raises(InvalidInput):
        services.campaign_create(
            actor=owner,
            organization=organization,
            kind="ideas",
            title="x",
            ends_at=timezone.now() - timedelta(minutes=1),
        )
    with pytest.raises(InvalidInput):
        services.campaign_create(
            actor=owner,
            organization=organization,
            kind="ideas",
            title="x",
            ends_at=timezone.now() + timedelta(days=400),
        )
    with pytest.raises(InvalidInput):
        services.campaign_create(
            actor=owner,
            organization=organization,
            kind="ideas",
            title="x",
            ends_at=ends,
            tags=[f"t{i}" for i in range(11)],
        )
    with pytest.raises(InvalidInput):
        services.campaign_create(
            actor=owner, organization=organization, kind="ideas", title="", ends_at=ends
        )
    assert Campaign.objects.count() == 0


def test_launch_only_from_draft_and_only_by_members(make_campaign, owner, user):
    campaign = make_campaign(launch=False)
    with pytest.raises(PermissionDeniedError):
        services.campaign_launch(actor=user, campaign=campaign)
    live = services.campaign_launch(actor=owner, campaign=campaign)
    assert live.status == Status.LIVE
    assert live.starts_at is not None
    with pytest.raises(ConflictError):
        services.campaign_launch(actor=owner, campaign=live)


def test_deadline_is_enforced_before_any_job_runs(make_campaign):
    campaign = make_campaign()
    services.campaign_ensure_open(campaign=campaign)
    after_deadline = campaign.ends_at + timedelta(seconds=1)
    with pytest.raises(services.CampaignClosedError):
        services.campaign_ensure_open(campaign=campaign, now=after_deadline)
    with pytest.raises(services.CampaignClosedError):
        services.campaign_ensure_open(campaign=campaign, now=campaign.ends_at)
    assert campaign.status == Status.LIVE


def test_effective_status_is_closed_past_deadline(make_campaign):
    campaign = make_campaign()
    expire(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Status.LIVE
    assert campaign.effective_status == Status.CLOSED
    assert not campaign.is_open()


def test_not_started_campaign_is_refused(owner, organization):
    campaign = services.campaign_create(
        actor=owner,
        organization=organization,
        kind="survey",
        title="Later",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )
    campaign = services.campaign_launch(actor=owner, campaign=campaign)
    with pytest.raises(services.CampaignClosedError, match="not started"):
        services.campaign_ensure_open(campaign=campaign)


def test_close_due_is_idempotent(make_campaign):
    due = make_campaign(title="Due")
    running = make_campaign(title="Running")
    expire(due)
    assert close_due_campaigns() == 1
    assert close_due_campaigns() == 0
    assert run_job("campaigns.close_due") == 0
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.status, running.status) == (Status.CLOSED, Status.LIVE)
    assert due.closed_at is not None


def test_settle_only_after_close_and_only_once(make_campaign):
    campaign = make_campaign()
    assert services.campaign_settle(campaign_id=campaign.pk) is False
    expire(campaign)
    services.campaign_close(campaign_id=campaign.pk)
    assert services.campaign_settle(campaign_id=campaign.pk) is True
    assert services.campaign_settle(campaign_id=campaign.pk) is False


def test_cancel(make_campaign, owner):
    campaign = services.campaign_cancel(actor=owner, campaign=make_campaign())
    assert campaign.status == Status.CANCELLED
    with pytest.raises(ConflictError):
        services.campaign_cancel(actor=owner, campaign=campaign)


def test_in_process_scheduler_runs_due_jobs(make_campaign):
    due = make_campaign()
    expire(due)
    scheduler = InProcessScheduler()
    scheduler.tick(0)
    due.refresh_from_db()
    assert due.status == Status.CLOSED


def test_celery_beat_schedules_every_periodic_job():
    from tolpa.celery import app
    from tolpa.jobs import PERIODIC_JOBS

    app.loader.import_default_modules()
    app.finalize()
    scheduled = {entry["args"][0] for entry in app.conf.beat_schedule.values()}
    assert {job.name for job in PERIODIC_JOBS} <= scheduled
