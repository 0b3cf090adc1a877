"""Every contests API route: who may call it, and bad input (4xx, nothing changed)."""

import pytest

from tests.contests.conftest import PRIZES, end_stage, escrow_balance, png, user_balance
from tolpa.contests.models import Award, Contest, Entry, Poll, Stage, Vote

pytestmark = pytest.mark.django_db


def _multipart(api_client, path, data):
    return api_client.inner.post(f"/api/v1{path}", data, headers=api_client.headers)


def test_create_permissions_and_bad_input(api_client, owner, funded_organization, user):
    body = {"organization_id": funded_organization.pk, "title": "Logo", "category": "logo",
            "currency": "USD", "prizes": [20_000, 5_000]}  # fmt: skip
    assert api_client.post("/contests", body).status_code == 401
    api_client.login(user)
    assert api_client.post("/contests", body).status_code == 404
    api_client.login(owner)
    bad_bodies = [
        {"prizes": [100]}, {"prizes": [5_000, 20_000]}, {"prizes": []}, {"category": "x"},
        {"currency": "ABC"}, {"entry_days": 0}, {"entry_days": 61}, {"prizes": ["lots"]},
        {"title": ""}, {"private": True}, {"prize_mode": "auction"},
    ]  # fmt: skip
    for bad in bad_bodies:
        response = api_client.post("/contests", {**body, **bad})
        assert response.status_code == 422, (bad, response.content)
        assert response.json()["error"]["code"] == "invalid_input"
    assert not Contest.objects.exists()
    created = api_client.post("/contests", body)
    assert created.status_code == 201, created.content
    assert created.json()["stage"] == "draft"
    assert created.json()["prize_total"] == 25_000


def test_draft_edit_launch_cancel(api_client, owner, make_contest, user):
    contest = make_contest(launch=False)
    slug = contest.campaign.slug
    assert api_client.get(f"/contests/{slug}").status_code == 404  # drafts are the brand's
    api_client.login(user)
    assert api_client.patch(f"/contests/{slug}", {"avoid": "x"}).status_code == 404
    assert api_client.post(f"/contests/{slug}/launch").status_code == 404
    api_client.login(owner)
    assert api_client.patch(f"/contests/{slug}", {"title": ""}).status_code == 422
    assert (
        api_client.patch(f"/contests/{slug}", {"avoid": "Clip art"}).json()["avoid"] == "Clip art"
    )
    assert api_client.post(f"/contests/{slug}/launch").json()["stage"] == "entry"
    assert escrow_balance(contest) == sum(PRIZES)
    assert api_client.post(f"/contests/{slug}/launch").status_code == 409
    assert api_client.delete(f"/contests/{slug}").status_code == 409
    assert api_client.patch(f"/contests/{slug}", {"avoid": "y"}).status_code == 409


def test_unfunded_launch_is_409_and_nothing_moves(api_client, owner, make_contest):
    contest = make_contest(launch=False, prizes=[500_000])
    api_client.login(owner)
    response = api_client.post(f"/contests/{contest.campaign.slug}/launch")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_funds"
    contest.refresh_from_db()
    assert contest.stage == Stage.DRAFT


def test_list_and_private_brief(api_client, make_contest, designer):
    make_contest()
    private = make_contest(title="Secret", private=True, nda_text="Hush")
    rows = api_client.get("/contests").json()
    assert {r["title"] for r in rows} == {"Logo for Acme", "Secret"}
    secret = next(r for r in rows if r["title"] == "Secret")
    assert secret["brief_visible"] is False
    assert secret["requirements"] is None
    assert api_client.get("/contests", category="video").json() == []
    assert api_client.get("/contests", q="secret").json()[0]["title"] == "Secret"
    slug = private.campaign.slug
    assert api_client.get(f"/contests/{slug}/updates").status_code == 403
    assert api_client.post(f"/contests/{slug}/nda").status_code == 401
    api_client.login(designer())
    assert api_client.post(f"/contests/{slug}/nda").json()["requirements"] == "A fox, **orange**."


