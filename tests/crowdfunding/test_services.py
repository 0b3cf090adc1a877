import pytest
from django.db import transaction
from django.utils import timezone

from tests.crowdfunding.conftest import balance, end_now
from tolpa.campaigns.models import Status
from tolpa.campaigns.services import CampaignClosedError
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import FundingModel, Outcome, Pledge, PledgeStatus, Project
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db


def escrow(project) -> int:
    return ledger.account_escrow(reference=project.escrow_reference, currency="USD").balance


def tier(project, title):
    return project.tiers.get(title=title)


@pytest.mark.parametrize(("field", "value"), [("duration_days", 61), ("duration_days", 0), ("goal", 0),
                                               ("goal", -5), ("currency", "ABC")])  # fmt: skip
def test_create_refuses_bad_values(owner, organization, field, value):
    data = {"title": "X", "goal": 100, "currency": "USD", "duration_days": 10, field: value}
    with pytest.raises(InvalidInput):
        services.project_create(actor=owner, organization=organization, **data)
    assert not Project.objects.exists()


def test_launch_sets_deadline_from_duration(project):
    assert project.campaign.status == Status.LIVE
    days = (project.campaign.ends_at - timezone.now()).days
    assert 29 <= days <= 30


def test_pledge_holds_money_and_counts(project, backer):
    alice = backer()
    services.pledge_set(
        actor=alice, project=project, amount=2_500, tier_id=tier(project, "Lamp").pk
    )
    project.refresh_from_db()
    assert (project.raised, project.backers_count, escrow(project), balance(alice)) == (
        2_500,
        1,
        2_500,
        7_500,
    )
    assert tier(project, "Lamp").claimed == 1
    assert project.campaign.__class__.objects.get(pk=project.campaign_id).participants_count == 1


def test_pledge_rules(project, backer, owner):
    alice = backer(amount=1_000)
    with pytest.raises(InvalidInput):
        services.pledge_set(
            actor=alice, project=project, amount=400, tier_id=tier(project, "Thanks").pk
        )
    with pytest.raises(ledger.InsufficientFundsError), transaction.atomic():
        services.pledge_set(actor=alice, project=project, amount=5_000)
    with pytest.raises(PermissionDeniedError):
        services.pledge_set(actor=owner, project=project, amount=500)
    with pytest.raises(InvalidInput):
        services.pledge_set(actor=alice, project=project, amount=0)
    assert not Pledge.objects.exists()
    assert balance(alice) == 1_000


def test_change_pledge_holds_or_returns_the_difference(project, backer):
    alice = backer()
    services.pledge_set(
        actor=alice, project=project, amount=2_000, tier_id=tier(project, "Lamp").pk
    )
    services.pledge_set(
        actor=alice, project=project, amount=3_000, tier_id=tier(project, "Lamp").pk
    )
    assert (escrow(project), balance(alice)) == (3_000, 7_000)
    services.pledge_set(
        actor=alice, project=project, amount=600, tier_id=tier(project, "Thanks").pk
    )
    assert (escrow(project), balance(alice)) == (600, 9_400)
    assert (tier(project, "Lamp").claimed, tier(project, "Thanks").claimed) == (0, 1)
    assert Pledge.objects.filter(backer=alice).count() == 1


def test_limited_tier_sells_out(project, backer):
    lamp = tier(project, "Lamp").pk
    services.pledge_set(actor=backer(), project=project, amount=2_000, tier_id=lamp)
    services.pledge_set(actor=backer(), project=project, amount=2_000, tier_id=lamp)
    with pytest.raises(ConflictError, match="sold out"):
        services.pledge_set(actor=backer(), project=project, amount=2_000, tier_id=lamp)


def test_cancel_returns_everything(project, backer):
    alice = backer()
    services.pledge_set(
        actor=alice, project=project, amount=2_000, tier_id=tier(project, "Lamp").pk
    )
    services.pledge_cancel(actor=alice, project=project)
    project.refresh_from_db()
    assert (project.raised, escrow(project), balance(alice), tier(project, "Lamp").claimed) == (
        0,
        0,
        10_000,
        0,
    )
    with pytest.raises(NotFoundError):
        services.pledge_cancel(actor=alice, project=project)


def test_deadline_refuses_pledges_changes_and_cancels(project, backer):
    alice = backer()
    services.pledge_set(actor=alice, project=project, amount=1_000)
    end_now(project)
    with pytest.raises(CampaignClosedError):
        services.pledge_set(actor=alice, project=project, amount=2_000)
    with pytest.raises(CampaignClosedError):
        services.pledge_cancel(actor=alice, project=project)
    with pytest.raises(CampaignClosedError):
        services.pledge_set(actor=backer(), project=project, amount=2_000)
    assert escrow(project) == 1_000


