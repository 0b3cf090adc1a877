"""The permission matrix: a proposal (and its thread) is seen by its author and the tender's
brand only, in selectors, pages and the API alike; a contract by its two sides and operators.
Everyone else gets 404, as if it did not exist."""

import pytest

from tests.marketplace.conftest import award, propose
from tolpa.errors import NotFoundError
from tolpa.marketplace import selectors

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "other_freelancer", "owner", "manager", "rival_brand", "operator"]
SEES_PROPOSAL = {"author", "owner", "manager"}
SEES_CONTRACT = {"author", "owner", "manager", "operator"}


@pytest.fixture
def people(owner, organization, other_organization, freelancer, make_user, operator):
    manager = make_user(email="manager@example.com")
    organization.memberships.create(user=manager, role="manager")
    return {
        "author": freelancer, "other_freelancer": make_user(email="other@example.com"),
        "owner": owner, "manager": manager,
        "rival_brand": other_organization.memberships.first().user, "operator": operator,
    }  # fmt: skip


@pytest.fixture
def deal(make_tender, owner, freelancer, people):
    proposal = propose(make_tender(), freelancer)
    propose(proposal.tender, people["other_freelancer"], price=10_000)
    return proposal, award(owner, proposal)


def _login(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])


def _actor(people, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else people[role]


@pytest.mark.parametrize("role", ROLES)
def test_proposal_matrix(client, people, deal, role):
    proposal, _contract = deal
    visible = role in SEES_PROPOSAL
    if visible:
        assert selectors.proposal_access(actor=_actor(people, role), id=proposal.pk) == proposal
    else:
        with pytest.raises(NotFoundError):
            selectors.proposal_access(actor=_actor(people, role), id=proposal.pk)
    _login(client, people, role)
    page = client.get(f"/tenders/proposals/{proposal.pk}/")
    api = client.get(f"/api/v1/tenders/proposals/{proposal.pk}")
    thread = client.get(f"/api/v1/tenders/proposals/{proposal.pk}/messages")
    if visible:
        assert (page.status_code, api.status_code, thread.status_code) == (200, 200, 200)
        assert b"I translate for a living" in page.content
    else:
        assert page.status_code == (302 if role == "anonymous" else 404)
        expected = 401 if role == "anonymous" else 404
        assert (api.status_code, thread.status_code) == (expected, expected)
    listing = client.get(f"/api/v1/tenders/{proposal.tender.campaign.slug}/proposals")
    brand = role in {"owner", "manager"}
    assert listing.status_code == (200 if brand else 401 if role == "anonymous" else 403)
    if brand:
        assert len(listing.json()) == 2
    detail = client.get(f"/tenders/{proposal.tender.campaign.slug}/")
    assert (b"I translate for a living" in detail.content) is False


@pytest.mark.parametrize("role", ROLES)
def test_contract_matrix(client, people, deal, role):
    _proposal, contract = deal
    _login(client, people, role)
    page = client.get(f"/tenders/contracts/{contract.pk}/")
    api = client.get(f"/api/v1/tenders/contracts/{contract.pk}")
    if role in SEES_CONTRACT:
        assert (page.status_code, api.status_code) == (200, 200)
    else:
        assert page.status_code == (302 if role == "anonymous" else 404)
        assert api.status_code == (401 if role == "anonymous" else 404)
