import pytest
from django.db import transaction

from tests.concurrency import run_in_parallel
from tests.conftest import expire
from tolpa.accounts import services as account_services
from tolpa.campaigns import services
from tolpa.campaigns.models import Campaign, Status
from tolpa.campaigns.tasks import close_due_campaigns

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_closers_close_each_campaign_exactly_once(make_campaign):
    """Beat and the in-process scheduler (or two workers) may run the job at the same time."""
    campaigns = [make_campaign(title=f"Due {i}") for i in range(5)]
    for campaign in campaigns:
        expire(campaign)
    results = run_in_parallel(close_due_campaigns, 4)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 5
    assert Campaign.objects.filter(status=Status.CLOSED).count() == 5


def test_parallel_launches_launch_once(make_campaign, owner):
    draft = make_campaign(launch=False)

    def launch():
        with transaction.atomic():
            return services.campaign_launch(actor=owner, campaign=draft).status

    results = run_in_parallel(launch, 4)
    assert results.count(Status.LIVE) == 1
    assert all(isinstance(r, services.ConflictError) for r in results if r != Status.LIVE), results


def test_parallel_invitation_accept_creates_one_membership(organization, owner, make_user):
    _invitation, token = account_services.invitation_create(
        actor=owner, organization=organization, email="race@example.com"
    )
    invitee = make_user(email="race@example.com")

    def accept():
        with transaction.atomic():
            return account_services.invitation_accept(user=invitee, token=token)

    results = run_in_parallel(accept, 4)
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 1, results
    assert organization.memberships.filter(user=invitee).count() == 1
