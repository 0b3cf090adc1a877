import pytest
from django.db import transaction

from tolpa.community import selectors, services
from tolpa.community.models import (
    ActionKind,
    Comment,
    CommentReport,
    CommentRevision,
    ModerationAction,
    Notification,
    NotificationKind,
)
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _item(actor, campaign, comment):
    return next(
        i for i in selectors.thread(actor=actor, campaign=campaign)["items"] if i.comment == comment
    )


def test_post_reply_and_threading(post, user, owner, make_user):
    root = post(user, "First")
    reply = post(owner, "Thanks!", parent=root)
    assert reply.parent == root
    assert reply.depth == 1
    assert reply.is_brand
    assert not root.is_brand
    notes = Notification.objects.filter(recipient=user, kind=NotificationKind.REPLY)
    assert notes.count() == 1
    assert reply.get_absolute_url() == notes.get().url
    assert not Notification.objects.filter(recipient=owner).exists()


def test_deep_replies_are_flattened_at_the_last_shown_level(post, campaign, user, make_user):
    parent = post(user, "level 0")
    for level in range(1, 7):
        parent = post(make_user(), f"level {level}", parent=parent)
    items = selectors.thread(actor=user, campaign=campaign)["items"]
    assert [i.comment.body for i in items] == [f"level {n}" for n in range(7)]
    assert [i.depth for i in items] == [0, 1, 2, 3, 3, 3, 3]
    assert items[4].reply_to == items[3].comment
    assert items[3].reply_to is None


def test_reply_to_a_comment_of_another_campaign_is_refused(post, make_campaign, user):
    other = post(user, "elsewhere", on=make_campaign(title="Other"))
    with pytest.raises(InvalidInput) as exc:
        post(user, "reply", parent=other)
    assert "parent_id" in exc.value.fields


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_001])
def test_empty_and_oversized_bodies_are_refused(post, user, body):
    with pytest.raises(InvalidInput) as exc:
        post(user, body)
    assert list(exc.value.fields) == ["body"]
    assert not Comment.objects.exists()


def test_body_is_stripped_and_10000_chars_allowed(post, user):
    assert post(user, "  hi  ").body == "hi"
    assert len(post(user, "y" * 10_000).body) == 10_000


def test_anonymous_cannot_post(campaign):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDeniedError):
        services.comment_post(actor=AnonymousUser(), campaign=campaign, body="hi")


def test_edit_keeps_history_and_only_the_author_edits(post, campaign, user, make_user):
    comment = post(user, "Version one")
    with pytest.raises(PermissionDeniedError):
        services.comment_edit(actor=make_user(), comment_id=comment.pk, body="hijack")
    services.comment_edit(actor=user, comment_id=comment.pk, body="Version two")
    services.comment_edit(actor=user, comment_id=comment.pk, body="Version three")
    comment.refresh_from_db()
    assert comment.body == "Version three"
    assert comment.edited_at
    assert [r.body for r in comment.revisions.all()] == ["Version two", "Version one"]
    item = _item(make_user(), campaign, comment)
    assert [r.body for r in item.revisions] == ["Version two", "Version one"]


def test_bad_edit_changes_nothing(post, user):
    comment = post(user, "Keep me")
    with pytest.raises(InvalidInput):
        services.comment_edit(actor=user, comment_id=comment.pk, body=" ")
    comment.refresh_from_db()
    assert comment.body == "Keep me"
    assert not CommentRevision.objects.exists()


def test_mentions_link_profiles_and_notify(post, campaign, user, make_user):
    ann = make_user(email="ann.lee@example.com", display_name="Ann Lee")
    bob = make_user(email="bob@example.com", display_name="Robert")
    comment = post(user, "Hi @Ann Lee and @bob, not @nobody; `@bob` in code stays.")
    assert set(comment.mentions.all()) == {ann, bob}
    assert Notification.objects.filter(kind=NotificationKind.MENTION).count() == 2
    html = _item(user, campaign, comment).html
    assert f'<a class="mention" href="/accounts/u/{ann.pk}/">@Ann Lee</a>' in html
    assert f'<a class="mention" href="/accounts/u/{bob.pk}/">@bob</a>' in html
    assert "<code>@bob</code>" in html
    assert "@nobody" in html


