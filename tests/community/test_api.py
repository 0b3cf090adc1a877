import pytest

from tolpa.community import services
from tolpa.community.models import Appeal, Comment, CommentReport, ModerationAction, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(post, user):
    return post(user, "Hello **world**")


def _hidden(comment, owner):
    services.comment_hide(actor=owner, comment_id=comment.pk, reason="Off topic")
    return comment


def _error_field(response):
    return response.json()["error"]["fields"]


def test_list_is_public_and_hides_bodies_of_hidden_comments(
    api_client, campaign, comment, owner, user
):
    _hidden(comment, owner)
    url = f"/community/campaigns/{campaign.slug}/comments"
    row = api_client.get(url).json()[0]
    assert row["hidden"]
    assert row["hidden_reason"] == "Off topic"
    assert row["body"] is None
    assert row["body_html"] is None
    api_client.login(user)
    assert api_client.get(url).json()[0]["body"] == "Hello **world**"
    assert api_client.get("/community/campaigns/nope/comments").status_code == 404


def test_post_permissions_and_bad_input(api_client, campaign, user, owner):
    url = f"/community/campaigns/{campaign.slug}/comments"
    assert api_client.post(url, {"body": "hi"}).status_code == 401
    api_client.login(user)
    for bad in ({"body": "  "}, {"body": "x" * 10_001}):
        response = api_client.post(url, bad)
        assert response.status_code == 422
        assert "body" in _error_field(response)
    response = api_client.post(url, {"body": "hi", "parent_id": 999_999})
    assert response.status_code == 422
    assert "parent_id" in _error_field(response)
    assert not Comment.objects.exists()
    created = api_client.post(url, {"body": "Hi <script>x</script>"})
    assert created.status_code == 201
    assert "<script" not in created.json()["body_html"]
    api_client.login(owner)
    reply = api_client.post(url, {"body": "Thanks", "parent_id": created.json()["id"]}).json()
    assert reply["is_brand"]
    assert reply["depth"] == 1


def test_edit_permissions_and_bad_input(api_client, comment, user, make_user):
    url = f"/community/comments/{comment.pk}"
    assert api_client.patch(url, {"body": "new"}).status_code == 401
    api_client.login(make_user())
    assert api_client.patch(url, {"body": "new"}).status_code == 403
    api_client.login(user)
    response = api_client.patch(url, {"body": ""})
    assert response.status_code == 422
    assert "body" in _error_field(response)
    comment.refresh_from_db()
    assert comment.body == "Hello **world**"
    edited = api_client.patch(url, {"body": "Hello again"}).json()
    assert edited["body"] == "Hello again"
    assert [r["body"] for r in edited["revisions"]] == ["Hello **world**"]
    assert api_client.patch("/community/comments/999999", {"body": "x"}).status_code == 404


def test_report_permissions_bad_input_and_twice(api_client, comment, user, make_user):
    url = f"/community/comments/{comment.pk}/report"
    assert api_client.post(url, {"reason": "spam"}).status_code == 401
    api_client.login(user)
    assert api_client.post(url, {"reason": "spam"}).status_code == 403
    api_client.login(make_user())
    response = api_client.post(url, {"reason": " "})
    assert response.status_code == 422
    assert "reason" in _error_field(response)
    assert not CommentReport.objects.exists()
    assert api_client.post(url, {"reason": "spam"}).status_code == 201
    again = api_client.post(url, {"reason": "spam"})
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "You have already reported this comment."


@pytest.mark.parametrize("action", ["hide", "unhide"])
def test_hide_unhide_permissions_and_bad_input(api_client, comment, owner, user, action):
    if action == "unhide":
        _hidden(comment, owner)
    url = f"/community/comments/{comment.pk}/{action}"
    before = ModerationAction.objects.count()
    assert api_client.post(url, {"reason": "x"}).status_code == 401
    api_client.login(user)
    assert api_client.post(url, {"reason": "x"}).status_code == 403
    api_client.login(owner)
    response = api_client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert "reason" in _error_field(response)
    assert ModerationAction.objects.count() == before
    done = api_client.post(url, {"reason": "Decided"})
    assert done.status_code == 200
    assert done.json()["hidden"] == (action == "hide")
    assert api_client.post(url, {"reason": "Again"}).status_code == 409


def test_appeal_permissions_and_bad_input(api_client, comment, owner, user, make_user):
    _hidden(comment, owner)
    url = f"/community/comments/{comment.pk}/appeal"
    assert api_client.post(url, {"text": "please"}).status_code == 401
    api_client.login(make_user())
    assert api_client.post(url, {"text": "please"}).status_code == 403
    api_client.login(user)
    response = api_client.post(url, {"text": ""})
    assert response.status_code == 422
    assert "text" in _error_field(response)
    assert not Appeal.objects.exists()
    assert api_client.post(url, {"text": "please"}).status_code == 201
    assert api_client.post(url, {"text": "please"}).status_code == 409


def test_decide_permissions_and_bad_input(api_client, comment, owner, user):
    _hidden(comment, owner)
    services.appeal_create(actor=user, comment_id=comment.pk, text="please")
    url = f"/community/comments/{comment.pk}/appeal/decision"
    assert api_client.post(url, {"accept": True, "reason": "ok"}).status_code == 401
    api_client.login(user)
    assert api_client.post(url, {"accept": True, "reason": "ok"}).status_code == 403
    api_client.login(owner)
    response = api_client.post(url, {"accept": True, "reason": ""})
    assert response.status_code == 422
    assert "reason" in _error_field(response)
    response = api_client.post(url, {"accept": "maybe", "reason": "ok"})
    assert response.status_code == 422
    assert "accept" in _error_field(response)
    assert Appeal.objects.get().status == "pending"
    decided = api_client.post(url, {"accept": False, "reason": "Still off topic"})
    assert decided.status_code == 200
    assert decided.json()["status"] == "rejected"


def test_moderation_log_is_public(api_client, campaign, comment, owner):
    _hidden(comment, owner)
    rows = api_client.get(f"/community/campaigns/{campaign.slug}/moderation-log").json()
    assert [(r["action"], r["reason"], r["actor"]["id"]) for r in rows] == [
        ("hide", "Off topic", owner.pk)
    ]
    assert api_client.get("/community/campaigns/nope/moderation-log").status_code == 404


def test_notifications_need_login_and_are_private(api_client, comment, owner, user):
    _hidden(comment, owner)
    assert api_client.get("/community/notifications").status_code == 401
    assert api_client.post("/community/notifications/read").status_code == 401
    api_client.login(owner)
    assert api_client.get("/community/notifications").json() == []
    api_client.login(user)
    rows = api_client.get("/community/notifications").json()
    assert [(r["kind"], r["text"]) for r in rows] == [("hidden", "Off topic")]
    assert api_client.post("/community/notifications/read").json() == {"marked": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()
