import pytest
from django.db import transaction

from tolpa.crowdfunding import services
from tolpa.ledger import payments
from tolpa.ledger import services as ledger


@pytest.fixture
def project(owner, organization):
    with transaction.atomic():
        project = services.project_create(
            actor=owner, organization=organization, title="Solar lamps", goal=10_000, currency="USD",
            duration_days=30, story="Light for schools", spending_plan=[("Parts", 6_000), ("Shipping", 4_000)],
        )  # fmt: skip
        services.tier_create(
            actor=owner, project=project, title="Lamp", minimum=2_000, quantity_limit=2
        )
        services.tier_create(actor=owner, project=project, title="Thanks", minimum=500)
        services.project_launch(actor=owner, project=project)
    project.refresh_from_db()
    return project


@pytest.fixture
def backer(make_user):
    """A crowd member with 100.00 USD in the wallet."""

    def make(amount=10_000, **kwargs):
        person = make_user(**kwargs)
        with transaction.atomic():
            payments.deposit_start(
                actor=person, account=ledger.account_for_user(user=person, currency="USD"), amount=amount,
                provider="sandbox", details={"card_number": "4242424242424242"},
            )  # fmt: skip
        return person

    return make


def balance(user) -> int:
    return ledger.account_for_user(user=user, currency="USD").balance


def end_now(project) -> None:
    """Move the deadline into the past (time control for settlement tests)."""
    from datetime import timedelta

    from django.utils import timezone

    from tolpa.campaigns.models import Campaign

    now = timezone.now()
    Campaign.objects.filter(pk=project.campaign_id).update(
        starts_at=now - timedelta(days=31), ends_at=now - timedelta(seconds=1)
    )
    project.campaign.refresh_from_db()