def test_entry_submit_permissions_and_bad_input(api_client, contest, owner, designer):
    slug = contest.campaign.slug
    form = {"declared_original": "true", "title": "Fox"}
    assert (
        _multipart(api_client, f"/contests/{slug}/entries", {**form, "file": png()}).status_code
        == 401
    )
    api_client.login(owner)
    assert (
        _multipart(api_client, f"/contests/{slug}/entries", {**form, "file": png()}).status_code
        == 403
    )
    api_client.login(designer())
    for bad in (
        {"file": png(), "declared_original": "false"},
        {"file": png(), "declared_original": "maybe"},
        {"declared_original": "true"},
        {"declared_original": "true", "file": ("x.png", b"not an image")},
    ):
        data = dict(bad)
        if isinstance(data.get("file"), tuple):
            from django.core.files.uploadedfile import SimpleUploadedFile

            data["file"] = SimpleUploadedFile(*data["file"])
        response = _multipart(api_client, f"/contests/{slug}/entries", data)
        assert response.status_code == 422, (bad, response.content)
    assert not Entry.objects.exists()
    created = _multipart(api_client, f"/contests/{slug}/entries", {**form, "file": png()})
    assert created.status_code == 201, created.content
    assert created.json()["versions"][0]["media_kind"] == "image"
    assert created.json()["rating"] is None


def test_blind_contest_hides_other_entries(api_client, make_contest, owner, designer, enter):
    contest = make_contest(blind=True)
    alice, bob = designer(), designer()
    enter(contest, alice)
    enter(contest, bob)
    slug = contest.campaign.slug
    assert api_client.get(f"/contests/{slug}/entries").json() == []
    api_client.login(alice)
    assert [e["number"] for e in api_client.get(f"/contests/{slug}/entries").json()] == [1]
    assert api_client.get(f"/contests/{slug}/entries/2").status_code == 404
    comments = f"/community/campaigns/{slug}/comments?item_number="
    assert api_client.get(comments + "2").status_code == 404
    assert api_client.get(comments + "1").json() == []
    api_client.login(owner)
    assert len(api_client.get(f"/contests/{slug}/entries").json()) == 2


def test_open_contest_shows_entries_but_not_reviews(api_client, contest, owner, designer, enter):
    alice = designer()
    enter(contest, alice)
    slug = contest.campaign.slug
    api_client.login(owner)
    assert api_client.patch(f"/contests/{slug}/entries/1/review", {"rating": 9}).status_code == 422
    assert (
        api_client.patch(f"/contests/{slug}/entries/1/review", {"rating": "x"}).status_code == 422
    )
    reviewed = api_client.patch(
        f"/contests/{slug}/entries/1/review", {"rating": 4, "comment": "Good"}
    )
    assert reviewed.json()["rating"] == 4
    assert api_client.patch(f"/contests/{slug}/entries/7/review", {"rating": 4}).status_code == 404
    api_client.login(designer())
    public = api_client.get(f"/contests/{slug}/entries/1").json()
    assert (public["rating"], public["brand_comment"]) == (None, None)
    assert api_client.patch(f"/contests/{slug}/entries/1/review", {"rating": 5}).status_code == 403
    assert (
        api_client.post(f"/contests/{slug}/entries/1/decline", {"reason": "x"}).status_code == 403
    )
    comments = f"/community/campaigns/{slug}/comments"
    on_entry = {"body": "hi", "item_number": 1}
    assert api_client.post(comments, on_entry).status_code == 404
    assert api_client.get(comments + "?item_number=1").status_code == 404
    api_client.login(alice)
    own = api_client.get(f"/contests/{slug}/entries/1").json()
    assert (own["rating"], own["brand_comment"]) == (4, "Good")
    assert api_client.post(comments, {"body": "", "item_number": 1}).status_code == 422
    assert api_client.post(comments, {"body": "Thanks", "item_number": 1}).status_code == 201
    assert [c["body"] for c in api_client.get(comments + "?item_number=1").json()] == ["Thanks"]
    assert api_client.get(comments).json() == []