def test_unlaunched_campaign_refuses_pledges(owner, organization, backer):
    draft = services.project_create(actor=owner, organization=organization, title="Draft", goal=100,
                                    currency="USD", duration_days=5)  # fmt: skip
    with pytest.raises(CampaignClosedError):
        services.pledge_set(actor=backer(), project=draft, amount=100)


def test_funded_settlement_releases_less_fee_once(project, backer, organization, settings):
    settings.TOLPA_FEE_BASIS_POINTS = {"crowdfunding": 500}
    alice, bob = backer(), backer()
    services.pledge_set(actor=alice, project=project, amount=6_000)
    services.pledge_set(actor=bob, project=project, amount=4_000)
    assert services.project_settle(project_id=project.pk) is False
    end_now(project)
    assert services.project_settle(project_id=project.pk) is True
    assert services.project_settle(project_id=project.pk) is False
    project.refresh_from_db()
    brand = ledger.account_for_organization(organization=organization, currency="USD").balance
    assert (project.outcome, escrow(project), brand) == (Outcome.FUNDED, 0, 9_500)
    assert set(project.pledges.values_list("status", flat=True)) == {PledgeStatus.CHARGED}
    assert project.campaign.__class__.objects.get(pk=project.campaign_id).status == Status.SETTLED
    assert ledger_verify().ok


def test_missed_goal_refunds_everyone_in_batches(project, backer, monkeypatch):
    monkeypatch.setattr(services, "SETTLEMENT_BATCH", 2)
    people = [backer() for _ in range(5)]
    for person in people:
        services.pledge_set(actor=person, project=project, amount=1_000)
    end_now(project)
    services.project_settle(project_id=project.pk)
    project.refresh_from_db()
    assert project.outcome == Outcome.FAILED
    assert all(balance(p) == 10_000 for p in people)
    assert escrow(project) == 0
    assert set(project.pledges.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}


def test_flexible_funding_keeps_what_was_raised(owner, organization, backer):
    project = services.project_create(actor=owner, organization=organization, title="Flex", goal=100_000,
                                      currency="USD", duration_days=5, funding_model=FundingModel.FLEXIBLE)  # fmt: skip
    services.project_launch(actor=owner, project=project)
    services.pledge_set(actor=backer(), project=project, amount=1_000)
    end_now(project)
    services.project_settle(project_id=project.pk)
    project.refresh_from_db()
    assert project.outcome == Outcome.FUNDED
    assert escrow(project) == 0


def test_update_edit_window(project, owner, user):
    update = services.update_post(
        actor=owner, project=project, title="News", body="Hi", audience="public"
    )
    services.update_edit(actor=owner, update=update, title="News!", body="Hi again")
    with pytest.raises(PermissionDeniedError):
        services.update_post(actor=user, project=project, title="x", body="y", audience="public")
    type(update).objects.filter(pk=update.pk).update(
        created_at=timezone.now() - services.UPDATE_EDIT_WINDOW * 2
    )
    update.refresh_from_db()
    with pytest.raises(ConflictError):
        services.update_edit(actor=owner, update=update, title="Too late", body="x")
    with pytest.raises(InvalidInput):
        services.update_post(actor=owner, project=project, title="x", body="y", audience="secret")


def test_spending_after_funding_in_campaign_currency(project, backer, owner):
    category = project.spending_plan.get(name="Parts")
    with pytest.raises(ConflictError):
        services.spending_record(actor=owner, project=project, category_id=category.pk, amount=100, currency="USD",
                                 description="Too early", spent_on=timezone.now().date())  # fmt: skip
    services.pledge_set(actor=backer(amount=20_000), project=project, amount=10_000)
    end_now(project)
    services.project_settle(project_id=project.pk)
    project.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.spending_record(actor=owner, project=project, category_id=category.pk, amount=100, currency="EUR",
                                 description="Wrong currency", spent_on=timezone.now().date())  # fmt: skip
    entry = services.spending_record(actor=owner, project=project, category_id=category.pk, amount=2_500,
                                     currency="usd", description="LEDs", spent_on=timezone.now().date())  # fmt: skip
    assert entry.currency == "USD"


def test_fulfilment_survey(project, backer, owner):
    alice = backer()
    services.pledge_set(
        actor=alice, project=project, amount=10_000, tier_id=tier(project, "Lamp").pk
    )
    end_now(project)
    services.project_settle(project_id=project.pk)
    fulfilment = services.fulfilment_answer(
        actor=alice, project=project, address="1 Main St", choice="blue"
    )
    assert fulfilment.status == "ready"
    services.fulfilment_set_status(actor=owner, fulfilment=fulfilment, status="shipped")
    with pytest.raises(NotFoundError):
        services.fulfilment_answer(actor=backer(), project=project, address="x", choice="y")
