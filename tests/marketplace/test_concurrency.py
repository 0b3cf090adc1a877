"""Parallel accepts, accept against the auto-release job, and parallel funding, on real
parallel connections (PostgreSQL; SQLite serializes writers)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.concurrency import run_in_parallel
from tests.marketplace.conftest import FUNDS, brand_balance, call, milestones, wallet
from tolpa.errors import ConflictError
from tolpa.ledger.models import Transfer
from tolpa.marketplace import services
from tolpa.marketplace.models import Milestone, MilestoneStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _delivered(contract, owner, freelancer) -> Milestone:
    first = milestones(contract)[0]
    call(services.milestone_fund, actor=owner, milestone=first)
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="Done")
    first.refresh_from_db()
    return first


def _payouts(milestone) -> int:
    return Transfer.objects.filter(idempotency_key=f"{milestone.escrow_reference}:payee").count()


def test_six_parallel_accepts_pay_once(contract, owner, freelancer):
    first = _delivered(contract, owner, freelancer)
    results = run_in_parallel(
        lambda: call(services.milestone_accept, actor=owner, milestone=first), 6
    )
    assert sum(isinstance(r, Milestone) for r in results) == 1, results
    assert all(isinstance(r, ConflictError) for r in results if not isinstance(r, Milestone))
    assert _payouts(first) == 1
    assert wallet(freelancer) == 20_000 - 2_000


def test_accept_against_auto_release_pays_once(contract, owner, freelancer):
    first = _delivered(contract, owner, freelancer)
    later = timezone.now() + timedelta(days=15)
    calls = iter(
        [lambda: call(services.milestone_accept, actor=owner, milestone=first)] * 3
        + [lambda: call(services.milestone_auto_release, milestone_id=first.pk, now=later)] * 3
    )
    results = run_in_parallel(lambda: next(calls)(), 6)
    assert not any(isinstance(r, Exception) and not isinstance(r, ConflictError) for r in results)
    first.refresh_from_db()
    assert first.status == MilestoneStatus.RELEASED
    assert _payouts(first) == 1
    assert wallet(freelancer) == 20_000 - 2_000


def test_parallel_funding_holds_once(contract, owner, brand):
    first = milestones(contract)[0]
    results = run_in_parallel(
        lambda: call(services.milestone_fund, actor=owner, milestone=first), 6
    )
    assert all(isinstance(r, Milestone) for r in results), results
    assert brand_balance(brand) == FUNDS - 20_000


def test_two_jobs_at_once_release_once(contract, owner, freelancer):
    from unittest import mock

    from tolpa.marketplace.tasks import auto_release_milestones

    first = _delivered(contract, owner, freelancer)
    later = timezone.now() + timedelta(days=15)
    with mock.patch("tolpa.marketplace.tasks.timezone.now", return_value=later):
        results = run_in_parallel(auto_release_milestones, 4)
    assert sum(results) == 1, results
    assert _payouts(first) == 1
    with transaction.atomic():
        assert Milestone.objects.get(pk=first.pk).auto_released


def test_accept_racing_a_dispute_never_does_both(contract, owner, freelancer):
    first = _delivered(contract, owner, freelancer)
    calls = iter(
        [lambda: call(services.milestone_accept, actor=owner, milestone=first)] * 3
        + [lambda: call(services.dispute_open, actor=freelancer, milestone=first, reason="No")] * 3
    )
    results = run_in_parallel(lambda: next(calls)(), 6)
    assert not any(isinstance(r, Exception) and not isinstance(r, ConflictError) for r in results)
    first.refresh_from_db()
    if first.status == MilestoneStatus.RELEASED:
        assert not hasattr(first, "dispute")
        assert _payouts(first) == 1
    else:
        assert first.status == MilestoneStatus.DISPUTED
        assert _payouts(first) == 0
        assert wallet(freelancer) == 0


def test_parallel_proposals_by_one_person_make_one(make_tender, freelancer):
    from tests.marketplace.conftest import propose
    from tolpa.marketplace.models import Proposal

    tender = make_tender()
    results = run_in_parallel(lambda: propose(tender, freelancer), 6)
    assert sum(isinstance(r, Proposal) for r in results) == 1, results
    assert Proposal.objects.filter(tender=tender).count() == 1
    tender.refresh_from_db()
    assert tender.proposals_count == 1
