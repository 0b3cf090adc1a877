"""Stateful property test: escrow always equals the live pledges; after settlement the
escrow is empty and each backer was charged or refunded exactly once."""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tolpa.accounts.models import User
from tolpa.accounts.services import organization_create
from tolpa.campaigns.models import Campaign
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Outcome, PledgeStatus
from tolpa.errors import ServiceError
from tolpa.ledger import payments
from tolpa.ledger import services as ledger
from tolpa.ledger.verify import ledger_verify

START = 10_000


class FundingMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        tag = uuid.uuid4().hex[:8]
        owner = User.objects.create(email=f"o-{tag}@example.com", display_name="Owner")
        self.organization = organization_create(owner=owner, name=f"Brand {tag}")
        self.project = services.project_create(actor=owner, organization=self.organization, title=f"P {tag}",
                                               goal=8_000, currency="USD", duration_days=10)  # fmt: skip
        self.tier = services.tier_create(actor=owner, project=self.project, title="Limited", minimum=1_000,
                                         quantity_limit=2)  # fmt: skip
        services.project_launch(actor=owner, project=self.project)
        self.backers = [
            User.objects.create(email=f"b{i}-{tag}@example.com", display_name=f"B{i}")
            for i in range(4)
        ]
        for person in self.backers:
            payments.deposit_start(actor=person, account=ledger.account_for_user(user=person, currency="USD"),
                                   amount=START, provider="sandbox", details={"card_number": "4242424242424242"})  # fmt: skip
        self.live: dict[int, int] = {}
        self.settled = False

    def _escrow(self) -> int:
        return ledger.account_escrow(
            reference=self.project.escrow_reference, currency="USD"
        ).balance

    def _try(self, call) -> bool:
        try:
            with transaction.atomic():
                call()
        except ServiceError:
            return False
        return True

    @precondition(lambda self: not self.settled)
    @rule(who=st.integers(0, 3), amount=st.integers(1, 6_000), with_tier=st.booleans())
    def pledge(self, who, amount, with_tier):
        person = self.backers[who]
        tier_id = self.tier.pk if with_tier else None
        if self._try(
            lambda: services.pledge_set(
                actor=person, project=self.project, amount=amount, tier_id=tier_id
            )
        ):
            self.live[who] = amount

    @precondition(lambda self: not self.settled)
    @rule(who=st.integers(0, 3))
    def cancel(self, who):
        if self._try(lambda: services.pledge_cancel(actor=self.backers[who], project=self.project)):
            self.live.pop(who)

    @precondition(lambda self: not self.settled)
    @rule()
    def deadline_and_settle(self):
        now = timezone.now()
        Campaign.objects.filter(pk=self.project.campaign_id).update(
            starts_at=now - timedelta(days=11), ends_at=now - timedelta(seconds=1)
        )
        services.project_settle(project_id=self.project.pk)
        services.project_settle(project_id=self.project.pk)
        self.settled = True

    @precondition(lambda self: self.settled)
    @rule(who=st.integers(0, 3), amount=st.integers(1, 6_000))
    def late_changes_are_refused(self, who, amount):
        person = self.backers[who]
        assert not self._try(
            lambda: services.pledge_set(actor=person, project=self.project, amount=amount)
        )
        assert not self._try(lambda: services.pledge_cancel(actor=person, project=self.project))
        assert services.project_settle(project_id=self.project.pk) is False

    @invariant()
    def money_is_where_it_should_be(self):
        self.project.refresh_from_db()
        balances = [ledger.account_for_user(user=p, currency="USD").balance for p in self.backers]
        if not self.settled:
            assert self._escrow() == sum(self.live.values())
            assert self.project.raised == sum(self.live.values())
            assert balances == [START - self.live.get(i, 0) for i in range(4)]
            self.tier.refresh_from_db()
            assert self.tier.claimed <= 2
        else:
            assert self._escrow() == 0
            funded = self.project.outcome == Outcome.FUNDED
            assert funded == (sum(self.live.values()) >= 8_000)
            expected_status = PledgeStatus.CHARGED if funded else PledgeStatus.REFUNDED
            for i, person in enumerate(self.backers):
                statuses = list(self.project.pledges.filter(backer=person).exclude(status=PledgeStatus.CANCELLED)
                                .values_list("status", flat=True))  # fmt: skip
                assert statuses == ([expected_status] if i in self.live else [])
                assert balances[i] == (START - self.live.get(i, 0) if funded else START)
        assert ledger_verify().ok


@pytest.mark.django_db
class TestFundingInvariants(TestCase):
    def test_pledges_changes_cancels_and_settlement(self):
        run_state_machine_as_test(
            FundingMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
