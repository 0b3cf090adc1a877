import pytest
from django.db import transaction

from tests.concurrency import run_in_parallel
from tests.crowdfunding.conftest import balance, end_now
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Outcome, Pledge, PledgeStatus
from tolpa.errors import ConflictError
from tolpa.ledger import services as ledger

pytestmark = pytest.mark.django_db(transaction=True)


def test_last_unit_of_a_tier_is_sold_once(project, backer):
    lamp = project.tiers.get(title="Lamp")
    with transaction.atomic():
        services.pledge_set(actor=backer(), project=project, amount=2_000, tier_id=lamp.pk)
    people = iter([backer() for _ in range(6)])

    def pledge():
        person = next(people)
        with transaction.atomic():
            return services.pledge_set(actor=person, project=project, amount=2_000, tier_id=lamp.pk)

    results = run_in_parallel(pledge, 6)
    assert sum(isinstance(r, Pledge) for r in results) == 1, results
    assert all(isinstance(r, ConflictError) for r in results if not isinstance(r, Pledge))
    lamp.refresh_from_db()
    assert lamp.claimed == 2


def test_parallel_settlement_runs_settle_once(project, backer, organization):
    people = [backer() for _ in range(4)]
    for person in people:
        with transaction.atomic():
            services.pledge_set(actor=person, project=project, amount=3_000)
    end_now(project)
    results = run_in_parallel(lambda: services.project_settle(project_id=project.pk), 4)
    assert results.count(True) >= 1
    assert not any(isinstance(r, Exception) for r in results), results
    brand = ledger.account_for_organization(organization=organization, currency="USD").balance
    assert brand == 12_000 - 12_000 * 500 // 10_000


class Crash(Exception):
    pass


def test_crash_mid_settlement_then_resume_equals_uninterrupted(project, backer, monkeypatch):
    monkeypatch.setattr(services, "SETTLEMENT_BATCH", 2)
    people = [backer() for _ in range(5)]
    for person in people:
        with transaction.atomic():
            services.pledge_set(actor=person, project=project, amount=1_000)
    end_now(project)
    batches = []

    def crash_after_first_batch(*, project_id, settled):
        batches.append(settled)
        if len(batches) == 1:
            raise Crash

    monkeypatch.setattr(services, "settlement_checkpoint", crash_after_first_batch)
    with pytest.raises(Crash):
        services.project_settle(project_id=project.pk)
    assert (
        Pledge.objects.filter(status=PledgeStatus.REFUNDED).count() == 2
    )  # the first batch committed
    monkeypatch.undo()
    monkeypatch.setattr(services, "SETTLEMENT_BATCH", 2)
    assert services.project_settle(project_id=project.pk) is True
    project.refresh_from_db()
    assert project.outcome == Outcome.FAILED
    assert all(balance(p) == 10_000 for p in people)
    assert set(Pledge.objects.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    assert ledger.account_escrow(reference=project.escrow_reference, currency="USD").balance == 0
    assert services.project_settle(project_id=project.pk) is False
