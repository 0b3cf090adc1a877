"""Contest pages: listing and creation, the contest page, launch, entering, the portfolio
and query counts; bad input that must change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from tests.contests.conftest import (
    brief_form,
    end_stage,
    escrow_balance,
    fake_png,
    org_balance,
    page_text,
    page_url,
    png,
    svg_with_script,
)
from tolpa.accounts import services as account_services
from tolpa.contests import services, votes
from tolpa.contests.models import (
    BriefFile,
    Contest,
    Entry,
)

pytestmark = pytest.mark.django_db


# Listing and creation ----------------------------------------------------------------------


def test_listing_shows_live_contests_with_filters_and_search(client, make_contest):
    logo = make_contest(title="Fox bakery logo")
    naming = make_contest(title="Name our tea", category="naming", prizes=[10_000])
    draft = make_contest(title="Secret draft", launch=False)
    page = page_text(client, reverse("contests:list"))
    assert logo.campaign.title in page
    assert naming.campaign.title in page
    assert draft.campaign.title not in page
    assert "400.00 USD" in page  # 300 + 100, the prize total
    assert "0 entries" in page
    only_naming = page_text(client, reverse("contests:list") + "?category=naming")
    assert naming.campaign.title in only_naming
    assert logo.campaign.title not in only_naming
    searched = page_text(client, reverse("contests:list") + "?q=bakery")
    assert logo.campaign.title in searched
    assert naming.campaign.title not in searched
    assert "Fox bakery" not in page_text(client, reverse("contests:list") + "?stage=completed")
    assert "Fox bakery" in page_text(client, reverse("contests:list") + "?stage=bogus&category=x")


def test_navigation_links_to_contests(client):
    assert f'href="{reverse("contests:list")}"' in page_text(client, "/")


def test_brand_creates_a_brief_with_prizes_and_reference_files(client, owner, organization):
    client.force_login(owner)
    cover = png("cover.png")
    references = [png("moodboard.png"), SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n")]
    response = client.post(
        reverse("contests:create"), {**brief_form(), "cover": cover, "reference_files": references}
    )
    contest = Contest.objects.get()
    assert response.url == page_url("dashboard", contest)
    assert [p.amount for p in contest.prizes.all()] == [50_000, 20_000, 10_000]
    assert contest.stage == "draft"
    assert sorted(BriefFile.objects.values_list("name", flat=True)) == [
        "guide.pdf",
        "moodboard.png",
    ]
    assert contest.campaign.cover
    page = page_text(client, page_url("detail", contest))
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
        changes["cover"] = fake_png()
    if changes.get("reference_files") == "svg":
        changes["reference_files"] = [png("ok.png"), svg_with_script()]
    response = client.post(reverse("contests:create"), brief_form(**changes))
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
    page = page_text(client, page_url("detail", contest))
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
    assert client.get(page_url("detail", draft)).status_code == 404
    client.force_login(user)
    assert client.get(page_url("detail", draft)).status_code == 404
    client.force_login(owner)
    assert client.get(page_url("detail", draft)).status_code == 200


def test_unknown_contest_is_404(client):
    assert client.get(reverse("contests:detail", args=["nope"])).status_code == 404


# Launch --------------------------------------------------------------------------------------


def test_brand_launches_from_the_dashboard(client, make_contest, owner, funded_organization):
    contest = make_contest(launch=False)
    client.force_login(owner)
    page = page_text(client, page_url("dashboard", contest))
    assert "Launching holds 400.00 USD in escrow" in page
    response = client.post(page_url("dashboard", contest), {"action": "launch"}, follow=True)
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
    response = client.post(page_url("dashboard", contest), {"action": "launch"})
    assert response.status_code == 409
    assert "Not enough money" in response.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "draft"
    assert org_balance(brand) == 0


def test_brand_cancels_a_draft(client, make_contest, owner):
    contest = make_contest(launch=False)
    client.force_login(owner)
    client.post(page_url("dashboard", contest), {"action": "cancel"})
    contest.refresh_from_db()
    assert contest.stage == "cancelled"


def test_brand_edits_a_draft_brief(client, make_contest, owner):
    contest = make_contest(launch=False)
    client.force_login(owner)
    assert 'id="edit-brief"' in page_text(client, page_url("dashboard", contest))
    form = page_text(client, page_url("edit", contest))
    assert "A fox, **orange**." in form
    response = client.post(
        page_url("edit", contest),
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
    assert client.get(page_url("edit", contest)).status_code in (403, 404)
    client.force_login(owner)
    response = client.post(page_url("edit", contest), {"title": "", "summary": "x" * 301})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "at most 300 characters" in page
    contest.refresh_from_db()
    assert contest.campaign.title == "Logo for Acme"


def test_live_brief_is_not_edited_in_place(client, contest, owner):
    client.force_login(owner)
    response = client.post(page_url("edit", contest), {"title": "Changed"}, follow=True)
    assert "post a brief update instead" in response.content.decode()
    contest.refresh_from_db()
    assert contest.campaign.title == "Logo for Acme"


# Entering ------------------------------------------------------------------------------------


def test_designer_enters_through_the_form(client, contest, designer):
    alice = designer(display_name="Alice Designer")
    client.force_login(alice)
    page = page_text(client, page_url("detail", contest))
    assert 'id="entry-form"' in page
    response = client.post(
        page_url("enter", contest),
        {"title": "Fox loaf", "file": png(), "declared_original": "on"},
    )
    entry = Entry.objects.get()
    assert response.url == page_url("entry", contest, entry.number)
    assert entry.author == alice
    assert entry.title == "Fox loaf"
    page = page_text(client, page_url("entry", contest, 1))
    assert entry.current.file.url in page
    assert "Fox loaf" in page


def test_naming_contest_takes_a_text(client, make_contest, designer):
    contest = make_contest(category="naming", prizes=[10_000])
    client.force_login(designer())
    page = page_text(client, page_url("detail", contest))
    assert 'name="text"' in page
    assert 'name="file"' not in page
    client.post(page_url("enter", contest), {"text": "Teatime Fox", "declared_original": "on"})
    assert Entry.objects.get().current.text == "Teatime Fox"
    assert "Teatime Fox" in page_text(client, page_url("detail", contest))


@pytest.mark.parametrize(
    ("upload", "declared", "message"),
    [
        (fake_png, "on", "The file is not a valid image."),
        (svg_with_script, "on", "SVG files with scripts or embedded content are refused."),
        (None, "on", "Attach your design."),
        (png, "", "Confirm the work is original and yours."),
    ],
)
def test_bad_entries_are_refused(client, contest, designer, upload, declared, message):
    client.force_login(designer())
    data = {"title": "Mine", "declared_original": declared}
    if upload:
        data["file"] = upload()
    response = client.post(page_url("enter", contest), data)
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
    page = page_text(client, page_url("detail", contest))
    assert f'<img class="entry-media" src="{svg.file.url}"' in page
    assert f'href="{pdf.file.url}"' in page
    assert "Open the PDF" in page
    video_contest = make_contest(title="Ad film", category="video", prizes=[60_000])
    author = designer()
    client.force_login(author)
    assert 'name="poster"' in page_text(client, page_url("detail", video_contest))
    client.post(
        page_url("enter", video_contest),
        {"file": SimpleUploadedFile("ad.mp4", MP4), "poster": png("frame.png"),
         "declared_original": "on"},
    )  # fmt: skip
    clip = Entry.objects.get(contest=video_contest).current
    page = page_text(client, page_url("entry", video_contest, 1))
    assert f'poster="{clip.thumbnail.url}"' in page
    assert f'<source src="{clip.file.url}">' in page


def test_entry_after_the_deadline_is_refused(client, contest, designer):
    client.force_login(designer())
    end_stage(contest)
    assert 'id="entry-form"' not in page_text(client, page_url("detail", contest))
    response = client.post(
        page_url("enter", contest), {"title": "Late", "file": png(), "declared_original": "on"}
    )
    assert response.status_code == 200
    assert "The entry period is over." in response.content.decode()
    assert not Entry.objects.exists()


def test_brand_and_young_accounts_are_refused(client, make_contest, owner, make_user):
    contest = make_contest(guaranteed=True)
    client.force_login(owner)
    assert 'id="entry-form"' not in page_text(client, page_url("detail", contest))
    response = client.post(page_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "A brand cannot enter its own contest." in response.content.decode()
    client.force_login(make_user())
    response = client.post(page_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "Only accounts that existed before" in response.content.decode()
    assert not Entry.objects.exists()


def test_anonymous_cannot_enter(client, contest):
    response = client.post(page_url("enter", contest), {"file": png(), "declared_original": "on"})
    assert "/accounts/login/" in response.url
    assert not Entry.objects.exists()


# The portfolio --------------------------------------------------------------------------------


def test_portfolio_lists_open_entries_and_wins_only(client, make_contest, designer, enter):
    alice = designer()
    open_contest = make_contest(title="Open fox")
    blind_contest = make_contest(title="Blind fox", blind=True)
    shown = enter(open_contest, alice, title="Visible work")
    enter(blind_contest, alice, title="Hidden work")
    page = page_text(client, reverse("accounts:profile", args=[alice.pk]))
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
        client.get(page_url("detail", contest))
    client.force_login(owner)
    with django_assert_max_num_queries(30):
        client.get(page_url("dashboard", contest))


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
    page = page_text(client, page_url("detail", contest))
    table = page.split('id="poll-results"')[1].split("</table>")[0]
    assert table.index("Alpha") < table.index("Beta")
    assert table.index("Alpha") < table.index("Gamma")
    assert "Score" in page
