"""Who sees what on contest and entry pages (brand, entrant, another entrant of a blind
contest, anonymous), and the entry page's forms."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.contests.conftest import fake_png, page_text, page_url, png
from tolpa.community.models import Comment
from tolpa.contests import services
from tolpa.contests.models import Entry

pytestmark = pytest.mark.django_db


# Who sees what ----------------------------------------------------------------------------------


@pytest.fixture
def blind_entries(make_contest, designer, enter):
    contest = make_contest(blind=True)
    alice, bob = designer(display_name="Alice"), designer(display_name="Bob")
    entry_a = enter(contest, alice, upload=png("a.png"), title="Alice fox")
    entry_b = enter(contest, bob, upload=png("b.png", color=(0, 0, 200)), title="Bob fox")
    return contest, alice, bob, entry_a, entry_b


def test_permission_matrix_of_a_blind_contest(client, blind_entries, owner, make_user):
    contest, alice, _bob, entry_a, entry_b = blind_entries
    a_file, b_file = entry_a.current.file.url, entry_b.current.file.url
    a_thumb, b_thumb = entry_a.current.thumbnail.url, entry_b.current.thumbnail.url

    # The brand sees every entry, every entry page and the dashboard.
    client.force_login(owner)
    page = page_text(client, page_url("detail", contest))
    assert a_thumb in page
    assert b_thumb in page
    for number in (1, 2):
        page_text(client, page_url("entry", contest, number))
    page_text(client, page_url("dashboard", contest))

    # An entrant sees their own entry only: not the other's page, file or thumbnail.
    client.force_login(alice)
    page = page_text(client, page_url("detail", contest))
    assert a_thumb in page
    assert b_file not in page
    assert b_thumb not in page
    assert "Bob fox" not in page
    assert a_file in page_text(client, page_url("entry", contest, 1))
    page_text(client, page_url("entry", contest, 2), status=404)
    page_text(client, page_url("dashboard", contest), status=403)

    # Someone else and an anonymous visitor see no entry at all.
    for person in (make_user(), None):
        if person:
            client.force_login(person)
        else:
            client.logout()
        page = page_text(client, page_url("detail", contest))
        assert a_thumb not in page
        assert b_thumb not in page
        page_text(client, page_url("entry", contest, 1), status=404)
    assert "/accounts/login/" in client.get(page_url("dashboard", contest)).url


def test_open_contest_shows_entries_but_not_the_review(client, contest, owner, designer, enter):
    alice = designer()
    entry = enter(contest, alice, title="Fox")
    with transaction.atomic():
        services.entry_review(actor=owner, entry=entry, rating=4, comment="Warmer orange, please")
    client.logout()
    page = page_text(client, page_url("entry", contest, 1))
    assert entry.current.file.url in page
    assert "Warmer orange" not in page
    assert "★ 4/5" not in page
    assert entry.current.thumbnail.url in page_text(client, page_url("detail", contest))
    client.force_login(alice)
    page = page_text(client, page_url("entry", contest, 1))
    assert "Warmer orange, please" in page
    assert "★ 4/5" in page


def test_private_contest_shows_the_nda_first(client, make_contest, designer, enter):
    contest = make_contest(
        private=True, nda_text="Keep the bakery secret.", requirements="Top secret fox"
    )
    alice = designer()
    client.force_login(alice)
    page = page_text(client, page_url("detail", contest))
    assert "Keep the bakery secret." in page
    assert "Top secret fox" not in page
    assert 'id="entry-form"' not in page
    page_text(client, page_url("entry", contest, 1), status=403)
    client.post(page_url("nda", contest))
    page = page_text(client, page_url("detail", contest))
    assert "Top secret fox" in page
    assert 'id="entry-form"' in page
    client.logout()
    assert "Top secret fox" not in page_text(client, page_url("detail", contest))


# The entry page -------------------------------------------------------------------------------


def test_brand_reviews_shortlists_and_declines(client, contest, owner, designer, enter):
    enter(contest, designer(), title="First")
    enter(contest, designer(), title="Second")
    client.force_login(owner)
    url = page_url("entry", contest, 1)
    response = client.post(
        url, {"action": "review", "rating": "5", "comment": "Love it", "shortlisted": "on"}
    )
    assert response.url == url
    first = Entry.objects.get(number=1)
    assert (first.rating, first.brand_comment, first.shortlisted) == (5, "Love it", True)
    bad = client.post(url, {"action": "review", "rating": "9"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert Entry.objects.get(number=1).rating == 5
    empty = client.post(page_url("entry", contest, 2), {"action": "decline", "reason": ""})
    assert "This field is required." in empty.content.decode()
    client.post(page_url("entry", contest, 2), {"action": "decline", "reason": "Uses clip art"})
    second = Entry.objects.get(number=2)
    assert (second.status, second.decline_reason) == ("declined", "Uses clip art")


def test_only_the_brand_reviews(client, contest, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(alice)
    response = client.post(page_url("entry", contest, 1), {"action": "review", "rating": "5"})
    assert response.status_code == 403
    assert Entry.objects.get().rating is None


def test_author_revises_and_withdraws(client, contest, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(alice)
    url = page_url("entry", contest, 1)
    client.post(
        url, {"action": "revise", "file": png("v2.png", color=(0, 200, 0)), "note": "Greener"}
    )
    entry = Entry.objects.get()
    assert [v.number for v in entry.versions.all()] == [1, 2]
    assert "Greener" in page_text(client, url)
    refused = client.post(url, {"action": "revise", "file": fake_png()})
    assert "The file is not a valid image." in refused.content.decode()
    assert entry.versions.count() == 2
    client.post(url, {"action": "withdraw"})
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    again = client.post(url, {"action": "withdraw"})
    assert again.status_code == 409
    assert "This entry is not active." in again.content.decode()


def test_comments_between_author_and_brand(client, contest, owner, designer, enter, make_user):
    alice = designer()
    enter(contest, alice)
    url = page_url("entry", contest, 1)
    post = reverse("community:post", args=[contest.campaign.slug])
    client.force_login(alice)
    response = client.post(post, {"body": "Is orange fine?", "item_number": 1})
    assert response.url.startswith(url)
    client.force_login(owner)
    client.post(post, {"body": "Yes, go on", "item_number": 1})
    page = page_text(client, url)
    assert "Is orange fine?" in page
    assert "Yes, go on" in page
    assert "Is orange fine?" not in page_text(client, page_url("detail", contest))
    client.force_login(make_user())
    page = page_text(client, url)
    assert "Yes, go on" not in page
    assert 'id="comment-form"' not in page
    assert client.post(post, {"body": "Me too", "item_number": 1}).status_code == 404
    assert client.post(post, {"body": "Me too", "item_number": "x"}).status_code == 404
    assert Comment.objects.filter(item_number=1).count() == 2


def test_anonymous_comments_are_sent_to_log_in(client, contest, designer, enter):
    enter(contest, designer())
    post = reverse("community:post", args=[contest.campaign.slug])
    response = client.post(post, {"body": "Hi", "item_number": 1})
    assert "/accounts/login/" in response.url
    assert not Comment.objects.exists()
