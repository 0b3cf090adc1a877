"""Stateful property test of assignment: whatever order workers take, answer, release, skip
or let leases lapse, and the brand approves or rejects, no task ever has more live answers
than it needs, nobody holds one task twice, and the money matches the approvals."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tolpa.accounts.models import User
from tolpa.accounts.services import organization_create
from tolpa.errors import ServiceError
from tolpa.ledger import services as ledger
from tolpa.ledger.models import TransferKind
from tolpa.ledger.verify import ledger_verify
from tolpa.microtasks import review, services
from tolpa.microtasks.models import Assignment, AssignmentStatus, Task

WORKERS = 4
REWARD = 100


class AssignmentMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        tag = uuid.uuid4().hex[:8]
        self.owner = User.objects.create(email=f"o-{tag}@example.com", display_name="Owner")
        organization = organization_create(owner=self.owner, name=f"Brand {tag}")
        wallet = ledger.account_for_organization(organization=organization, currency="USD")
        ledger.move(source=ledger.account_external(provider="sandbox", currency="USD"), destination=wallet,
                    amount=1_000_000, key=f"fund-{tag}", kind=TransferKind.DEPOSIT)  # fmt: skip
        self.project = services.project_create(actor=self.owner, organization=organization, title=f"P {tag}",
                                               template="classify", labels=["a", "b"], currency="USD",
                                               reward=REWARD, overlap=2, gold_rate=0)  # fmt: skip
        rows = "id,image\n" + "".join(f"t{i},https://x/{i}.jpg\n" for i in range(3))
        batch = services.batch_create(actor=self.owner, project=self.project, name="b",
                                      upload=SimpleUploadedFile("t.csv", rows.encode()))  # fmt: skip
        self.batch = services.batch_launch(actor=self.owner, batch=batch)
        self.workers = [
            User.objects.create(email=f"w{i}-{tag}@example.com", display_name=f"W{i}")
            for i in range(WORKERS)
        ]
        self.approved: dict[int, int] = dict.fromkeys(range(WORKERS), 0)

    def _try(self, call):
        try:
            with transaction.atomic():
                return call()
        except ServiceError:
            return None

    def _lease_of(self, who: int) -> Assignment | None:
        return Assignment.objects.filter(
            worker=self.workers[who], status=AssignmentStatus.LEASED
        ).first()

    @rule(who=st.integers(0, WORKERS - 1))
    def take(self, who):
        self._try(lambda: services.next_task(worker=self.workers[who], project=self.project))

    @rule(who=st.integers(0, WORKERS - 1), label=st.sampled_from(["a", "b"]))
    def answer(self, who, label):
        lease = (
            self._lease_of(who)
            or Assignment.objects.filter(
                worker=self.workers[who], status=AssignmentStatus.EXPIRED
            ).first()
        )
        if lease:
            self._try(
                lambda: services.submit(
                    worker=self.workers[who], assignment=lease, answer={"label": label}
                )
            )

    @rule(who=st.integers(0, WORKERS - 1), skip=st.booleans())
    def give_back(self, who, skip):
        lease = self._lease_of(who)
        if lease:
            self._try(
                lambda: services.give_back(worker=self.workers[who], assignment=lease, skip=skip)
            )

    @rule(who=st.integers(0, WORKERS - 1))
    def lease_lapses(self, who):
        lease = self._lease_of(who)
        if lease:
            Assignment.objects.filter(pk=lease.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            if who % 2:
                services.leases_expire()

    @rule(approve=st.booleans(), pick=st.integers(0, 20))
    def review(self, approve, pick):
        waiting = list(Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).order_by("pk"))
        if not waiting:
            return
        chosen = waiting[pick % len(waiting)]
        if approve:
            if self._try(lambda: review.approve(actor=self.owner, assignment=chosen)):
                self.approved[self.workers.index(chosen.worker)] += 1
        else:
            self._try(lambda: review.reject(actor=self.owner, assignment=chosen, reason="no"))

    @invariant()
    def overlap_holds_and_money_matches(self):
        now = timezone.now()
        live = Q(assignments__status__in=services.LIVE_ANSWERS) | Q(
            assignments__status=AssignmentStatus.LEASED, assignments__expires_at__gt=now
        )
        for task in Task.objects.annotate(live=Count("assignments", filter=live)):
            assert task.live <= task.answers_needed
            accepted = task.assignments.filter(status__in=services.LIVE_ANSWERS).count()
            assert task.accepted == accepted
        pairs = Assignment.objects.values("task", "worker").annotate(n=Count("pk"))
        assert all(row["n"] == 1 for row in pairs)
        for i, person in enumerate(self.workers):
            assert (
                ledger.account_for_user(user=person, currency="USD").balance
                == self.approved[i] * REWARD
            )
        escrow = ledger.account_escrow(
            reference=self.batch.escrow_reference, currency="USD"
        ).balance
        assert escrow == self.batch.budget - sum(self.approved.values()) * services.cost_per_answer(
            self.project
        )
        assert ledger_verify().ok


@pytest.mark.django_db
class TestAssignmentInvariants(TestCase):
    def test_assignment_state_machine(self):
        run_state_machine_as_test(
            AssignmentMachine,
            settings=settings(max_examples=25, stateful_step_count=25, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow]),
        )  # fmt: skip