def test_revise_withdraw_decline(api_client, contest, owner, designer, enter):
    alice = designer()
    enter(contest, alice)
    enter(contest, designer())
    slug = contest.campaign.slug
    api_client.login(designer())
    assert (
        _multipart(api_client, f"/contests/{slug}/entries/1/versions", {"file": png()}).status_code
        == 403
    )
    assert api_client.post(f"/contests/{slug}/entries/1/withdraw").status_code == 403
    api_client.login(alice)
    assert (
        _multipart(api_client, f"/contests/{slug}/entries/1/versions", {"note": "x"}).status_code
        == 422
    )
    revised = _multipart(api_client, f"/contests/{slug}/entries/1/versions", {"file": png()})
    assert revised.json() == {"number": 2}
    assert api_client.post(f"/contests/{slug}/entries/1/withdraw").json()["status"] == "withdrawn"
    api_client.login(owner)
    assert api_client.post(f"/contests/{slug}/entries/2/decline", {"reason": ""}).status_code == 422
    assert (
        api_client.post(f"/contests/{slug}/entries/2/decline", {"reason": "Off brief"}).status_code
        == 200
    )


def test_updates_and_finalists(api_client, make_contest, owner, designer, enter):
    contest = make_contest(finalists_max=1)
    for _ in range(2):
        enter(contest, designer())
    slug = contest.campaign.slug
    api_client.login(designer())
    assert api_client.post(f"/contests/{slug}/updates", {"body": "x"}).status_code == 403
    assert api_client.post(f"/contests/{slug}/finalists", {"entries": [1]}).status_code == 403
    api_client.login(owner)
    assert api_client.post(f"/contests/{slug}/updates", {"body": ""}).status_code == 422
    assert api_client.post(f"/contests/{slug}/updates", {"body": "Teal please"}).status_code == 201
    assert api_client.get(f"/contests/{slug}/updates").json()[0]["body"] == "Teal please"
    assert api_client.post(f"/contests/{slug}/finalists", {"entries": [1]}).status_code == 409
    end_stage(contest)
    assert api_client.post(f"/contests/{slug}/finalists", {"entries": [1, 2]}).status_code == 422
    assert api_client.post(f"/contests/{slug}/finalists", {"entries": [9]}).status_code == 422
    assert (
        api_client.post(f"/contests/{slug}/finalists", {"entries": [2]}).json()["stage"]
        == "finalists"
    )


def test_poll_vote_and_results(api_client, contest, owner, designer, enter):
    alice, bob = designer(), designer()
    enter(contest, alice)
    enter(contest, bob)
    slug = contest.campaign.slug
    api_client.login(alice)
    assert api_client.post(f"/contests/{slug}/poll", {"days": 3}).status_code == 403
    assert (
        api_client.post(f"/contests/{slug}/votes", {"entry": 1}).status_code == 404
    )  # no poll yet
    api_client.login(owner)
    assert api_client.post(f"/contests/{slug}/poll", {"days": 0}).status_code == 422
    assert (
        api_client.post(f"/contests/{slug}/poll", {"days": 3, "entries": [1, 99]}).status_code
        == 422
    )
    opened = api_client.post(f"/contests/{slug}/poll", {"days": 3, "hide_counts": True})
    assert opened.status_code == 201
    api_client.login(alice)
    assert api_client.post(f"/contests/{slug}/votes", {"entry": 1}).status_code == 403  # her own
    assert api_client.post(f"/contests/{slug}/votes", {"entry": 0}).status_code == 422
    assert api_client.post(f"/contests/{slug}/votes", {"entry": 2}).status_code == 201
    assert api_client.post(f"/contests/{slug}/votes", {"entry": 2}).status_code == 409
    assert (
        api_client.post(f"/contests/{slug}/pair-votes", {"winner": 2, "loser": 1}).status_code
        == 422
    )
    hidden = api_client.get(f"/contests/{slug}/poll").json()
    assert hidden["counts_visible"] is False
    assert {row["votes"] for row in hidden["results"]} == {None}
    api_client.login(owner)
    shown = api_client.get(f"/contests/{slug}/poll").json()
    assert shown["results"][0] == {"entry": 2, "votes": 1, "score": None, "low": None, "high": None}
    Poll.objects.update(closes_at=Poll.objects.get().opens_at)
    api_client.login(bob)
    assert api_client.post(f"/contests/{slug}/votes", {"entry": 1}).status_code == 409  # closed
    assert Vote.objects.count() == 1