def test_markdown_script_is_sanitised(post, campaign, user):
    comment = post(user, "**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    html = _item(user, campaign, comment).html
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_hide_requires_reason_and_a_moderator(post, user, owner, make_user):
    comment = post(user, "Buy cheap watches")
    with pytest.raises(PermissionDeniedError):
        services.comment_hide(actor=make_user(), comment_id=comment.pk, reason="spam")
    with pytest.raises(InvalidInput) as exc:
        services.comment_hide(actor=owner, comment_id=comment.pk, reason="  ")
    assert "reason" in exc.value.fields
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not ModerationAction.objects.exists()


def test_staff_moderate_any_campaign(post, user, make_user):
    comment = post(user, "Spam")
    services.comment_hide(actor=make_user(is_staff=True), comment_id=comment.pk, reason="Spam")
    assert Comment.objects.get(pk=comment.pk).is_hidden


def test_hidden_comment_shows_reason_to_others_and_body_to_author(
    post, campaign, user, owner, make_user
):
    comment = post(user, "Rude words")
    services.comment_hide(actor=owner, comment_id=comment.pk, reason="Be kind")
    comment.refresh_from_db()
    assert comment.body == "Rude words"
    assert comment.hidden_reason == "Be kind"
    assert _item(make_user(), campaign, comment).html is None
    assert "Rude words" in _item(user, campaign, comment).html
    assert Notification.objects.get(recipient=user, kind=NotificationKind.HIDDEN).text == "Be kind"
    with pytest.raises(ConflictError):
        services.comment_edit(actor=user, comment_id=comment.pk, body="Nicer words")
    with pytest.raises(ConflictError):
        services.comment_hide(actor=owner, comment_id=comment.pk, reason="again")


def test_moderation_log_lists_every_decision(post, campaign, user, owner, make_user, settings):
    settings.TOLPA_COMMENT_REPORTS_TO_HIDE = 1
    first, second = post(user, "one"), post(user, "two")
    services.comment_hide(actor=owner, comment_id=first.pk, reason="Off topic")
    services.comment_unhide(actor=owner, comment_id=first.pk, reason="On reflection, fine")
    services.comment_report(actor=make_user(), comment_id=second.pk, reason="spam")
    services.appeal_create(actor=user, comment_id=second.pk, text="It is not spam")
    services.appeal_decide(actor=owner, comment_id=second.pk, accept=False, reason="It is spam")
    log = list(selectors.moderation_log(campaign=campaign))
    assert [(a.action, a.comment_id, a.reason) for a in reversed(log)] == [
        (ActionKind.HIDE, first.pk, "Off topic"),
        (ActionKind.UNHIDE, first.pk, "On reflection, fine"),
        (ActionKind.AUTO_HIDE, second.pk, ""),
        (ActionKind.APPEAL_REJECT, second.pk, "It is spam"),
    ]
    assert log[1].actor is None


def test_report_once_and_not_your_own(post, user, make_user):
    comment = post(user, "hello")
    reporter = make_user()
    services.comment_report(actor=reporter, comment_id=comment.pk, reason="spam")
    with pytest.raises(ConflictError, match="already reported"):
        services.comment_report(actor=reporter, comment_id=comment.pk, reason="spam again")
    with pytest.raises(PermissionDeniedError):
        services.comment_report(actor=user, comment_id=comment.pk, reason="me")
    with pytest.raises(InvalidInput):
        services.comment_report(actor=make_user(), comment_id=comment.pk, reason="")
    assert CommentReport.objects.count() == 1


def test_auto_hide_at_threshold_once(post, user, make_user, settings):
    settings.TOLPA_COMMENT_REPORTS_TO_HIDE = 3
    comment = post(user, "borderline")
    for n in range(5):
        services.comment_report(actor=make_user(), comment_id=comment.pk, reason="bad")
        comment.refresh_from_db()
        assert comment.is_hidden == (n >= 2)
    assert comment.hidden_automatically
    assert ModerationAction.objects.filter(action=ActionKind.AUTO_HIDE).count() == 1


def test_unhide_resets_reports_so_one_more_does_not_hide_again(
    post, user, owner, make_user, settings
):
    settings.TOLPA_COMMENT_REPORTS_TO_HIDE = 2
    comment = post(user, "borderline")
    for _ in range(2):
        services.comment_report(actor=make_user(), comment_id=comment.pk, reason="bad")
    services.comment_unhide(actor=owner, comment_id=comment.pk, reason="Reviewed, fine")
    services.comment_report(actor=make_user(), comment_id=comment.pk, reason="bad")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert comment.pending_reports == 1


def test_appeal_once_and_decisions(post, user, owner, make_user):
    comment = post(user, "hello")
    with pytest.raises(ConflictError):
        services.appeal_create(actor=user, comment_id=comment.pk, text="not hidden yet")
    services.comment_hide(actor=owner, comment_id=comment.pk, reason="Mistake?")
    with pytest.raises(PermissionDeniedError):
        services.appeal_create(actor=make_user(), comment_id=comment.pk, text="for them")
    with pytest.raises(NotFoundError):
        services.appeal_decide(actor=owner, comment_id=comment.pk, accept=True, reason="x")
    services.appeal_create(actor=user, comment_id=comment.pk, text="Please look again")
    with pytest.raises(ConflictError, match="already appealed"):
        services.appeal_create(actor=user, comment_id=comment.pk, text="again")
    with pytest.raises(PermissionDeniedError):
        services.appeal_decide(actor=make_user(), comment_id=comment.pk, accept=True, reason="x")
    appeal = services.appeal_decide(actor=owner, comment_id=comment.pk, accept=True, reason="Fair")
    assert appeal.status == "accepted"
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert Notification.objects.filter(
        recipient=user, kind=NotificationKind.APPEAL_ACCEPTED
    ).exists()
    with pytest.raises(ConflictError):
        services.appeal_decide(actor=owner, comment_id=comment.pk, accept=False, reason="x")


def test_comments_on_a_draft_are_hidden_from_outsiders(make_campaign, owner, user):
    draft = make_campaign(launch=False, title="Secret")
    with transaction.atomic():
        comment = services.comment_post(actor=owner, campaign=draft, body="internal")
    with pytest.raises(NotFoundError):
        services.comment_report(actor=user, comment_id=comment.pk, reason="x")


def test_mark_all_read(post, user, owner):
    root = post(user, "a")
    post(owner, "b", parent=root)
    assert selectors.unread_count(actor=user) == 1
    assert services.notifications_mark_read(actor=user) == 1
    assert selectors.unread_count(actor=user) == 0
