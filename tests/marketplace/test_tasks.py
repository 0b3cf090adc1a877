from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests.marketplace.conftest import call, milestones, wallet
from tolpa.jobs import PERIODIC_JOBS
from tolpa.ledger.models import Transfer
from tolpa.marketplace import services
from tolpa.marketplace.models import MilestoneStatus
from tolpa.marketplace.tasks import auto_release_milestones

pytestmark = pytest.mark.django_db


def _at(days: int):
    return mock.patch(
        "tolpa.marketplace.tasks.timezone.now", return_value=timezone.now() + timedelta(days=days)
    )


def test_job_is_listed():
    assert "marketplace.auto_release" in {job.name for job in PERIODIC_JOBS}


def test_job_releases_unanswered_deliveries_once_and_never_disputed(contract, owner, freelancer):
    first, second = milestones(contract)
    for milestone in (first, second):
        call(services.milestone_fund, actor=owner, milestone=milestone)
        call(services.milestone_deliver, actor=freelancer, milestone=milestone, message="Done")
    call(services.dispute_open, actor=owner, milestone=second, reason="Wrong language")
    with _at(13):
        assert auto_release_milestones() == 0
    with _at(15):
        assert auto_release_milestones() == 1
        assert auto_release_milestones() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.auto_released) == (MilestoneStatus.RELEASED, True)
    assert second.status == MilestoneStatus.DISPUTED
    assert wallet(freelancer) == 20_000 - 2_000
    assert Transfer.objects.filter(idempotency_key__endswith=":payee").count() == 1
