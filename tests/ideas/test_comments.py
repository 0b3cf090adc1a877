"""Each idea has its own comment thread (the community app's), with the idea's visibility,
and a merge carries the duplicate's thread to the kept idea and back on unmerge."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tolpa.community import services as community
from tolpa.community.models import Comment, Notification, NotificationKind
from tolpa.errors import InvalidInput, NotFoundError
from tolpa.ideas import merging
from tolpa.ideas import services as idea_services

pytestmark = pytest.mark.django_db


def comment(actor, idea, body="Nice", **kw):
    with transaction.atomic():
        return community.comment_post(
            actor=actor, campaign=idea.challenge.campaign, body=body, **kw
        )


def test_idea_thread_is_its_own_and_replies_stay_on_it(challenge, owner, user, post_idea):
    idea = post_idea(challenge, user)
    other = post_idea(challenge, user, title="Paper bags at the till")
    first = comment(owner, idea, "Could this work in small shops?", item_number=idea.number)
    reply = comment(user, idea, "Yes, with one shelf.", parent_id=first.pk)
    general = comment(user, idea, "A question about the challenge")
    assert (first.is_brand, reply.item_number, general.item_number) == (True, idea.number, None)
    with pytest.raises(InvalidInput):
        comment(user, other, "Wrong thread", parent_id=first.pk, item_number=other.number)
    with pytest.raises(NotFoundError):
        comment(user, idea, "No such idea", item_number=999)
    assert reply.get_absolute_url() == f"{idea.get_absolute_url()}#comment-{reply.pk}"


def test_idea_page_shows_its_thread_and_posting_returns_there(client, challenge, user, post_idea):
    idea = post_idea(challenge, user)
    client.force_login(user)
    post = reverse("community:post", args=[challenge.campaign.slug])
    response = client.post(post, {"body": "Bottles from **glass**", "item_number": idea.number})
    assert response.url.startswith(idea.get_absolute_url())
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<strong>glass</strong>" in page
    assert 'name="item_number"' in page
    challenge_page = client.get(challenge.campaign.get_absolute_url()).content.decode()
    assert "Bottles from" not in challenge_page
    assert 'id="comments"' in challenge_page
    refresh = client.get(
        reverse("community:thread", args=[challenge.campaign.slug]),
        {"item_number": idea.number},
        headers={"HX-Request": "true"},
    )
    assert "<strong>glass</strong>" in refresh.content.decode()


def test_internal_idea_threads_are_closed_to_outsiders(
    api_client, internal, owner, make_user, post_idea
):
    insider = make_user(email="ann@acme.com", email_verified_at=timezone.now())
    idea = post_idea(internal, insider)
    comment(insider, idea, "Only for us", item_number=idea.number)
    url = f"/community/campaigns/{internal.campaign.slug}/comments"
    api_client.login(make_user(email="eve@elsewhere.org"))
    assert api_client.get(f"{url}?item_number={idea.number}").status_code == 404
    assert api_client.post(url, {"body": "hi", "item_number": idea.number}).status_code == 404
    api_client.login(insider)
    listed = api_client.get(f"{url}?item_number={idea.number}").json()
    assert [(c["body"], c["item_number"]) for c in listed] == [("Only for us", idea.number)]
    assert api_client.post(url, {"body": "", "item_number": idea.number}).status_code == 422
    assert api_client.get(f"{url}?item_number=999").status_code == 404
    assert api_client.get(f"{url}?item_number=abc").status_code == 422
    assert Comment.objects.count() == 1


def test_merge_carries_the_thread_and_unmerge_brings_it_back(
    challenge, owner, user, make_user, post_idea
):
    keep = post_idea(challenge, user, title="Refill stations")
    dupe = post_idea(challenge, make_user(), title="Refill station for soap")
    on_keep = comment(user, keep, "On the kept idea", item_number=keep.number)
    on_dupe = comment(user, dupe, "On the duplicate", item_number=dupe.number)
    with transaction.atomic():
        merging.idea_merge(actor=owner, source=dupe, target=keep)
    assert set(Comment.objects.filter(item_number=keep.number)) == {on_keep, on_dupe}
    later_reply = comment(owner, keep, "Answered after the merge", parent_id=on_dupe.pk)
    after_merge = comment(user, keep, "New after the merge", item_number=keep.number)
    dupe.refresh_from_db()
    with transaction.atomic():
        merging.idea_unmerge(actor=owner, source=dupe)
    assert set(Comment.objects.filter(item_number=dupe.number)) == {on_dupe, later_reply}
    assert set(Comment.objects.filter(item_number=keep.number)) == {on_keep, after_merge}


def test_comments_reach_the_idea_author_and_followers_once(
    challenge, owner, user, make_user, post_idea
):
    idea = post_idea(challenge, user)
    follower, writer = make_user(display_name="Fan"), make_user(display_name="Wendy")
    with transaction.atomic():
        idea_services.follow(actor=follower, idea=idea)
    first = comment(writer, idea, "Ask @Fan about bottles", item_number=idea.number)
    comment(user, idea, "Thanks!", parent_id=first.pk)
    notices = Notification.objects.filter(kind=NotificationKind.ITEM_COMMENT)
    assert sorted(notices.values_list("recipient__display_name", "text")) == [
        ("Crowd Member", "Wendy: Ask @Fan about bottles"),
        ("Fan", "Crowd Member: Thanks!"),
        ("Fan", "Wendy: Ask @Fan about bottles"),
    ]
    assert not Notification.objects.filter(recipient=follower, kind=NotificationKind.MENTION)
    assert Notification.objects.get(recipient=writer).kind == NotificationKind.REPLY
