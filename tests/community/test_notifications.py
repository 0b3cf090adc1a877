import logging

import pytest
from django.db import transaction
from django.urls import reverse

from tests.ideas.conftest import move_to
from tests.surveys.conftest import respond
from tolpa.accounts.models import Membership
from tolpa.community import services, tasks
from tolpa.community.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSent,
)
from tolpa.community.notify import notify
from tolpa.ideas import services as idea_services
from tolpa.ideas.models import CoauthorInvite

pytestmark = pytest.mark.django_db

PREFS = "/community/notifications/preferences"


def _prefer(user, kind, *, in_app=True, email=False):
    NotificationPreference.objects.create(user=user, kind=kind, in_app=in_app, email=email)


def _notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _manager(make_user, organization):
    person = make_user(email="manager@example.com")
    Membership.objects.create(organization=organization, user=person, role="manager")
    return person


def test_in_app_off_stores_nothing_but_email_still_goes(
    post, user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    first = post(user, "Question?")
    _prefer(user, NotificationKind.REPLY, in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        post(make_user(display_name="Replier"), "Answer", parent=first)
    assert not _notes(user, NotificationKind.REPLY)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert "New reply to your comment" in mail.subject
    assert "Replier: Answer" in mail.body
    assert f"http://localhost:8000{first.campaign.get_absolute_url()}#comment-" in mail.body
    assert "http://localhost:8000/notifications/settings/" in mail.body


def test_email_waits_for_the_commit_and_respects_email_off(
    post, user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    first = post(user, "Question?")
    with django_capture_on_commit_callbacks() as callbacks:
        post(make_user(), "Answer", parent=first)
    assert len(_notes(user, NotificationKind.REPLY)) == 1
    assert not mailoutbox
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1

    _prefer(user, NotificationKind.MENTION, in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        post(make_user(), f"Hi @{user.display_name}")
    assert len(_notes(user, NotificationKind.MENTION)) == 1
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_is_logged_never_raised(
    post, user, make_user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP")

    monkeypatch.setattr("tolpa.community.notify.send_mail", broken)
    first = post(user, "Question?")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        post(make_user(), "Answer", parent=first)
    assert len(_notes(user, NotificationKind.REPLY)) == 1
    assert "could not email a reply notification" in caplog.text


def test_settings_page_is_a_grid_that_saves(client, user):
    url = reverse("community:notification_settings")
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous.url
    client.force_login(user)
    page = client.get(reverse("community:notifications")).content.decode()
    assert url in page
    grid = client.get(url).content.decode()
    for kind in NotificationKind.values:
        assert f'name="{kind}-in_app"' in grid
        assert f'name="{kind}-email"' in grid
    checked = {f"{kind}-in_app": "on" for kind in NotificationKind.values if kind != "mention"}
    checked["deadline-email"] = "on"
    response = client.post(url, checked)
    assert response.status_code == 302
    mention = NotificationPreference.objects.get(user=user, kind="mention")
    assert (mention.in_app, mention.email) == (False, False)
    reply = NotificationPreference.objects.get(user=user, kind="reply")
    assert (reply.in_app, reply.email) == (True, False)
    assert NotificationPreference.objects.get(user=user, kind="deadline").email


def test_preferences_api_defaults_update_and_bad_input(api_client, user):
    assert api_client.get(PREFS).status_code == 401
    assert api_client._call("put", PREFS, {"preferences": []}).status_code == 401
    api_client.login(user)
    rows = {row["kind"]: row for row in api_client.get(PREFS).json()}
    assert list(rows) == NotificationKind.values
    assert all(row["in_app"] for row in rows.values())
    emailed = {kind for kind, row in rows.items() if row["email"]}
    assert emailed == {
        "reply", "mention", "hidden", "idea_status", "deadline", "deal", "item_comment"
    }  # fmt: skip
    assert rows["new_entry"]["label"] == "New contest entries"

    change = {"preferences": [{"kind": "new_entry", "in_app": False, "email": True}]}
    rows = {row["kind"]: row for row in api_client._call("put", PREFS, change).json()}
    assert (rows["new_entry"]["in_app"], rows["new_entry"]["email"]) == (False, True)
    assert rows["reply"]["email"]

    for bad in (
        {"preferences": [{"kind": "nope", "in_app": True, "email": True}]},
        {"preferences": [{"kind": "reply", "in_app": True, "email": False}] * 2},
        {"preferences": [{"kind": "reply", "in_app": "maybe", "email": False}]},
        {"preferences": "all"},
        {},
    ):
        response = api_client._call("put", PREFS, bad)
        assert response.status_code == 422, bad
        assert response.json()["error"]["fields"]
    assert not NotificationPreference.objects.filter(user=user, kind="reply").exists()


def test_idea_status_change_tells_authors_and_followers(
    challenge, post_idea, owner, user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    idea = post_idea(challenge, user)
    coauthor, follower = make_user(), make_user()
    CoauthorInvite.objects.create(
        idea=idea, email=coauthor.email, invited_by=user, user=coauthor, accepted_at=idea.created_at
    )
    idea_services.follow(actor=follower, idea=idea)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        idea_services.status_set(
            actor=owner, idea=idea, status="accepted", answer="We will pilot it in May."
        )
    for person in (user, coauthor, follower):
        [note] = _notes(person, NotificationKind.IDEA_STATUS)
        assert note.text == f"{idea.title}: Accepted. We will pilot it in May."
        assert note.url == idea.get_absolute_url()
    assert not _notes(owner, NotificationKind.IDEA_STATUS)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        p.email for p in (user, coauthor, follower)
    )


def test_new_ideas_reach_every_brand_member_once_per_unread_batch(
    challenge, post_idea, owner, organization, make_user, mailoutbox
):
    manager = _manager(make_user, organization)
    post_idea(challenge, make_user(), title="Refill stations")
    post_idea(challenge, make_user(), title="Paper bags")
    for member in (owner, manager):
        [note] = _notes(member, NotificationKind.NEW_IDEA)
        assert note.count == 2
        assert note.text == f"{challenge.campaign.title}: Paper bags"
        assert note.url == reverse("ideas:dashboard", args=[challenge.campaign.slug])
    assert not mailoutbox  # email for new ideas is off by default
    services.notifications_mark_read(actor=owner)
    post_idea(challenge, make_user(), title="Deposit bottles")
    assert [n.count for n in _notes(owner, NotificationKind.NEW_IDEA)] == [1, 2]
    assert [n.count for n in _notes(manager, NotificationKind.NEW_IDEA)] == [3]


def test_new_survey_responses_are_batched_for_the_brand(make_survey, owner, make_user):
    survey = make_survey()
    respond(survey, make_user())
    respond(survey, make_user())
    [note] = _notes(owner, NotificationKind.NEW_RESPONSE)
    assert (note.count, note.text, note.campaign_id) == (
        2,
        survey.campaign.title,
        survey.campaign_id,
    )
    assert note.url == reverse("surveys:dashboard", args=[survey.campaign.slug])


def test_new_contest_entries_are_batched_and_emailed_once_when_chosen(
    make_contest, enter, designer, owner, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(owner, NotificationKind.NEW_ENTRY, in_app=True, email=True)
    contest = make_contest()
    with django_capture_on_commit_callbacks(execute=True):
        enter(contest, designer(), title="Fox one")
        enter(contest, designer(), title="Fox two")
    [note] = _notes(owner, NotificationKind.NEW_ENTRY)
    assert note.count == 2
    assert note.text == f"{contest.campaign.title}: #2 Fox two"
    assert len(mailoutbox) == 1  # a new batch mails; growing it does not


def test_deadline_job_reminds_participants_once(
    challenge, post_idea, owner, user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    idea = post_idea(challenge, user)
    follower, quiet = make_user(), make_user()
    idea_services.follow(actor=follower, idea=idea)
    idea_services.follow(actor=quiet, idea=idea)
    _prefer(quiet, NotificationKind.DEADLINE, in_app=False, email=False)
    assert tasks.remind_deadlines() == 0  # the campaign ends in two weeks
    move_to(challenge, "voting")  # now it ends within the hour
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_deadlines() == 2
        assert tasks.remind_deadlines() == 0
    for person in (user, follower):
        [note] = _notes(person, NotificationKind.DEADLINE)
        assert note.text == challenge.campaign.title
    assert not _notes(quiet, NotificationKind.DEADLINE)
    assert not _notes(owner, NotificationKind.DEADLINE)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([user.email, follower.email])
    assert NotificationSent.objects.filter(kind="deadline").count() == 3


def test_notify_refuses_a_batched_kind_without_a_campaign(user):
    with pytest.raises(ValueError, match="needs a campaign"):
        notify(user, NotificationKind.NEW_IDEA, "x", "/")
    with pytest.raises(ValueError, match="not a valid NotificationKind"):
        notify(user, "no-such-kind", "x", "/")
