"""Pages: who sees what (proposals private to author and brand, contracts to the two sides
and operators, the dispute desk to operators), forms with bad input, the whole deal by POSTs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import expire, png_bytes
from tests.marketplace.conftest import PRICE, call, milestones, propose, wallet
from tolpa.marketplace import services
from tolpa.marketplace.models import Milestone, MilestoneStatus, Proposal, Tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(make_user):
    return make_user(email="stranger@example.com")


def _get(client, person, url):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client.get(url)


def test_index_filters_and_detail(client, make_tender):
    make_tender(title="Logo for a bakery", skills=["logo"])
    make_tender(
        title="Translate a menu", skills=["translation"], budget_min=90_000, budget_max=None
    )
    page = client.get("/tenders/")
    assert page.status_code == 200
    assert b"Logo for a bakery" in page.content
    assert b"Translate a menu" in page.content
    filtered = client.get("/tenders/", {"skill": "logo", "budget_max": "abc", "status": "nonsense"})
    assert b"Logo for a bakery" in filtered.content
    assert b"Translate a menu" not in filtered.content
    assert b"900.00 USD, fixed price" in client.get("/tenders/", {"q": "menu"}).content
    tender = Tender.objects.get(campaign__title="Translate a menu")
    detail = client.get(f"/tenders/{tender.campaign.slug}/")
    assert detail.status_code == 200
    assert b"Log in to send a proposal" in detail.content


def test_post_a_tender_with_the_form(client, owner, brand):
    client.force_login(owner)
    data = {"title": "Write an About page", "description": "Two paragraphs.", "skills": "copy, en",
            "currency": "USD", "budget_kind": "range", "budget_min": "100", "budget_max": "50",
            "days": 7, "language": "en"}  # fmt: skip
    bad = client.post("/tenders/new/", data)
    assert bad.status_code == 422
    assert b"below its bottom" in bad.content
    data["attachments"] = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief")
    good = client.post("/tenders/new/", {**data, "budget_max": "250.50"})
    assert good.status_code == 302
    tender = Tender.objects.get()
    assert (tender.budget_min, tender.budget_max) == (10_000, 25_050)
    assert tender.attachments.count() == 1


def test_send_proposal_with_the_form_and_refusals(client, make_tender, owner, freelancer, stranger):
    tender = make_tender()
    url = f"/tenders/{tender.campaign.slug}/"
    client.force_login(freelancer)
    bad = client.post(url, {"price": "12.345", "days": 3, "cover_letter": "Hi"})
    assert bad.status_code == 400
    assert not Proposal.objects.exists()
    sent = client.post(url, {"price": "450", "days": 3, "cover_letter": "Hi",
                             "portfolio_links": "https://example.com/a"})  # fmt: skip
    assert sent.status_code == 302
    assert Proposal.objects.get().price == 45_000
    assert b"Your proposal" in client.get(url).content
    client.force_login(owner)
    assert b"Proposals (1)" in client.get(url).content
    own = client.post(url, {"price": "450", "days": 3, "cover_letter": "Me"})
    assert own.status_code == 403
    expire(tender.campaign)
    client.force_login(stranger)
    assert b"deadline for offers has passed" in client.get(url).content
    late = client.post(url, {"price": "450", "days": 3, "cover_letter": "Late"})
    assert late.status_code == 409
    assert not Proposal.objects.filter(freelancer=stranger).exists()


def test_proposal_pages_are_private(
    client, make_tender, owner, freelancer, stranger, other_organization
):
    proposal = propose(make_tender(), freelancer)
    rival = other_organization.memberships.first().user
    slug = proposal.tender.campaign.slug
    for person, status in [
        (None, 302),
        (stranger, 404),
        (rival, 404),
        (freelancer, 200),
        (owner, 200),
    ]:
        assert _get(client, person, f"/tenders/proposals/{proposal.pk}/").status_code == status
    for person, status in [(stranger, 403), (freelancer, 403), (owner, 200)]:
        assert _get(client, person, f"/tenders/{slug}/proposals/").status_code == status
    assert b"I translate for a living" not in _get(client, stranger, f"/tenders/{slug}/").content


def test_deal_through_the_pages(client, make_tender, owner, freelancer, brand, operator, stranger):
    proposal = propose(make_tender(), freelancer)
    client.force_login(owner)
    url = f"/tenders/proposals/{proposal.pk}/"
    assert client.post(url, {"action": "message", "body": ""}).status_code == 400
    assert client.post(url, {"action": "message", "body": "When can you start?"}).status_code == 302
    assert client.post(url, {"action": "shortlist"}).status_code == 302
    awarded = client.post(url, {"action": "award"})
    contract = proposal.__class__.objects.get(pk=proposal.pk).contract
    assert awarded.url == f"/tenders/contracts/{contract.pk}/"
    page = f"/tenders/contracts/{contract.pk}/"
    (only,) = milestones(contract)
    too_much = client.post(page, {"action": "add", "title": "Extra", "amount": "1",
                                  "due_date": "2099-01-01"})  # fmt: skip
    assert too_much.status_code == 422
    assert b"more than the contract" in too_much.content
    unfunded = client.post(page, {"action": "accept", "milestone": only.pk})
    assert unfunded.status_code == 409
    assert client.post(page, {"action": "fund", "milestone": only.pk}).status_code == 302
    client.force_login(freelancer)
    delivered = client.post(page, {"action": "deliver", "milestone": only.pk, "message": "Done",
                                   "file": SimpleUploadedFile("a.png", png_bytes())})  # fmt: skip
    assert delivered.status_code == 302
    delivery = Milestone.objects.get(pk=only.pk).deliveries.get()
    for person, status in [(stranger, 404), (freelancer, 200), (owner, 200), (operator, 200)]:
        assert (
            _get(client, person, f"/tenders/deliveries/{delivery.pk}/file/").status_code == status
        )
    for person, status in [(stranger, 404), (freelancer, 200), (owner, 200), (operator, 200)]:
        assert _get(client, person, page).status_code == status
    client.force_login(owner)
    assert client.post(page, {"action": "accept", "milestone": only.pk}).status_code == 302
    assert wallet(freelancer) == PRICE - PRICE // 10
    assert client.post(page, {"action": "review", "rating": "5", "text": "Fast"}).status_code == 302
    client.force_login(freelancer)
    assert client.post(page, {"action": "review", "rating": "4", "text": "Kind"}).status_code == 302
    profile = client.get(f"/accounts/u/{freelancer.pk}/")
    assert b"Reviews from tenders" in profile.content
    assert b"Fast" in profile.content
    assert b"Kind" in client.get(f"/accounts/u/{owner.pk}/").content
    assert b"Paid to you" in client.get("/tenders/mine/").content
    client.force_login(owner)
    assert b"Paid to freelancers" in client.get("/tenders/brand/").content


def test_dispute_desk_for_operators_only(client, contract, owner, freelancer, operator):
    first, _second = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=first)
    client.force_login(freelancer)
    page = f"/tenders/contracts/{contract.pk}/"
    assert (
        client.post(page, {"action": "dispute", "milestone": first.pk, "reason": ""}).status_code
        == 400
    )
    assert (
        client.post(
            page, {"action": "dispute", "milestone": first.pk, "reason": "Silent"}
        ).status_code
        == 302
    )
    dispute = Milestone.objects.get(pk=first.pk).dispute
    for person in (freelancer, owner):
        assert _get(client, person, "/tenders/disputes/").status_code == 403
        assert _get(client, person, f"/tenders/disputes/{dispute.pk}/").status_code == 403
    client.force_login(operator)
    assert b"Silent" in client.get("/tenders/disputes/").content
    url = f"/tenders/disputes/{dispute.pk}/"
    bad = client.post(url, {"decision": "split", "freelancer_amount": "100", "brand_amount": "1"})
    assert bad.status_code == 422
    assert Milestone.objects.get(pk=first.pk).status == MilestoneStatus.DISPUTED
    good = client.post(url, {"decision": "split", "freelancer_amount": "150", "brand_amount": "50"})
    assert good.status_code == 302
    assert Milestone.objects.get(pk=first.pk).status == MilestoneStatus.SPLIT
    assert b"Split" in client.get(url).content


def test_legacy_tender_campaign_keeps_the_plain_page(client, make_campaign):
    campaign = make_campaign(kind="tender", title="Old tender")
    assert client.get(f"/tenders/{campaign.slug}/").status_code == 200


def test_htmx_search_returns_the_list_only(client, make_tender):
    make_tender(title="Logo for a bakery")
    partial = client.get("/tenders/", {"q": "logo"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"Logo for a bakery" in partial.content
