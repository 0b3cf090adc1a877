"""The brand declines a proposal: only the brand may, only a submitted proposal, once; the
author is told in their language with the reason, and the proposal is closed for good
(no award, edit, message, shortlist or second proposal to that tender)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.marketplace.conftest import call, propose
from tests.marketplace.test_permissions import ROLES, _login, people  # noqa: F401
from tolpa.community.models import Notification, NotificationKind
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.marketplace import services
from tolpa.marketplace.models import ProposalStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(make_tender, freelancer):
    return propose(make_tender(), freelancer)


def _decline(actor, proposal, reason=""):
    return call(services.proposal_decline, actor=actor, proposal=proposal, reason=reason)


def test_declining_closes_the_proposal_and_tells_the_author_in_their_language(
    owner, freelancer, proposal
):
    call(services.proposal_shortlist, actor=owner, proposal=proposal, shortlisted=True)
    freelancer.preferred_language = "ru"
    freelancer.save(update_fields=["preferred_language"])
    with translation.override("en"):
        declined = _decline(owner, proposal, "  We chose a native speaker.  ")
    assert (declined.status, declined.shortlisted) == (ProposalStatus.DECLINED, False)
    assert declined.decline_reason == "We chose a native speaker."
    [note] = Notification.objects.filter(recipient=freelancer, kind=NotificationKind.DEAL)
    with translation.override("ru"):
        line = gettext("Your proposal on “%(title)s” was declined") % {
            "title": proposal.tender.campaign.title
        }
    assert note.text == f"{line}: We chose a native speaker."
    assert line.startswith("Your") is False
    assert note.url == f"/tenders/proposals/{proposal.pk}/"

    for attempt in (
        lambda: call(services.proposal_award, actor=owner, proposal=proposal),
        lambda: _decline(owner, proposal),
        lambda: call(services.proposal_shortlist, actor=owner, proposal=proposal, shortlisted=True),
        lambda: call(services.message_post, actor=freelancer, proposal=proposal, body="Why?"),
        lambda: call(services.proposal_withdraw, actor=freelancer, proposal=proposal),
        lambda: propose(proposal.tender, freelancer),
    ):
        with pytest.raises(ConflictError):
            attempt()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.tender.proposals.count() == 1


def test_only_the_brand_declines_and_only_submitted_proposals(
    owner, freelancer, proposal, make_user
):
    for outsider in (freelancer, make_user()):
        with pytest.raises(PermissionDeniedError):
            _decline(outsider, proposal)
    with pytest.raises(InvalidInput) as refused:
        _decline(owner, proposal, "x" * 1001)
    assert "reason" in refused.value.fields
    call(services.proposal_award, actor=owner, proposal=proposal)
    with pytest.raises(ConflictError):
        _decline(owner, proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (ProposalStatus.AWARDED, "")


@pytest.mark.parametrize("role", ROLES)
def test_decline_api_permissions(client, people, proposal, role):  # noqa: F811
    _login(client, people, role)
    response = client.post(
        f"/api/v1/tenders/proposals/{proposal.pk}/decline",
        {"reason": "Over budget"},
        content_type="application/json",
    )
    expected = {"anonymous": 401, "owner": 200, "manager": 200, "author": 403}.get(role, 404)
    assert response.status_code == expected
    proposal.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == "declined"
        assert response.json()["decline_reason"] == "Over budget"
    else:
        assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize(
    "body", ['{"reason": 5}', '{"reason": "' + "x" * 1001 + '"}', "not json", "[]"]
)
def test_decline_api_bad_input_changes_nothing(client, owner, proposal, body):
    client.force_login(owner)
    response = client.post(
        f"/api/v1/tenders/proposals/{proposal.pk}/decline", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["message"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    missing = client.post(
        "/api/v1/tenders/proposals/999999/decline", {}, content_type="application/json"
    )
    assert missing.status_code == 404


def test_decline_page_flow(client, owner, freelancer, proposal):
    client.force_login(owner)
    page = f"/tenders/proposals/{proposal.pk}/"
    refused = client.post(page, {"action": "decline", "reason": "x" * 1001})
    assert refused.status_code == 400
    assert b"decline-form" in refused.content
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert client.post(page, {"action": "decline", "reason": "Over budget"}).status_code == 302
    client.force_login(freelancer)
    shown = client.get(page).content.decode()
    assert 'id="decline-reason"' in shown
    assert "Over budget" in shown
    assert 'id="message-form"' not in shown
    assert 'id="edit-proposal"' not in shown
