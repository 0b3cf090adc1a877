"""Stateful property test: any sequence of money operations, including failures and
retries, keeps the books balanced, no wallet negative, and each balance as expected."""

import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tolpa.accounts.models import User
from tolpa.errors import ServiceError
from tolpa.ledger import payments, services
from tolpa.ledger.models import Account, AccountKind
from tolpa.ledger.verify import ledger_verify

AMOUNTS = st.integers(min_value=1, max_value=5_000)
USERS = st.integers(min_value=0, max_value=2)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        tag = uuid.uuid4().hex[:10]
        self.users = [
            User.objects.create(email=f"{tag}-{i}@example.com", display_name=f"U{i}")
            for i in range(3)
        ]
        self.wallets = [services.account_for_user(user=u, currency="USD") for u in self.users]
        self.escrow = services.account_escrow(reference=f"campaign:{tag}", currency="USD")
        self.expected = {w.pk: 0 for w in self.wallets} | {self.escrow.pk: 0}
        self.held = dict.fromkeys(range(3), 0)
        self.steps = 0
        self.last_call = None

    def _key(self, name: str) -> str:
        self.steps += 1
        return f"{name}-{self.escrow.code}-{self.steps}"

    def _run(self, call):
        """Run one operation in its own transaction; a refused one must change nothing."""
        before = dict(Account.objects.filter(pk__in=self.expected).values_list("pk", "balance"))
        try:
            with transaction.atomic():
                result = call()
        except ServiceError:
            after = dict(Account.objects.filter(pk__in=self.expected).values_list("pk", "balance"))
            assert before == after
            return None
        self.last_call = call
        return result

    @rule(who=USERS, amount=AMOUNTS, card=st.sampled_from(["4242424242424242", "4000000000000002"]))
    def top_up_by_card(self, who, amount, card):
        key = self._key("topup")
        deposit = self._run(lambda: payments.deposit_start(
            actor=self.users[who], account=self.wallets[who], amount=amount, provider="sandbox",
            details={"card_number": card}, request_key=key,
        )[0])  # fmt: skip
        if deposit is not None and deposit.status == "succeeded":
            self.expected[self.wallets[who].pk] += amount

    @rule(who=USERS, amount=AMOUNTS)
    def pledge(self, who, amount):
        key = self._key("hold")
        if self._run(
            lambda: services.hold(
                source=self.wallets[who], escrow=self.escrow, amount=amount, key=key
            )
        ):
            self.expected[self.wallets[who].pk] -= amount
            self.expected[self.escrow.pk] += amount
            self.held[who] += amount

    @rule(who=USERS, amount=AMOUNTS)
    def pay_winner(self, who, amount):
        key = self._key("release")
        if self._run(lambda: services.release(
            escrow=self.escrow, payee=self.wallets[who], amount=amount, key=key, campaign_kind="ideas"
        )):  # fmt: skip
            self.expected[self.escrow.pk] -= amount
            self.expected[self.wallets[who].pk] += amount
            self.held = (
                dict.fromkeys(self.held, 0) if self.expected[self.escrow.pk] == 0 else self.held
            )

    @rule(who=USERS)
    def cancel_pledge(self, who):
        key = self._key("refund-one")
        owed = services.escrow_contributions(escrow=self.escrow).get(self.wallets[who].pk, 0)
        amount = min(owed, self.expected[self.escrow.pk])
        if amount and self._run(
            lambda: services.refund(
                escrow=self.escrow, payer=self.wallets[who], amount=amount, key=key
            )
        ):
            self.expected[self.escrow.pk] -= amount
            self.expected[self.wallets[who].pk] += amount

    @rule(who=USERS, amount=AMOUNTS, fails=st.booleans())
    def withdraw(self, who, amount, fails):
        destination = "FAIL-0001" if fails else "DE89 3704 0044"
        key = self._key("withdraw")
        withdrawal = self._run(lambda: payments.withdrawal_request(
            actor=self.users[who], account=self.wallets[who], amount=amount, destination=destination,
            request_key=key,
        ))  # fmt: skip
        if withdrawal is not None and withdrawal.status != "failed":
            self.expected[self.wallets[who].pk] -= amount
        if withdrawal is not None:
            self._run(lambda: payments.withdrawal_complete(withdrawal_id=withdrawal.pk))

    @rule()
    def retry_last_operation(self):
        """Retrying a committed operation with its key must not move money again."""
        if self.last_call is None:
            return
        before = dict(Account.objects.filter(pk__in=self.expected).values_list("pk", "balance"))
        self._run(self.last_call)
        after = dict(Account.objects.filter(pk__in=self.expected).values_list("pk", "balance"))
        assert before == after

    @invariant()
    def balances_match_and_books_balance(self):
        actual = dict(Account.objects.filter(pk__in=self.expected).values_list("pk", "balance"))
        assert actual == self.expected
        assert not Account.objects.exclude(kind=AccountKind.EXTERNAL).filter(balance__lt=0).exists()
        assert ledger_verify().ok


@pytest.mark.django_db
class TestLedgerInvariants(TestCase):
    def test_any_sequence_keeps_the_books(self):
        run_state_machine_as_test(
            LedgerMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
