"""Notices and their email reach each person in their own language, not in the language of
whoever caused them (a Russian-speaking brand must not write to a Vietnamese worker in
Russian), and brand members each get their own."""

import pytest
from django.db import transaction
from django.utils import translation

from tests.community.test_notifications import _manager, _notes
from tolpa.community.models import NotificationKind
from tolpa.community.notify import notify, notify_brand
from tolpa.ideas import services as idea_services
from tolpa.ideas.models import IdeaStatus

pytestmark = pytest.mark.django_db


def _speaks(person, language):
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])


def _in(language, text):
    with translation.override(language):
        return str(text)


def test_a_status_change_reaches_each_follower_in_their_language(
    challenge, post_idea, owner, user, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    idea = post_idea(challenge, user)
    follower = make_user()
    idea_services.follow(actor=follower, idea=idea)
    _speaks(user, "vi")
    _speaks(follower, "ru")
    accepted = IdeaStatus.ACCEPTED.label
    assert len({_in(language, accepted) for language in ("en", "ru", "vi")}) == 3

    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        idea_services.status_set(actor=owner, idea=idea, status="accepted", answer="")

    for person, language in ((user, "vi"), (follower, "ru")):
        [note] = _notes(person, NotificationKind.IDEA_STATUS)
        assert note.text == f"{idea.title}: {_in(language, accepted)}"
    mail = {message.to[0]: message for message in mailoutbox}
    label = NotificationKind.IDEA_STATUS.label
    assert _in("vi", label) in mail[user.email].subject
    assert _in("ru", label) in mail[follower.email].subject
    assert _in("ru", accepted) in mail[follower.email].body


def test_brand_members_each_read_a_deal_notice_in_their_language(
    make_user, organization, owner, make_campaign
):
    manager = _manager(make_user, organization)
    _speaks(owner, "ru")
    campaign = make_campaign(title="Logo")

    def text():
        return str(IdeaStatus.IMPLEMENTED.label)

    with translation.override("vi"):
        notify_brand(campaign=campaign, kind=NotificationKind.DEAL, text=text, url="/x/")
    [for_owner] = _notes(owner, NotificationKind.DEAL)
    [for_manager] = _notes(manager, NotificationKind.DEAL)
    assert for_owner.text == _in("ru", IdeaStatus.IMPLEMENTED.label)
    assert for_manager.text == _in("en", IdeaStatus.IMPLEMENTED.label)


def test_plain_text_is_stored_as_given(user):
    _speaks(user, "ru")
    notify(user, NotificationKind.REPLY, "Anna: looks good", "/c/1/")
    [note] = _notes(user, NotificationKind.REPLY)
    assert note.text == "Anna: looks good"
