"""Every route: anonymous 401 where login is needed, outsiders 403/404, bad input 422
naming the field, and internal challenges invisible to outsiders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.ideas.conftest import move_to
from tolpa.ideas import reviews, services
from tolpa.ideas.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(challenge, user, post_idea):
    return post_idea(challenge, user)


def _slug(challenge):
    return challenge.campaign.slug


def test_create_and_launch(api_client, owner, organization):
    now = timezone.now()
    payload = {
        "organization_id": organization.pk, "title": "How to cut waste?",
        "submission_ends_at": (now + timedelta(days=3)).isoformat(),
        "review_ends_at": (now + timedelta(days=4)).isoformat(),
        "voting_ends_at": (now + timedelta(days=5)).isoformat(),
        "criteria": [{"name": "Impact", "weight": 4}],
    }  # fmt: skip
    assert api_client.post("/ideas", payload).status_code == 401
    api_client.login(owner)
    response = api_client.post("/ideas", payload)
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert response.json()["stage"] == "draft"
    assert api_client.post(f"/ideas/{slug}/launch").json()["stage"] == "submission"
    bad = api_client.post("/ideas", {**payload, "criteria": [{"name": "X", "weight": 11}]})
    assert bad.status_code == 422
    assert "criteria.0.weight" in bad.json()["error"]["fields"]
    bad = api_client.post("/ideas", {**payload, "review_ends_at": payload["submission_ends_at"]})
    assert bad.status_code == 422
    assert "review_ends_at" in bad.json()["error"]["fields"]


def test_create_for_a_foreign_brand_is_404(api_client, user, other_organization):
    api_client.login(user)
    now = timezone.now()
    response = api_client.post("/ideas", {
        "organization_id": other_organization.pk, "title": "Q",
        "submission_ends_at": (now + timedelta(days=1)).isoformat(),
        "review_ends_at": (now + timedelta(days=2)).isoformat(),
        "voting_ends_at": (now + timedelta(days=3)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 404


def test_launch_by_outsider_is_403(api_client, user, make_challenge):
    challenge = make_challenge(launch=False)
    api_client.login(user)
    assert api_client.post(f"/ideas/{_slug(challenge)}/launch").status_code == 404
    assert api_client.get(f"/ideas/{_slug(challenge)}").status_code == 404


def test_submit_list_detail(api_client, challenge, user):
    slug = _slug(challenge)
    assert api_client.post(f"/ideas/{slug}/ideas", {"title": "T", "body": "B"}).status_code == 401
    api_client.login(user)
    response = api_client.post(f"/ideas/{slug}/ideas", {"title": "Refill", "body": "Bring bottles"})
    assert response.status_code == 201
    assert response.json()["number"] == 1
    for sort in ("top", "trending", "new"):
        assert [i["number"] for i in api_client.get(f"/ideas/{slug}/ideas", sort=sort).json()] == [
            1
        ]
    assert api_client.get(f"/ideas/{slug}/ideas", sort="best").status_code == 422
    assert api_client.get(f"/ideas/{slug}/ideas/1").json()["title"] == "Refill"
    assert api_client.get(f"/ideas/{slug}/ideas/9").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"title": "", "body": "b"}, "title"), ({"title": "t", "body": ""}, "body"),
     ({"title": "t", "body": "x" * 1_048_576}, "body"), ({"body": "b"}, "title"),
     ({"title": "t", "body": "   "}, "body")],
)  # fmt: skip
def test_submit_bad_input(api_client, challenge, user, payload, field):
    api_client.login(user)
    response = api_client.post(f"/ideas/{_slug(challenge)}/ideas", payload)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_vote_and_unvote(api_client, challenge, idea, make_user):
    slug = _slug(challenge)
    assert api_client.post(f"/ideas/{slug}/ideas/1/vote").status_code == 401
    api_client.login(make_user())
    assert api_client.post(f"/ideas/{slug}/ideas/1/vote").json() == {
        "number": 1,
        "votes": 1,
        "voted": True,
    }
    assert api_client.post(f"/ideas/{slug}/ideas/1/vote").json()["votes"] == 1
    assert api_client.delete(f"/ideas/{slug}/ideas/1/vote").json()["votes"] == 0
    assert api_client.post(f"/ideas/{slug}/ideas/99/vote").status_code == 404


def test_vote_for_own_idea_is_403(api_client, challenge, idea, user):
    api_client.login(user)
    assert api_client.post(f"/ideas/{_slug(challenge)}/ideas/1/vote").status_code == 403


def test_voting_when_closed_is_409_and_changes_nothing(
    api_client, challenge, idea, make_user, vote
):
    voter = make_user()
    vote(idea, voter)
    move_to(challenge, "decision")
    api_client.login(voter)
    response = api_client.delete(f"/ideas/{_slug(challenge)}/ideas/1/vote")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stage_closed"
    api_client.login(make_user())
    assert api_client.post(f"/ideas/{_slug(challenge)}/ideas/1/vote").status_code == 409
    idea.refresh_from_db()
    assert idea.votes_count == 1
    assert Vote.objects.count() == 1


def test_follow_unfollow(api_client, challenge, idea, make_user):
    slug = _slug(challenge)
    assert api_client.post(f"/ideas/{slug}/ideas/1/follow").status_code == 401
    api_client.login(make_user())
    assert api_client.post(f"/ideas/{slug}/ideas/1/follow").json()["following"] is True
    assert api_client.delete(f"/ideas/{slug}/ideas/1/follow").json()["following"] is False
    assert api_client.post(f"/ideas/{slug}/ideas/7/follow").status_code == 404


def test_status(api_client, challenge, idea, owner, user):
    url = f"/ideas/{_slug(challenge)}/ideas/1/status"
    assert api_client.post(url, {"status": "accepted"}).status_code == 401
    api_client.login(user)
    assert api_client.post(url, {"status": "accepted"}).status_code == 403
    api_client.login(owner)
    bad = api_client.post(url, {"status": "declined"})
    assert bad.status_code == 422
    assert "answer" in bad.json()["error"]["fields"]
    bad = api_client.post(url, {"status": "maybe"})
    assert bad.status_code == 422
    assert "status" in bad.json()["error"]["fields"]
    ok = api_client.post(url, {"status": "accepted", "answer": "Yes, in May."})
    assert ok.json()["status"] == "accepted"
    assert ok.json()["answer"] == "Yes, in May."


def test_reviewers_scores_and_ranking(api_client, challenge, idea, owner, user, make_user):
    slug = _slug(challenge)
    reviewer_user, other_reviewer = make_user(), make_user()
    assert (
        api_client.post(f"/ideas/{slug}/reviewers", {"email": reviewer_user.email}).status_code
        == 401
    )
    api_client.login(user)
    assert api_client.post(f"/ideas/{slug}/reviewers", {"email": user.email}).status_code == 403
    assert api_client.get(f"/ideas/{slug}/ranking").status_code == 403
    api_client.login(owner)
    bad = api_client.post(f"/ideas/{slug}/reviewers", {"email": "nobody@example.com"})
    assert bad.status_code == 422
    assert "email" in bad.json()["error"]["fields"]
    for person in (reviewer_user, other_reviewer):
        assert (
            api_client.post(f"/ideas/{slug}/reviewers", {"email": person.email}).status_code == 201
        )
    services.status_set(actor=owner, idea=idea, status="shortlisted")
    impact = challenge.criteria.first()
    url = f"/ideas/{slug}/ideas/1/scores"
    api_client.login(user)
    assert (
        api_client.inner.put(
            f"/api/v1{url}", {"scores": {impact.pk: 4}}, content_type="application/json"
        ).status_code
        == 403
    )
    api_client.login(reviewer_user)
    put = lambda data: api_client.inner.put(f"/api/v1{url}", data, content_type="application/json")  # noqa: E731
    assert put({"scores": {impact.pk: 4}}).status_code == 200
    bad = put({"scores": {impact.pk: 9}})
    assert bad.status_code == 422
    assert "scores" in bad.json()["error"]["fields"]
    assert put({"scores": {}}).status_code == 422
    # another reviewer and the public see no scores anywhere in the API
    for viewer in (other_reviewer, user):
        api_client.login(viewer)
        assert api_client.get(f"/ideas/{slug}/ranking").status_code == 403
        assert "score" not in str(api_client.get(f"/ideas/{slug}/ideas/1").json())
    api_client.login(owner)
    (row,) = api_client.get(f"/ideas/{slug}/ranking").json()
    assert row["score"] == 4.0
    assert row["reviewers"] == 1


def test_similar_and_clusters(api_client, challenge, user, make_user, post_idea, owner):
    slug = _slug(challenge)
    post_idea(challenge, user, title="Refill stations for shampoo")
    post_idea(challenge, make_user(), title="Refill station for shampoo")
    hits = api_client.get(f"/ideas/{slug}/similar", title="refill shampoo station").json()
    assert {h["number"] for h in hits} == {1, 2}
    assert api_client.get(f"/ideas/{slug}/similar", title="x" * 161).status_code == 422
    assert api_client.get(f"/ideas/{slug}/clusters").status_code == 401
    api_client.login(user)
    assert api_client.get(f"/ideas/{slug}/clusters").status_code == 403
    api_client.login(owner)
    assert api_client.get(f"/ideas/{slug}/clusters").json() == [[1, 2]]


def test_merge_unmerge_and_log(api_client, challenge, user, make_user, post_idea, owner):
    slug = _slug(challenge)
    post_idea(challenge, user, title="A"), post_idea(challenge, make_user(), title="B")
    assert api_client.post(f"/ideas/{slug}/ideas/2/merge", {"target": 1}).status_code == 401
    api_client.login(user)
    assert api_client.post(f"/ideas/{slug}/ideas/2/merge", {"target": 1}).status_code == 403
    assert api_client.post(f"/ideas/{slug}/ideas/2/unmerge").status_code == 403
    assert api_client.get(f"/ideas/{slug}/merges").status_code == 403
    api_client.login(owner)
    bad = api_client.post(f"/ideas/{slug}/ideas/2/merge", {"target": 42})
    assert bad.status_code == 422
    assert "target" in bad.json()["error"]["fields"]
    bad = api_client.post(f"/ideas/{slug}/ideas/2/merge", {"target": 0})
    assert bad.status_code == 422
    assert "target" in bad.json()["error"]["fields"]
    assert api_client.post(f"/ideas/{slug}/ideas/2/merge", {"target": 1}).json()["target"] == 1
    assert api_client.get(f"/ideas/{slug}/ideas/2").json()["merged_into"] == 1
    assert api_client.post(f"/ideas/{slug}/ideas/2/unmerge").json()["unmerged_at"]
    assert api_client.post(f"/ideas/{slug}/ideas/2/unmerge").status_code == 409
    assert len(api_client.get(f"/ideas/{slug}/merges").json()) == 1


ROUTES = [
    ("get", ""), ("get", "/ideas"), ("get", "/ideas/1"), ("get", "/similar?title=refill"),
    ("post", "/ideas"), ("post", "/ideas/1/vote"), ("delete", "/ideas/1/vote"),
    ("post", "/ideas/1/follow"), ("delete", "/ideas/1/follow"), ("post", "/ideas/1/status"),
    ("post", "/reviewers"), ("get", "/ranking"), ("get", "/clusters"),
    ("post", "/ideas/1/merge"), ("post", "/ideas/1/unmerge"), ("get", "/merges"),
    ("post", "/launch"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_internal_challenge_is_404_to_outsiders_on_every_route(
    api_client, internal, owner, post_idea, make_user, method, path
):
    post_idea(internal, make_user(email="ann@acme.com", email_verified_at=timezone.now()))
    url = f"/ideas/{_slug(internal)}{path}"
    api_client.login(make_user(email="eve@elsewhere.org"))
    call = getattr(api_client, method)
    response = (
        call(url)
        if method != "post"
        else call(url, {"title": "t", "body": "b", "status": "new", "email": "a@b.co", "target": 1})
    )
    assert response.status_code == 404, (path, response.json())


def test_internal_challenge_visible_to_members_and_allowed_domains(
    api_client, internal, owner, make_user
):
    url = f"/ideas/{_slug(internal)}"
    assert api_client.get(url).status_code == 404
    for person in (owner, make_user(email="bob@ACME.com", email_verified_at=timezone.now())):
        api_client.login(person)
        assert api_client.get(url).status_code == 200
    api_client.login(make_user(email="bob@acme.com.evil.org"))
    assert api_client.get(url).status_code == 404
    reviewer = make_user(email="guest@partner.org")
    reviews.reviewer_add(actor=owner, challenge=internal, email=reviewer.email)
    api_client.login(reviewer)
    assert api_client.get(url).status_code == 200