def test_winners_handover_and_payment(api_client, contest, owner, designer, enter):
    alice, bob = designer(), designer()
    enter(contest, alice)
    enter(contest, bob)
    slug = contest.campaign.slug
    api_client.login(owner)
    assert (
        api_client.post(f"/contests/{slug}/winners", {"picks": {"1": 2, "2": 1}}).status_code == 409
    )
    end_stage(contest)
    api_client.login(alice)
    assert (
        api_client.post(f"/contests/{slug}/winners", {"picks": {"1": 2, "2": 1}}).status_code == 403
    )
    api_client.login(owner)
    for bad in (
        {"picks": {"1": 2}},
        {"picks": {"1": 2, "2": 2}},
        {"picks": {"1": 2, "2": 9}},
        {"picks": "x"},
    ):
        assert api_client.post(f"/contests/{slug}/winners", bad).status_code == 422, bad
    awards = api_client.post(f"/contests/{slug}/winners", {"picks": {"1": 2, "2": 1}}).json()
    first = next(a for a in awards if a["place"] == 1)
    assert (first["entry"], first["amount"]) == (2, PRIZES[0])
    path = f"/contests/{slug}/awards/{first['id']}"
    api_client.login(alice)
    assert _multipart(api_client, f"{path}/files", {"file": png()}).status_code == 403
    assert api_client.post(f"{path}/accept").status_code == 403
    api_client.login(bob)
    assert api_client.post(f"{path}/accept").status_code == 409  # files first
    assert _multipart(api_client, f"{path}/files", {}).status_code == 422
    uploaded = _multipart(api_client, f"{path}/files", {"file": png("final.png")})
    assert uploaded.status_code == 201
    assert len(uploaded.json()["deliverables"][0]["sha256"]) == 64
    assert api_client.post(f"{path}/accept").json()["winner_accepted_at"]
    api_client.login(owner)
    paid = api_client.post(f"{path}/accept").json()
    assert paid["status"] == "paid"
    assert api_client.post(f"{path}/accept").json()["status"] == "paid"
    assert user_balance(bob) == PRIZES[0] - PRIZES[0] * 1500 // 10_000
    assert api_client.post(f"/contests/{slug}/awards/999/accept").status_code == 404
    assert len(api_client.get(f"/contests/{slug}/awards").json()) == 2


def test_refund_route(api_client, contest, owner, designer):
    slug = contest.campaign.slug
    api_client.login(designer())
    assert api_client.post(f"/contests/{slug}/refund").status_code == 403
    api_client.login(owner)
    assert api_client.post(f"/contests/{slug}/refund").json()["stage"] == "refunded"
    assert api_client.post(f"/contests/{slug}/refund").status_code == 409
    assert escrow_balance(contest) == 0


def test_anonymous_reads_and_writes(api_client, contest, designer, enter):
    enter(contest, designer())
    slug = contest.campaign.slug
    assert api_client.get(f"/contests/{slug}").status_code == 200
    assert api_client.get(f"/contests/{slug}/entries").status_code == 200
    assert api_client.get(f"/contests/{slug}/awards").json() == []
    for path in ("/launch", "/refund", "/updates", "/finalists", "/poll", "/votes", "/pair-votes",
                 "/winners", "/entries/1/withdraw"):  # fmt: skip
        assert api_client.post(f"/contests/{slug}{path}", {}).status_code == 401, path
    assert api_client.get("/contests/nope").status_code == 404
    assert not Award.objects.exists()


def test_absurd_entry_numbers_are_422_not_500(api_client, contest, owner, designer, enter):
    enter(contest, designer())
    enter(contest, designer())
    slug = contest.campaign.slug
    api_client.login(owner)
    huge = 10**30
    assert (
        api_client.post(f"/contests/{slug}/poll", {"days": 2, "entries": [huge]}).status_code == 422
    )
    assert api_client.post(f"/contests/{slug}/poll", {"days": 2}).status_code == 201
    assert api_client.post(f"/contests/{slug}/winners", {"picks": {"1": huge}}).status_code == 422
    api_client.login(designer())
    assert api_client.post(f"/contests/{slug}/votes", {"entry": huge}).status_code == 422
    assert (
        api_client.post(f"/contests/{slug}/pair-votes", {"winner": huge, "loser": 1}).status_code
        == 422
    )
    assert api_client.post(f"/contests/{slug}/finalists", {"entries": [huge]}).status_code == 422
