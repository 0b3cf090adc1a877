"""Every tenders route: the happy path, who may not call it, and bad input (a clear 4xx and
nothing changed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import expire
from tests.marketplace.conftest import (
    FUNDS,
    PRICE,
    brand_balance,
    call,
    milestones,
    propose,
    wallet,
)
from tolpa.marketplace import services
from tolpa.marketplace.models import (
    Contract,
    Dispute,
    Milestone,
    MilestoneStatus,
    Proposal,
    ProposalMessage,
    Review,
    Tender,
)

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def _tender_payload(organization, **extra):
    deadline = (timezone.now() + timedelta(days=5)).isoformat()
    return {"organization_id": organization.pk, "title": "Write ten product pages",
            "description": "Short, friendly copy.", "currency": "USD", "budget_min": 20_000,
            "budget_max": 60_000, "offer_deadline": deadline, "skills": ["copywriting"],
            **extra}  # fmt: skip


@pytest.fixture
def stranger(make_user):
    return make_user(email="stranger@example.com")


@pytest.fixture
def rival(other_organization):
    """A member of another brand."""
    return other_organization.memberships.first().user


# Tenders ----------------------------------------------------------------------------------------


def test_full_deal_over_the_api(api_client, owner, brand, freelancer, make_user):
    api_client.login(owner)
    tender = _ok(api_client.post("/tenders", _tender_payload(brand)), 201)
    assert (tender["is_open"], tender["fixed"], tender["skills"]) == (True, False, ["copywriting"])
    slug = tender["slug"]
    api_client.login(freelancer)
    proposal = _ok(api_client.post(f"/tenders/{slug}/proposals", {
        "price": PRICE, "days": 7, "cover_letter": "Ten pages in a week.",
        "portfolio_links": ["https://example.com/me"]}), 201)  # fmt: skip
    other = make_user()
    api_client.login(other)
    _ok(api_client.post(f"/tenders/{slug}/proposals",
                        {"price": 30_000, "days": 9, "cover_letter": "Cheaper."}), 201)  # fmt: skip
    api_client.login(owner)
    listed = _ok(api_client.get(f"/tenders/{slug}/proposals"))
    assert [p["price"] for p in listed] == [30_000, PRICE]
    _ok(api_client.post(f"/tenders/proposals/{proposal['id']}/shortlist", {"shortlisted": True}))
    assert (
        _ok(api_client.get(f"/tenders/{slug}/proposals", shortlisted="true"))[0]["id"]
        == proposal["id"]
    )
    _ok(
        api_client.post(
            f"/tenders/proposals/{proposal['id']}/messages", {"body": "Can you start Monday?"}
        ),
        201,
    )
    contract = _ok(api_client.post(f"/tenders/proposals/{proposal['id']}/award", {}), 201)
    (milestone,) = contract["milestones"]
    funded = _ok(api_client.post(f"/tenders/milestones/{milestone['id']}/fund"))
    assert funded["milestones"][0]["status"] == "funded"
    api_client.login(freelancer)
    assert _ok(api_client.get("/tenders/proposals/mine"))[0]["contract_id"] == contract["id"]
    delivered = _ok(
        api_client.post(f"/tenders/milestones/{milestone['id']}/deliver", {"message": "Done"})
    )
    assert delivered["milestones"][0]["auto_release_at"] is not None
    api_client.login(owner)
    accepted = _ok(api_client.post(f"/tenders/milestones/{milestone['id']}/accept"))
    assert accepted["status"] == "completed"
    assert wallet(freelancer) == PRICE - PRICE // 10
    assert brand_balance(brand) == FUNDS - PRICE
    _ok(
        api_client.post(
            f"/tenders/contracts/{contract['id']}/reviews", {"rating": 5, "text": "Great"}
        ),
        201,
    )
    api_client.login(freelancer)
    _ok(api_client.post(f"/tenders/contracts/{contract['id']}/reviews", {"rating": 4}), 201)
    assert len(_ok(api_client.get(f"/tenders/contracts/{contract['id']}"))["reviews"]) == 2
    assert [c["id"] for c in _ok(api_client.get("/tenders/contracts"))] == [contract["id"]]


def test_tender_list_filters_and_bad_input(api_client, make_tender, client):
    make_tender(title="Logo for a bakery", skills=["logo"], budget_min=10_000, budget_max=20_000)
    make_tender(
        title="Translate a menu", skills=["translation"], budget_min=50_000, budget_max=None
    )
    draft = make_tender(title="Secret draft", publish=False)
    titles = lambda **q: [t["title"] for t in _ok(api_client.get("/tenders", **q))]  # noqa: E731
    assert titles() == ["Logo for a bakery", "Translate a menu"]
    assert titles(skill="logo") == ["Logo for a bakery"]
    assert titles(q="menu") == ["Translate a menu"]
    assert titles(budget_min="300", currency="USD") == ["Translate a menu"]
    assert titles(budget_max="150", currency="USD") == ["Logo for a bakery"]
    assert titles(status="closed") == []
    assert titles(budget_min="abc") == ["Logo for a bakery", "Translate a menu"]  # ignored
    _error(api_client.get("/tenders", limit=0), 422)
    _error(api_client.get(f"/tenders/{draft.campaign.slug}"), 404)
    _error(api_client.get("/tenders/no-such-tender"), 404)


def test_tender_create_permissions_and_bad_input(api_client, brand, user, rival):
    _error(api_client.post("/tenders", _tender_payload(brand)), 401)
    api_client.login(rival)
    _error(api_client.post("/tenders", _tender_payload(brand)), 404)
    api_client.login(brand.memberships.first().user)
    error = _error(api_client.post("/tenders", _tender_payload(brand, budget_max=100)), 422)
    assert "budget_max" in error["fields"]
    _error(api_client.post("/tenders", _tender_payload(brand, offer_deadline="soon")), 422)
    assert not Tender.objects.exists()


def test_publish_and_close(api_client, make_tender, owner, freelancer):
    draft = make_tender(publish=False)
    slug = draft.campaign.slug
    api_client.login(freelancer)
    _error(api_client.post(f"/tenders/{slug}/publish"), 404)  # a draft does not exist for others
    api_client.login(owner)
    assert _ok(api_client.post(f"/tenders/{slug}/publish"))["is_open"] is True
    _error(api_client.post(f"/tenders/{slug}/publish"), 409)
    api_client.login(freelancer)
    _error(api_client.post(f"/tenders/{slug}/close"), 403)
    api_client.login(owner)
    assert _ok(api_client.post(f"/tenders/{slug}/close"))["status"] == "closed"
    _error(api_client.post(f"/tenders/{slug}/close"), 409)


# Proposals ----------------------------------------------------------------------------------------


def test_proposal_submit_refusals(api_client, make_tender, owner, freelancer):
    tender = make_tender()
    slug = tender.campaign.slug
    terms = {"price": 100, "days": 3, "cover_letter": "Hi"}
    _error(api_client.post(f"/tenders/{slug}/proposals", terms), 401)
    api_client.login(owner)
    assert (
        "own brand" in _error(api_client.post(f"/tenders/{slug}/proposals", terms), 403)["message"]
    )
    api_client.login(freelancer)
    _error(api_client.post(f"/tenders/{slug}/proposals", {**terms, "days": 0}), 422)
    _error(
        api_client.post(f"/tenders/{slug}/proposals", {**terms, "portfolio_links": ["ftp://x"]}),
        422,
    )
    expire(tender.campaign)
    error = _error(api_client.post(f"/tenders/{slug}/proposals", terms), 409)
    assert "deadline" in error["message"]
    assert not Proposal.objects.exists()


def test_proposals_private_to_author_and_brand(
    api_client, make_tender, owner, freelancer, stranger, rival
):
    proposal = propose(make_tender(), freelancer)
    call(services.message_post, actor=owner, proposal=proposal, body="A question")
    paths = [f"/tenders/proposals/{proposal.pk}", f"/tenders/proposals/{proposal.pk}/messages"]
    for path in paths:
        _error(api_client.get(path), 401)
    for outsider in (stranger, rival):
        api_client.login(outsider)
        for path in paths:
            _error(api_client.get(path), 404)
        _error(api_client.post(paths[1], {"body": "hello"}), 404)
        _error(api_client.patch(paths[0], {"price": 1, "days": 1, "cover_letter": "x"}), 404)
        assert _ok(api_client.get("/tenders/proposals/mine")) == []
    _error(api_client.get(f"/tenders/{proposal.tender.campaign.slug}/proposals"), 403)
    for insider in (owner, freelancer):
        api_client.login(insider)
        assert _ok(api_client.get(paths[0]))["id"] == proposal.pk
        assert [m["body"] for m in _ok(api_client.get(paths[1]))] == ["A question"]
    _error(api_client.get("/tenders/proposals/not-a-number"), 404)
    _error(api_client.get("/tenders/proposals/999999"), 404)
    assert ProposalMessage.objects.count() == 1


def test_proposal_edit_withdraw_shortlist_messages(api_client, make_tender, owner, freelancer):
    proposal = propose(make_tender(), freelancer)
    path = f"/tenders/proposals/{proposal.pk}"
    api_client.login(owner)
    _error(api_client.patch(path, {"price": 1, "days": 1, "cover_letter": "x"}), 403)
    _error(api_client.post(f"{path}/withdraw"), 403)
    _error(api_client.post(f"{path}/shortlist", {"shortlisted": "maybe"}), 422)
    _error(api_client.post(f"{path}/messages", {"body": "   "}), 422)
    api_client.login(freelancer)
    _error(api_client.post(f"{path}/shortlist", {"shortlisted": True}), 403)
    _error(api_client.patch(path, {"price": 0, "days": 1, "cover_letter": "x"}), 422)
    assert (
        _ok(api_client.patch(path, {"price": 777, "days": 2, "cover_letter": "New"}))["price"]
        == 777
    )
    assert _ok(api_client.post(f"{path}/withdraw"))["status"] == "withdrawn"
    _error(api_client.post(f"{path}/withdraw"), 409)
    proposal.refresh_from_db()
    assert (proposal.price, proposal.status, proposal.shortlisted) == (777, "withdrawn", False)


def test_award_permissions_and_bad_input(api_client, make_tender, owner, freelancer):
    proposal = propose(make_tender(), freelancer)
    path = f"/tenders/proposals/{proposal.pk}/award"
    api_client.login(freelancer)
    _error(api_client.post(path, {}), 403)
    api_client.login(owner)
    due = (timezone.now().date() + timedelta(days=3)).isoformat()
    too_much = {"milestones": [{"title": "All", "amount": PRICE + 1, "due_date": due}]}
    assert "more than the contract" in _error(api_client.post(path, too_much), 422)["message"]
    _error(
        api_client.post(path, {"milestones": [{"title": "x", "amount": 1, "due_date": "someday"}]}),
        422,
    )
    assert not Contract.objects.exists()


# Contracts and milestones -------------------------------------------------------------------------


def test_contract_access(api_client, contract, owner, freelancer, stranger, rival, operator):
    path = f"/tenders/contracts/{contract.pk}"
    _error(api_client.get(path), 401)
    for outsider in (stranger, rival):
        api_client.login(outsider)
        _error(api_client.get(path), 404)
        assert _ok(api_client.get("/tenders/contracts")) == []
    for insider in (owner, freelancer, operator):
        api_client.login(insider)
        assert _ok(api_client.get(path))["id"] == contract.pk
    _error(api_client.get("/tenders/contracts/abc"), 404)


def test_milestone_add(api_client, contract, owner, freelancer):
    path = f"/tenders/contracts/{contract.pk}/milestones"
    due = (timezone.now().date() + timedelta(days=3)).isoformat()
    api_client.login(freelancer)
    _error(api_client.post(path, {"title": "Bonus", "amount": 1, "due_date": due}), 403)
    api_client.login(owner)
    error = _error(api_client.post(path, {"title": "Bonus", "amount": 1, "due_date": due}), 422)
    assert "more than the contract" in error["message"]
    _error(api_client.post(path, {"title": "Bonus", "amount": -5, "due_date": due}), 422)
    assert contract.milestones.count() == 2


def test_fund_accept_and_their_refusals(api_client, contract, owner, freelancer, stranger, brand):
    first, _second = milestones(contract)
    base = f"/tenders/milestones/{first.pk}"
    api_client.login(stranger)
    _error(api_client.post(f"{base}/fund"), 404)
    api_client.login(freelancer)
    _error(api_client.post(f"{base}/fund"), 403)
    _error(api_client.post(f"{base}/accept"), 403)
    api_client.login(owner)
    error = _error(api_client.post(f"{base}/accept"), 409)
    assert error["code"] == "milestone_not_funded"
    assert brand_balance(brand) == FUNDS
    _error(api_client.post("/tenders/milestones/999999/fund"), 404)
    _ok(api_client.post(f"{base}/fund"))
    _ok(api_client.post(f"{base}/fund"))  # again: a no-op
    assert brand_balance(brand) == FUNDS - first.amount


def test_deliver_and_request_changes(api_client, contract, owner, freelancer):
    first, _second = milestones(contract)
    base = f"/tenders/milestones/{first.pk}"
    api_client.login(freelancer)
    assert (
        _error(api_client.post(f"{base}/deliver", {"message": "Early"}), 409)["code"]
        == "milestone_not_funded"
    )
    call(services.milestone_fund, actor=owner, milestone=first)
    _error(api_client.post(f"{base}/deliver", {"message": " "}), 422)
    _error(api_client.post(f"{base}/request-changes", {"feedback": "x"}), 403)
    api_client.login(owner)
    _error(api_client.post(f"{base}/deliver", {"message": "Brand"}), 403)
    _error(api_client.post(f"{base}/request-changes", {"feedback": "Nothing yet"}), 409)
    api_client.login(freelancer)
    _ok(api_client.post(f"{base}/deliver", {"message": "Done"}))
    api_client.login(owner)
    _error(api_client.post(f"{base}/request-changes", {"feedback": ""}), 422)
    changed = _ok(api_client.post(f"{base}/request-changes", {"feedback": "Fix the title"}))
    assert changed["milestones"][0]["status"] == "funded"


def test_dispute_and_decision(api_client, contract, owner, freelancer, stranger, operator, brand):
    first, _second = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=first)
    base = f"/tenders/milestones/{first.pk}"
    api_client.login(stranger)
    _error(api_client.post(f"{base}/dispute", {"reason": "x"}), 404)
    api_client.login(freelancer)
    _error(api_client.post(f"{base}/dispute", {"reason": ""}), 422)
    _error(api_client.get("/tenders/disputes"), 403)
    dispute = _ok(api_client.post(f"{base}/dispute", {"reason": "No reply for weeks"}), 201)
    assert dispute["by_brand"] is False
    _error(api_client.post(f"{base}/decide", {"decision": "release"}), 403)
    api_client.login(owner)
    _error(api_client.post(f"{base}/accept"), 409)
    _error(api_client.post(f"{base}/decide", {"decision": "refund"}), 403)
    api_client.login(operator)
    assert [d["id"] for d in _ok(api_client.get("/tenders/disputes"))] == [dispute["id"]]
    bad = {"decision": "split", "freelancer_amount": 1, "brand_amount": 1}
    _error(api_client.post(f"{base}/decide", bad), 422)
    _error(api_client.post(f"{base}/decide", {"decision": "maybe"}), 422)
    assert Milestone.objects.get(pk=first.pk).status == MilestoneStatus.DISPUTED
    split = {"decision": "split", "freelancer_amount": 12_000, "brand_amount": 8_000}
    decided = _ok(api_client.post(f"{base}/decide", split))
    assert decided["decision"] == "split"
    _error(api_client.post(f"{base}/decide", split), 409)
    assert wallet(freelancer) == 12_000 - 1_200
    assert brand_balance(brand) == FUNDS - 12_000
    assert Dispute.objects.get().decided_by == operator


def test_reviews_refused_until_completed_and_for_strangers(api_client, contract, owner, stranger):
    path = f"/tenders/contracts/{contract.pk}/reviews"
    api_client.login(stranger)
    _error(api_client.post(path, {"rating": 5}), 404)
    api_client.login(owner)
    _error(api_client.post(path, {"rating": 9}), 422)
    _error(api_client.post(path, {"rating": 5}), 409)
    assert not Review.objects.exists()


def test_disputes_list_needs_login(api_client):
    _error(api_client.get("/tenders/disputes"), 401)
    _error(api_client.get("/tenders/contracts"), 401)
    _error(api_client.get("/tenders/proposals/mine"), 401)


def test_tender_list_queries_do_not_grow(api_client, make_tender, django_assert_max_num_queries):
    make_tender(title="One")
    with django_assert_max_num_queries(6) as few:
        api_client.get("/tenders")
    for n in range(5):
        make_tender(title=f"More {n}", attachments=[])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_ok(api_client.get("/tenders"))) == 6


def test_contract_list_queries_do_not_grow(
    api_client, make_tender, owner, freelancer, django_assert_max_num_queries
):
    from tests.marketplace.conftest import award

    award(owner, propose(make_tender(title="Job 0"), freelancer))
    api_client.login(owner)
    with django_assert_max_num_queries(20) as few:
        api_client.get("/tenders/contracts")
    for n in range(1, 4):
        award(owner, propose(make_tender(title=f"Job {n}"), freelancer))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_ok(api_client.get("/tenders/contracts"))) == 4


def test_brand_proposal_list_and_thread_bad_input(api_client, make_tender, owner, freelancer):
    proposal = propose(make_tender(), freelancer)
    api_client.login(owner)
    slug = proposal.tender.campaign.slug
    _error(api_client.get(f"/tenders/{slug}/proposals", shortlisted="maybe"), 422)
    _error(api_client.get("/tenders/no-such-tender/proposals"), 404)
    _error(api_client.get("/tenders/proposals/abc/messages"), 404)
    _error(api_client.post(f"/tenders/proposals/{proposal.pk}/messages", {"body": "x" * 4001}), 422)
    assert not ProposalMessage.objects.exists()
