"""Contest pages: who sees what (brand, entrant, another entrant of a blind contest,
anonymous), every form's happy path, and bad input that must change nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.contests.conftest import end_stage, escrow_balance, org_balance, png, user_balance
from tolpa.accounts import services as account_services
from tolpa.community.models import Comment
from tolpa.contests import services, votes, winners
from tolpa.contests.models import (
    Award,
    BriefFile,
    Contest,
    Entry,
    PairVote,
    Poll,
    Vote,
)

pytestmark = pytest.mark.django_db

SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
FAKE_PNG = b"this is plain text pretending to be a picture"


def _url(name: str, contest: Contest, *args) -> str:
    return reverse(f"contests:{name}", args=[contest.campaign.slug, *args])


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def _fake_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.png", FAKE_PNG, content_type="image/png")


def _svg_with_script() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.svg", SCRIPTED_SVG, content_type="image/svg+xml")


def _brief(**changes) -> dict:
    return {
        "title": "Logo for a bakery", "category": "logo", "summary": "Warm and simple",
        "requirements": "A **loaf** and a fox.", "must_have": "- the name\n- orange",
        "avoid": "clip art", "deliverables": "SVG, PNG", "currency": "USD",
        "prize_mode": "places", "prizes": "500, 200, 100", "entry_days": 7, "selection_days": 7,
        "finalists_max": 0, "finalist_days": 3, "language": "en", "tags": "logo, food",
        "nda_text": "", **changes,
    }  # fmt: skip


@pytest.fixture
def poll_on(owner):
    def open_poll(contest, **options):
        with transaction.atomic():
            return votes.poll_open(actor=owner, contest=contest, days=3, **options)

    return open_poll


@pytest.fixture
def pick(owner):
    def pick(contest, *entries):
        contest = end_stage(contest) if contest.stage == "entry" else contest
        with transaction.atomic():
            return winners.winners_pick(
                actor=owner,
                contest=contest,
                picks={place: e.pk for place, e in enumerate(entries, start=1)},
            )

    return pick


# Listing and creation ----------------------------------------------------------------------


def test_listing_shows_live_contests_with_filters_and_search(client, make_contest):
    logo = make_contest(title="Fox bakery logo")
    naming = make_contest(title="Name our tea", category="naming", prizes=[10_000])
    draft = make_contest(title="Secret draft", launch=False)
    page = _page(client, reverse("contests:list"))
    assert logo.campaign.title in page
    assert naming.campaign.title in page
    assert draft.campaign.title not in page
    assert "400.00 USD" in page  # 300 + 100, the prize total
    assert "0 entries" in page
    only_naming = _page(client, reverse("contests:list") + "?category=naming")
    assert naming.campaign.title in only_naming
    assert logo.campaign.title not in only_naming
    searched = _page(client, reverse("contests:list") + "?q=bakery")
    assert logo.campaign.title in searched
    assert naming.campaign.title not in searched
    assert "Fox bakery" not in _page(client, reverse("contests:list") + "?stage=completed")
    assert "Fox bakery" in _page(client, reverse("contests:list") + "?stage=bogus&category=x")


def test_navigation_links_to_contests(client):
    assert f'href="{reverse("contests:list")}"' in _page(client, "/")


def test_brand_creates_a_brief_with_prizes_and_reference_files(client, owner, organization):
    client.force_login(owner)
    cover = png("cover.png")
    references = [png("moodboard.png"), SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n")]
    response = client.post(
        reverse("contests:create"), {**_brief(), "cover": cover, "reference_files": references}
    )
    contest = Contest.objects.get()
    assert response.url == _url("dashboard", contest)
    assert [p.amount for p in contest.prizes.all()] == [50_000, 20_000, 10_000]
    assert contest.stage == "draft"
    assert sorted(BriefFile.objects.values_list("name", flat=True)) == [
        "guide.pdf",
        "moodboard.png",
    ]
    assert contest.campaign.cover
    page = _page(client, _url("detail", contest))
    assert "<strong>loaf</strong>" in page
    assert "guide.pdf" in page
    assert "<li>orange</li>" in page


def test_create_needs_a_brand(client, user):
    client.force_login(user)
    assert client.get(reverse("contests:create")).url == reverse("accounts:organization_create")


def test_create_redirects_anonymous_to_login(client):
    assert "/accounts/login/" in client.get(reverse("contests:create")).url


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prizes": "50"}, "Prizes in this category total at least 100 USD."),
        ({"prizes": "500, abc"}, "Prize 2 (abc): Enter a number, such as 12.50."),
        ({"prizes": "12.345"}, "If . separates thousands, write 1234 or 1234.00."),
        ({"prizes": "12.5, 3.1234"}, "USD has 2 decimal places."),
        ({"prizes": "500,200,100"}, "separate prizes with a comma and a space"),
        ({"prizes": "100, 200"}, "A lower place cannot win more than a higher one."),
        ({"prizes": "0"}, "The amount must be positive."),
        (
            {"prize_mode": "buy_entries", "prizes": "100, 90"},
            "Every bought entry has the same price.",
        ),
        ({"entry_days": 61}, "Ensure this value is less than or equal to 60."),
        ({"private": "on"}, "A private contest needs the NDA text."),
        ({"cover": "fake"}, "The file is not a valid image."),
        ({"reference_files": "svg"}, "SVG files with scripts or embedded content are refused."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_briefs_are_refused_with_a_clear_error(client, owner, organization, changes, message):
    client.force_login(owner)
    if changes.get("cover") == "fake":
        changes["cover"] = _fake_png()
    if changes.get("reference_files") == "svg":
        changes["reference_files"] = [png("ok.png"), _svg_with_script()]
    response = client.post(reverse("contests:create"), _brief(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contest.objects.exists()
    assert not BriefFile.objects.exists()


# The contest page ---------------------------------------------------------------------------


def test_detail_shows_brief_prizes_timeline_and_countdown(client, make_contest):
    contest = make_contest(
        requirements="Bold <script>alert(1)</script> [link](javascript:alert(1))",
        must_have="fox\norange", avoid="clip art", deliverables="SVG",
    )  # fmt: skip
    page = _page(client, _url("detail", contest))
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript' not in page
    assert "<li>fox</li>" in page
    assert "<li>clip art</li>" in page
    assert "300.00 USD" in page
    assert "100.00 USD" in page
    assert "400.00 USD" in page
    assert "data-countdown" in page
    assert contest.stage_ends_at.strftime("%Y-%m-%d") in page
    assert 'class="current" aria-current="step">Open for entries' in page
    assert "Log in to enter this contest" in page


def test_draft_is_only_for_the_brand(client, make_contest, owner, user):
    draft = make_contest(launch=False)
    assert client.get(_url("detail", draft)).status_code == 404
    client.force_login(user)
    assert client.get(_url("detail", draft)).status_code == 404
    client.force_login(owner)
    assert client.get(_url("detail", draft)).status_code == 200


def test_unknown_contest_is_404(client):
    assert client.get(reverse("contests:detail", args=["nope"])).status_code == 404


# Launch --------------------------------------------------------------------------------------


def test_brand_launches_from_the_dashboard(client, make_contest, owner, funded_organization):
    contest = make_contest(launch=False)
    client.force_login(owner)
    page = _page(client, _url("dashboard", contest))
    assert "Launching holds 400.00 USD in escrow" in page
    response = client.post(_url("dashboard", contest), {"action": "launch"}, follow=True)
    assert "The contest is live" in response.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "entry"
    assert escrow_balance(contest) == 40_000


def test_unfunded_wallet_cannot_launch(client, owner, make_user):
    brand = account_services.organization_create(owner=owner, name="Poor Brand")
    with transaction.atomic():
        contest = services.contest_create(
            actor=owner, organization=brand, title="Cheap logo", category="logo",
            currency="USD", prizes=[20_000],
        )  # fmt: skip
    client.force_login(owner)
    response = client.post(_url("dashboard", contest), {"action": "launch"})
    assert response.status_code == 409
    assert "Not enough money" in response.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "draft"
    assert org_balance(brand) == 0


def test_brand_cancels_a_draft(client, make_contest, owner):
    contest = make_contest(launch=False)
    client.force_login(owner)
    client.post(_url("dashboard", contest), {"action": "cancel"})
    contest.refresh_from_db()
    assert contest.stage == "cancelled"


def test_brand_edits_a_draft_brief(client, make_contest, owner):
    contest = make_contest(launch=False)
    client.force_login(owner)
    assert 'id="edit-brief"' in _page(client, _url("dashboard", contest))
    form = _page(client, _url("edit", contest))
    assert "A fox, **orange**." in form
    response = client.post(
        _url("edit", contest),
        {"title": "Logo for Acme Foods", "requirements": "A fox, **red**.", "avoid": "Blue"},
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.campaign.title == "Logo for Acme Foods"
    assert contest.campaign.description == "A fox, **red**."
    assert contest.avoid == "Blue"


def test_draft_brief_edit_refuses_bad_input_and_outsiders(client, make_contest, owner, user):
    contest = make_contest(launch=False)
    client.force_login(user)
    assert client.get(_url("edit", contest)).status_code in (403, 404)
    client.force_login(owner)
    response = client.post(_url("edit", contest), {"title": "", "summary": "x" * 301})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "at most 300 characters" in page
    contest.refresh_from_db()
    assert contest.campaign.title == "Logo for Acme"


def test_live_brief_is_not_edited_in_place(client, contest, owner):
    client.force_login(owner)
    response = client.post(_url("edit", contest), {"title": "Changed"}, follow=True)
    assert "post a brief update instead" in response.content.decode()
    contest.refresh_from_db()
    assert contest.campaign.title == "Logo for Acme"


# Entering ------------------------------------------------------------------------------------


def test_designer_enters_through_the_form(client, contest, designer):
    alice = designer(display_name="Alice Designer")
    client.force_login(alice)
    page = _page(client, _url("detail", contest))
    assert 'id="entry-form"' in page
    response = client.post(
        _url("enter", contest),
        {"title": "Fox loaf", "file": png(), "declared_original": "on"},
    )
    entry = Entry.objects.get()
    assert response.url == _url("entry", contest, entry.number)
    assert entry.author == alice
    assert entry.title == "Fox loaf"
    page = _page(client, _url("entry", contest, 1))
    assert entry.current.file.url in page
    assert "Fox loaf" in page


def test_naming_contest_takes_a_text(client, make_contest, designer):
    contest = make_contest(category="naming", prizes=[10_000])
    client.force_login(designer())
    page = _page(client, _url("detail", contest))
    assert 'name="text"' in page
    assert 'name="file"' not in page
    client.post(_url("enter", contest), {"text": "Teatime Fox", "declared_original": "on"})
    assert Entry.objects.get().current.text == "Teatime Fox"
    assert "Teatime Fox" in _page(client, _url("detail", contest))


@pytest.mark.parametrize(
    ("upload", "declared", "message"),
    [
        (_fake_png, "on", "The file is not a valid image."),
        (_svg_with_script, "on", "SVG files with scripts or embedded content are refused."),
        (None, "on", "Attach your design."),
        (png, "", "Confirm the work is original and yours."),
    ],
)
def test_bad_entries_are_refused(client, contest, designer, upload, declared, message):
    client.force_login(designer())
    data = {"title": "Mine", "declared_original": declared}
    if upload:
        data["file"] = upload()
    response = client.post(_url("enter", contest), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.exists()
    contest.refresh_from_db()
    assert contest.entries_count == 0


SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def test_gallery_shows_each_kind_of_file(client, contest, make_contest, designer, enter):
    enter(contest, designer(), upload=SimpleUploadedFile("mark.svg", SAFE_SVG), title="Vector")
    enter(contest, designer(), upload=SimpleUploadedFile("sheet.pdf", b"%PDF-1.4\n%%EOF\n"))
    svg, pdf = (entry.current for entry in Entry.objects.order_by("number"))
    page = _page(client, _url("detail", contest))
    assert f'<img class="entry-media" src="{svg.file.url}"' in page
    assert f'href="{pdf.file.url}"' in page
    assert "Open the PDF" in page
    video_contest = make_contest(title="Ad film", category="video", prizes=[60_000])
    author = designer()
    client.force_login(author)
    assert 'name="poster"' in _page(client, _url("detail", video_contest))
    client.post(
        _url("enter", video_contest),
        {"file": SimpleUploadedFile("ad.mp4", MP4), "poster": png("frame.png"),
         "declared_original": "on"},
    )  # fmt: skip
    clip = Entry.objects.get(contest=video_contest).current
    page = _page(client, _url("entry", video_contest, 1))
    assert f'poster="{clip.thumbnail.url}"' in page
    assert f'<source src="{clip.file.url}">' in page


def test_entry_after_the_deadline_is_refused(client, contest, designer):
    client.force_login(designer())
    end_stage(contest)
    assert 'id="entry-form"' not in _page(client, _url("detail", contest))
    response = client.post(
        _url("enter", contest), {"title": "Late", "file": png(), "declared_original": "on"}
    )
    assert response.status_code == 200
    assert "The entry period is over." in response.content.decode()
    assert not Entry.objects.exists()


def test_brand_and_young_accounts_are_refused(client, make_contest, owner, make_user):
    contest = make_contest(guaranteed=True)
    client.force_login(owner)
    assert 'id="entry-form"' not in _page(client, _url("detail", contest))
    response = client.post(_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "A brand cannot enter its own contest." in response.content.decode()
    client.force_login(make_user())
    response = client.post(_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "Only accounts that existed before" in response.content.decode()
    assert not Entry.objects.exists()


def test_anonymous_cannot_enter(client, contest):
    response = client.post(_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "/accounts/login/" in response.url
    assert not Entry.objects.exists()


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
    page = _page(client, _url("detail", contest))
    assert a_thumb in page
    assert b_thumb in page
    for number in (1, 2):
        _page(client, _url("entry", contest, number))
    _page(client, _url("dashboard", contest))

    # An entrant sees their own entry only: not the other's page, file or thumbnail.
    client.force_login(alice)
    page = _page(client, _url("detail", contest))
    assert a_thumb in page
    assert b_file not in page
    assert b_thumb not in page
    assert "Bob fox" not in page
    assert a_file in _page(client, _url("entry", contest, 1))
    _page(client, _url("entry", contest, 2), status=404)
    _page(client, _url("dashboard", contest), status=403)

    # Someone else and an anonymous visitor see no entry at all.
    for person in (make_user(), None):
        if person:
            client.force_login(person)
        else:
            client.logout()
        page = _page(client, _url("detail", contest))
        assert a_thumb not in page
        assert b_thumb not in page
        _page(client, _url("entry", contest, 1), status=404)
    assert "/accounts/login/" in client.get(_url("dashboard", contest)).url


def test_open_contest_shows_entries_but_not_the_review(client, contest, owner, designer, enter):
    alice = designer()
    entry = enter(contest, alice, title="Fox")
    with transaction.atomic():
        services.entry_review(actor=owner, entry=entry, rating=4, comment="Warmer orange, please")
    client.logout()
    page = _page(client, _url("entry", contest, 1))
    assert entry.current.file.url in page
    assert "Warmer orange" not in page
    assert "★ 4/5" not in page
    assert entry.current.thumbnail.url in _page(client, _url("detail", contest))
    client.force_login(alice)
    page = _page(client, _url("entry", contest, 1))
    assert "Warmer orange, please" in page
    assert "★ 4/5" in page


def test_private_contest_shows_the_nda_first(client, make_contest, designer, enter):
    contest = make_contest(
        private=True, nda_text="Keep the bakery secret.", requirements="Top secret fox"
    )
    alice = designer()
    client.force_login(alice)
    page = _page(client, _url("detail", contest))
    assert "Keep the bakery secret." in page
    assert "Top secret fox" not in page
    assert 'id="entry-form"' not in page
    _page(client, _url("entry", contest, 1), status=403)
    client.post(_url("nda", contest))
    page = _page(client, _url("detail", contest))
    assert "Top secret fox" in page
    assert 'id="entry-form"' in page
    client.logout()
    assert "Top secret fox" not in _page(client, _url("detail", contest))


# The entry page -------------------------------------------------------------------------------


def test_brand_reviews_shortlists_and_declines(client, contest, owner, designer, enter):
    enter(contest, designer(), title="First")
    enter(contest, designer(), title="Second")
    client.force_login(owner)
    url = _url("entry", contest, 1)
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
    empty = client.post(_url("entry", contest, 2), {"action": "decline", "reason": ""})
    assert "This field is required." in empty.content.decode()
    client.post(_url("entry", contest, 2), {"action": "decline", "reason": "Uses clip art"})
    second = Entry.objects.get(number=2)
    assert (second.status, second.decline_reason) == ("declined", "Uses clip art")


def test_only_the_brand_reviews(client, contest, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(alice)
    response = client.post(_url("entry", contest, 1), {"action": "review", "rating": "5"})
    assert response.status_code == 403
    assert Entry.objects.get().rating is None


def test_author_revises_and_withdraws(client, contest, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(alice)
    url = _url("entry", contest, 1)
    client.post(
        url, {"action": "revise", "file": png("v2.png", color=(0, 200, 0)), "note": "Greener"}
    )
    entry = Entry.objects.get()
    assert [v.number for v in entry.versions.all()] == [1, 2]
    assert "Greener" in _page(client, url)
    refused = client.post(url, {"action": "revise", "file": _fake_png()})
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
    url = _url("entry", contest, 1)
    post = reverse("community:post", args=[contest.campaign.slug])
    client.force_login(alice)
    response = client.post(post, {"body": "Is orange fine?", "item_number": 1})
    assert response.url.startswith(url)
    client.force_login(owner)
    client.post(post, {"body": "Yes, go on", "item_number": 1})
    page = _page(client, url)
    assert "Is orange fine?" in page
    assert "Yes, go on" in page
    assert "Is orange fine?" not in _page(client, _url("detail", contest))
    client.force_login(make_user())
    page = _page(client, url)
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


# The vote ----------------------------------------------------------------------------------


@pytest.fixture
def voting(contest, designer, enter, poll_on):
    alice, bob = designer(display_name="Alice"), designer(display_name="Bob")
    entry_a, entry_b = enter(contest, alice, title="A"), enter(contest, bob, title="B")
    poll = poll_on(contest)
    return contest, poll, alice, entry_a, entry_b


def test_vote_through_the_widget(client, voting, make_user, owner):
    contest, _poll, _alice, entry_a, _entry_b = voting
    voter = make_user()
    client.force_login(voter)
    page = _page(client, _url("detail", contest))
    assert "Vote for #1" in page
    assert "Counts are hidden until the vote closes." in page
    response = client.post(_url("vote", contest), {"entry": entry_a.pk})
    assert response.url == _url("detail", contest) + "#vote"
    assert Vote.objects.get().entry == entry_a
    assert "You voted for #1." in _page(client, _url("detail", contest))
    again = client.post(_url("vote", contest), {"entry": entry_a.pk})
    assert again.status_code == 409
    assert "You have already voted in this poll." in again.content.decode()
    assert Vote.objects.count() == 1
    client.force_login(owner)
    assert 'id="poll-results"' in _page(client, _url("dashboard", contest))


def test_vote_on_own_entry_is_refused(client, voting):
    contest, _poll, alice, entry_a, _entry_b = voting
    client.force_login(alice)
    assert "Vote for #1" not in _page(client, _url("detail", contest))
    response = client.post(_url("vote", contest), {"entry": entry_a.pk})
    assert response.status_code == 403
    assert "You cannot vote for your own entry." in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_on_a_closed_poll_is_refused(client, voting, make_user):
    contest, poll, _alice, entry_a, _entry_b = voting
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(make_user())
    page = _page(client, _url("detail", contest))
    assert "The vote is closed." in page
    assert "Vote for #1" not in page
    assert 'id="poll-results"' in page  # hidden counts show once the poll closes
    response = client.post(_url("vote", contest), {"entry": entry_a.pk})
    assert response.status_code == 409
    assert "This vote is closed." in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("data", [{}, {"entry": "x"}, {"entry": "999999"}, {"entry": "9" * 30}])
def test_bad_vote_input(client, voting, make_user, data):
    contest = voting[0]
    client.force_login(make_user())
    response = client.post(_url("vote", contest), data)
    assert response.status_code in (400, 422)
    assert not Vote.objects.exists()


def test_vote_without_a_poll_is_404(client, contest, make_user):
    client.force_login(make_user())
    assert client.post(_url("vote", contest), {"entry": 1}).status_code == 404


def test_pairwise_vote(client, contest, designer, enter, poll_on, make_user, owner):
    entries = [enter(contest, designer(), title=name) for name in ("A", "B", "C")]
    poll_on(contest, pairwise=True, hide_counts=False)
    client.force_login(make_user())
    page = _page(client, _url("detail", contest))
    assert page.count("is better</button>") == 2
    response = client.post(
        _url("pair_vote", contest), {"winner": entries[0].pk, "loser": entries[1].pk}
    )
    assert response.status_code == 302
    vote = PairVote.objects.get()
    assert (vote.winner_id, vote.low_id, vote.high_id) == (
        entries[0].pk,
        entries[0].pk,
        entries[1].pk,
    )
    same = client.post(
        _url("pair_vote", contest), {"winner": entries[1].pk, "loser": entries[0].pk}
    )
    assert same.status_code == 409
    assert PairVote.objects.count() == 1
    # Results need tolpa.aggregation.bradley_terry; without it the page says so, never a 500.
    client.force_login(owner)
    assert client.get(_url("dashboard", contest)).status_code == 200


# The dashboard ---------------------------------------------------------------------------------


def test_dashboard_charts_compare_and_poll_form(client, contest, owner, designer, enter):
    for _ in range(3):
        enter(contest, designer())
    client.force_login(owner)
    page = _page(client, _url("dashboard", contest))
    assert page.count('<svg class="chart"') == 2
    assert 'id="poll-form"' in page
    assert 'id="compare-form"' in page
    compared = _page(client, _url("dashboard", contest) + "?compare=1,3")
    assert 'id="compare"' in compared
    assert (
        _page(client, _url("dashboard", contest) + "?compare=1&compare=2").count(
            'class="entry-card"'
        )
        == 2
    )
    huge = _page(client, _url("dashboard", contest) + "?compare=1," + "9" * 5000)
    assert "Pick 2 to 4 entries to compare." in huge
    single = _page(client, _url("dashboard", contest) + "?compare=1")
    assert "Pick 2 to 4 entries to compare." in single
    assert 'id="compare"' not in single


def test_brand_opens_a_vote_from_the_dashboard(client, contest, owner, designer, enter):
    entries = [enter(contest, designer()) for _ in range(3)]
    client.force_login(owner)
    form = {"action": "poll", "entries": "shortlisted", "days": "3", "min_account_age_days": "0"}
    refused = client.post(_url("dashboard", contest), form)
    assert "Shortlist entries first" in refused.content.decode()
    assert not Poll.objects.exists()
    too_long = client.post(_url("dashboard", contest), {**form, "entries": "all", "days": "30"})
    assert "less than or equal to 14" in too_long.content.decode()
    with transaction.atomic():
        for entry in entries[:2]:
            services.entry_review(actor=owner, entry=entry, shortlisted=True)
    client.post(_url("dashboard", contest), {**form, "hide_counts": "on"})
    poll = Poll.objects.get()
    assert sorted(poll.entries.values_list("number", flat=True)) == [1, 2]
    assert poll.hide_counts
    assert not poll.pairwise


def test_finalists_then_winners(client, make_contest, owner, designer, enter):
    contest = make_contest(finalists_max=2)
    entries = [enter(contest, designer()) for _ in range(3)]
    end_stage(contest)
    client.force_login(owner)
    too_many = client.post(
        _url("dashboard", contest), {"action": "finalists", "entries": [e.pk for e in entries]}
    )
    assert "Choose 1 to 2 finalists." in too_many.content.decode()
    client.post(
        _url("dashboard", contest),
        {"action": "finalists", "entries": [entries[0].pk, entries[2].pk]},
    )
    contest.refresh_from_db()
    assert contest.stage == "finalists"
    assert set(Entry.objects.filter(finalist=True).values_list("number", flat=True)) == {1, 3}
    end_stage(contest)
    page = _page(client, _url("dashboard", contest))
    assert f'value="{entries[1].pk}"' not in page.split('id="winners-form"')[1]  # not a finalist


def test_brand_picks_winners(client, contest, owner, designer, enter):
    entries = [enter(contest, designer(), title=t) for t in ("Sun", "Moon", "Star")]
    client.force_login(owner)
    end_stage(contest)
    same = client.post(
        _url("dashboard", contest),
        {"action": "winners", "place_1": entries[0].pk, "place_2": entries[0].pk},
    )
    assert "An entry wins one prize." in same.content.decode()
    missing = client.post(
        _url("dashboard", contest), {"action": "winners", "place_1": entries[0].pk}
    )
    assert "This field is required." in missing.content.decode()
    assert not Award.objects.exists()
    client.post(
        _url("dashboard", contest),
        {"action": "winners", "place_1": entries[1].pk, "place_2": entries[0].pk},
    )
    assert list(Award.objects.values_list("place", "entry__title", "amount")) == [
        (1, "Moon", 30_000), (2, "Sun", 10_000)
    ]  # fmt: skip
    client.logout()
    winners = _page(client, _url("winners", contest))
    assert "Moon" in winners
    assert "Sun" in winners
    assert "remains its author" in winners
    detail = _page(client, _url("detail", contest))
    assert detail.count("this entry remains its author's property") == 1  # Star only


def test_winners_cannot_be_picked_during_the_entry_period(client, contest, owner, designer, enter):
    entry = enter(contest, designer())
    client.force_login(owner)
    assert 'id="winners-form"' not in _page(client, _url("dashboard", contest))
    response = client.post(
        _url("dashboard", contest), {"action": "winners", "place_1": entry.pk, "place_2": entry.pk}
    )
    assert response.status_code == 200
    assert not Award.objects.exists()


def test_brief_update_reaches_the_entrants(client, contest, owner, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(owner)
    blank = client.post(_url("dashboard", contest), {"action": "update", "body": ""})
    assert "This field is required." in blank.content.decode()
    client.post(_url("dashboard", contest), {"action": "update", "body": "Prefer **round** shapes"})
    client.force_login(alice)
    assert "<strong>round</strong>" in _page(client, _url("detail", contest))


def test_refund_needs_confirmation_and_returns_the_prizes(
    client, contest, owner, funded_organization, designer, enter
):
    enter(contest, designer())
    before = org_balance(funded_organization)
    client.force_login(owner)
    assert "loses the right to use any entry" in _page(client, _url("dashboard", contest))
    unconfirmed = client.post(_url("dashboard", contest), {"action": "refund"})
    assert "Confirm that you give up the right" in unconfirmed.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "entry"
    client.post(_url("dashboard", contest), {"action": "refund", "confirm": "on"})
    contest.refresh_from_db()
    assert contest.stage == "refunded"
    assert org_balance(funded_organization) == before + 40_000
    assert "this entry remains its author's property" in _page(client, _url("detail", contest))


def test_guaranteed_contest_offers_no_refund(client, make_contest, owner):
    contest = make_contest(guaranteed=True)
    client.force_login(owner)
    assert 'id="refund-form"' not in _page(client, _url("dashboard", contest))
    response = client.post(_url("dashboard", contest), {"action": "refund", "confirm": "on"})
    assert "A guaranteed prize cannot be refunded." in response.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "entry"


def test_unknown_dashboard_action_changes_nothing(client, contest, owner):
    client.force_login(owner)
    assert client.post(_url("dashboard", contest), {"action": "explode"}).status_code == 302


# The handover ------------------------------------------------------------------------------------


def test_handover_pays_the_winner_once_both_accept(
    client, make_contest, owner, designer, enter, pick, make_user
):
    contest = make_contest(prizes=[30_000])
    alice = designer()
    entry = enter(contest, alice)
    (award,) = pick(contest, entry)
    url = _url("award", contest, award.pk)

    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.get(_url("award", contest, 10**30)).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url).url

    client.force_login(owner)
    assert "Waiting for the winner's final files." in _page(client, url)
    brand_upload = client.post(url, {"action": "upload", "files": [png("final.png")]})
    assert brand_upload.status_code == 403
    early = client.post(url, {"action": "accept"})
    assert "The winner uploads the final files first." in early.content.decode()

    client.force_login(alice)
    empty = client.post(url, {"action": "upload"})
    assert "This field is required." in empty.content.decode()
    client.post(url, {"action": "upload", "files": [png("final.png"), png("mark.png", (32, 32))]})
    deliverables = list(award.deliverables.order_by("pk"))
    page = _page(client, url)
    assert all(d.sha256 in page for d in deliverables)
    assert "Preview: the text is fixed" in page
    assert "IP transfer agreement" in page
    client.post(url, {"action": "accept"})
    award.refresh_from_db()
    assert award.winner_accepted_at
    assert award.agreement_text
    assert 'id="deliverable-form"' not in _page(client, url)

    client.force_login(owner)
    client.post(url, {"action": "accept"})
    award.refresh_from_db()
    assert award.status == "paid"
    assert user_balance(alice) == 30_000 * 85 // 100
    page = _page(client, url)
    assert "Prize paid" in page
    assert "Brand Owner" in page
    assert "Prize paid" in _page(client, _url("dashboard", contest))
    client.post(url, {"action": "accept"})
    assert user_balance(alice) == 30_000 * 85 // 100


# The portfolio --------------------------------------------------------------------------------


def test_portfolio_lists_open_entries_and_wins_only(client, make_contest, designer, enter):
    alice = designer()
    open_contest = make_contest(title="Open fox")
    blind_contest = make_contest(title="Blind fox", blind=True)
    shown = enter(open_contest, alice, title="Visible work")
    enter(blind_contest, alice, title="Hidden work")
    page = _page(client, reverse("accounts:profile", args=[alice.pk]))
    assert "Visible work" in page
    assert shown.current.thumbnail.url in page
    assert "Hidden work" not in page


# Query counts ---------------------------------------------------------------------------------


def test_detail_and_dashboard_query_counts(
    client, contest, owner, designer, enter, poll_on, django_assert_max_num_queries
):
    for _ in range(6):
        enter(contest, designer())
    poll_on(contest)
    with django_assert_max_num_queries(20):
        client.get(_url("detail", contest))
    client.force_login(owner)
    with django_assert_max_num_queries(30):
        client.get(_url("dashboard", contest))


def test_pairwise_results_are_ranked(client, contest, designer, enter, poll_on, make_user):
    aggregation = pytest.importorskip("tolpa.aggregation")
    if not hasattr(aggregation, "bradley_terry"):
        pytest.skip("tolpa.aggregation.bradley_terry is not written yet")
    a, b, c = (enter(contest, designer(), title=name) for name in ("Alpha", "Beta", "Gamma"))
    poll = poll_on(contest, pairwise=True, hide_counts=False)
    outcomes = [(a, b), (a, c), (b, c), (a, b), (c, b), (a, c), (b, a)]
    for winner, loser in outcomes:
        with transaction.atomic():
            votes.pair_vote_cast(
                actor=make_user(), poll=poll, winner_id=winner.pk, loser_id=loser.pk
            )
    page = _page(client, _url("detail", contest))
    table = page.split('id="poll-results"')[1].split("</table>")[0]
    assert table.index("Alpha") < table.index("Beta")
    assert table.index("Alpha") < table.index("Gamma")
    assert "Score" in page
