"""For any sequence of funds, deliveries, accepts, change requests, disputes, operator
decisions (with any split) and job runs, money is conserved per milestone and overall:
funded = released + refunded + fees + still held, and nothing is paid twice."""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.marketplace.conftest import (
    brand_balance,
    call,
    escrow_balance,
    fee_balance,
    milestones,
    wallet,
)
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ledger import services as ledger
from tolpa.marketplace import services
from tolpa.marketplace.models import FINAL_STATUSES, HELD_STATUSES
from tolpa.marketplace.tasks import auto_release_milestones

ITEMS = 2
index = st.integers(0, ITEMS - 1)
operation = st.one_of(
    st.tuples(st.just("fund"), index, st.just(0)),
    st.tuples(st.just("deliver"), index, st.just(0)),
    st.tuples(st.just("accept"), index, st.just(0)),
    st.tuples(st.just("changes"), index, st.just(0)),
    st.tuples(st.just("dispute_brand"), index, st.just(0)),
    st.tuples(st.just("dispute_freelancer"), index, st.just(0)),
    st.tuples(st.just("decide_release"), index, st.just(0)),
    st.tuples(st.just("decide_refund"), index, st.just(0)),
    st.tuples(st.just("decide_split"), index, st.integers(-5, 30_000)),
    st.tuples(st.just("retry_pay"), index, st.just(0)),
    st.tuples(st.just("job"), st.just(0), st.integers(0, 20)),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(operations=st.lists(operation, max_size=14))
def test_escrow_conserves_money(contract, owner, freelancer, operator, brand, operations):
    with transaction.atomic():  # each example starts from the same contract
        _run(contract, owner, freelancer, operator, brand, operations)
        transaction.set_rollback(True)


def _apply(items, owner, freelancer, operator, name, i, value):
    milestone = items[i]
    if name == "fund":
        call(services.milestone_fund, actor=owner, milestone=milestone)
    elif name == "deliver":
        call(services.milestone_deliver, actor=freelancer, milestone=milestone, message="Here")
    elif name == "accept":
        call(services.milestone_accept, actor=owner, milestone=milestone)
    elif name == "changes":
        call(services.milestone_request_changes, actor=owner, milestone=milestone, feedback="More")
    elif name.startswith("dispute_"):
        actor = owner if name == "dispute_brand" else freelancer
        call(services.dispute_open, actor=actor, milestone=milestone, reason="Trouble")
    elif name.startswith("decide_"):
        decision = name.removeprefix("decide_")
        call(services.dispute_decide, actor=operator, milestone=milestone, decision=decision,
             freelancer_amount=value, brand_amount=milestone.amount - value)  # fmt: skip
    elif name == "retry_pay":  # a retried payment leg must not pay again
        milestone.refresh_from_db()
        if milestone.paid_amount:
            with transaction.atomic():
                services.contracts.pay_freelancer(
                    services.contracts.milestone_lock(milestone.pk), milestone.paid_amount
                )
    elif name == "job":
        with _days_later(value):
            auto_release_milestones()


@contextlib.contextmanager
def _days_later(days: int):
    from unittest import mock

    later = timezone.now() + timedelta(days=days)
    with mock.patch("tolpa.marketplace.tasks.timezone.now", return_value=later):
        yield


def _run(contract, owner, freelancer, operator, brand, operations):
    fees_before, brand_before = fee_balance(), brand_balance(brand)
    items = milestones(contract)
    for name, i, value in operations:
        with contextlib.suppress(ConflictError, InvalidInput):
            _apply(items, owner, freelancer, operator, name, i, value)
    funded = paid = fees = refunded = held = 0
    for milestone in contract.milestones.all():
        escrow = escrow_balance(milestone)
        share = milestone.amount if milestone.funded_at else 0
        assert share == milestone.paid_amount + milestone.refunded_amount + escrow
        assert milestone.fee_amount == ledger.fee_for(campaign_kind="tender",
                                                      amount=milestone.paid_amount)  # fmt: skip
        if milestone.status in FINAL_STATUSES:
            assert escrow == 0
        elif milestone.status in HELD_STATUSES:
            assert escrow == milestone.amount
        if milestone.auto_released:  # the job never pays a milestone that was disputed
            assert not hasattr(milestone, "dispute")
        funded += share
        paid += milestone.paid_amount
        fees += milestone.fee_amount
        refunded += milestone.refunded_amount
        held += escrow
    assert funded == paid + refunded + held
    assert brand_before - brand_balance(brand) == funded - refunded
    assert wallet(freelancer) == paid - fees
    assert fee_balance() - fees_before == fees
