"""Contest end to end: a brand writes and launches a guaranteed logo contest in the browser;
two designers enter PNG files; the brand rates them and opens a public vote; a third
person votes; the entry period ends; the brand picks a winner; the winner uploads final
files and both sides accept the IP transfer; the prize, less the 15% contest fee, lands in
the winner's wallet statement."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from tests.contests.conftest import deposit, end_stage, user_balance
from tests.e2e.conftest import expect, log_in, messages_text
from tolpa.accounts.models import User
from tolpa.contests.models import Award, Contest
from tolpa.ledger import services as ledger

pytestmark = pytest.mark.e2e

TITLE = "Logo for the Fox Bakery"


def _png(path, color) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _joined_yesterday(user: User) -> User:
    """A guaranteed contest takes only accounts that existed before it launched."""
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=1))
    return user


def _duplicate_ids(page) -> list[str]:
    return page.evaluate(
        """() => { const seen = {}; document.querySelectorAll('[id]').forEach(
                     e => { seen[e.id] = (seen[e.id] || 0) + 1; });
                   return Object.keys(seen).filter(id => seen[id] > 1); }"""
    )


def _submit(page, button_name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()


def _write_and_launch(page) -> Contest:
    """Contests → Start a contest → the brief → the dashboard → Launch."""
    page.locator("header nav").get_by_role("link", name="Contests").click()
    page.get_by_role("link", name="Start a contest").click()
    expect(page.locator("main h1")).to_have_text("New contest")
    form = page.locator("#contest-form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Category").select_option("logo")
    form.get_by_label("One-line summary").fill("A warm, hand-made feel")
    form.get_by_label("Requirements").fill("A **fox** holding a loaf.")
    form.get_by_label("Must have", exact=True).fill("the name\norange")
    form.get_by_label("Avoid", exact=True).fill("clip art")
    form.get_by_label("Deliverable formats").fill("SVG, PNG")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Prizes", exact=True).fill("300")
    form.get_by_label("Entry period (days)").fill("7")
    form.get_by_label("Guaranteed prize").check()
    form.get_by_label("Tags").fill("logo, bakery")
    assert _duplicate_ids(page) == []
    _submit(page, "Save draft")

    expect(page).to_have_url(re.compile(r"/contests/[\w-]+/dashboard/$"))
    expect(page.locator("ul.messages")).to_contain_text(
        "Draft saved. Launch it from the dashboard."
    )
    expect(page.locator("#contest-stage")).to_have_text("Draft")
    expect(page.locator("main")).to_contain_text("Launching holds 300.00 USD in escrow")
    _submit(page, "Launch contest")
    expect(page.locator("ul.messages")).to_contain_text("The contest is live")
    expect(page.locator("#contest-stage")).to_have_text("Open for entries")
    assert _duplicate_ids(page) == []
    return Contest.objects.select_related("campaign").get(campaign__title=TITLE)


def _enter(page, *, title: str, image: str) -> None:
    page.locator("header nav").get_by_role("link", name="Contests").click()
    page.locator("#contest-list").get_by_role("link", name=TITLE).click()
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator("#brief")).to_contain_text("A fox holding a loaf.")
    form = page.locator("#entry-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Your design").set_input_files(image)
    form.get_by_label("I declare this work is original").check()
    _submit(page, "Submit entry")
    expect(page.locator("ul.messages")).to_contain_text("Your entry is in. Good luck!")
    expect(page.locator("main h1")).to_contain_text(title)
    expect(page.locator("#entry img.entry-media")).to_be_visible()


def _rate(page, slug: str, number: int, stars: str, comment: str) -> None:
    page.goto(f"/contests/{slug}/dashboard/")
    page.locator("#entries").get_by_role("link", name=f"#{number}", exact=True).click()
    form = page.locator("#review-form")
    form.get_by_label("Rating").select_option(stars)
    form.get_by_label("Private comment to the designer").fill(comment)
    form.get_by_label("Shortlisted").check()
    _submit(page, "Save review")
    expect(page.locator("ul.messages")).to_contain_text("Review saved.")
    expect(page.locator("#entry-rating")).to_have_text(f"★ {stars}/5")
    assert _duplicate_ids(page) == []


def test_logo_contest_from_brief_to_paid_prize(new_page, owner, organization, make_user, tmp_path):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 50_000)
    alice = _joined_yesterday(make_user(email="alice@example.com", display_name="Alice Designer"))
    bob = _joined_yesterday(make_user(email="bob@example.com", display_name="Bob Designer"))
    carol = make_user(email="carol@example.com", display_name="Carol Voter")

    brand = new_page("brand")
    log_in(brand, owner.email)
    contest = _write_and_launch(brand)
    slug = contest.campaign.slug

    # Two designers enter with PNG files.
    alice_page = new_page("alice")
    log_in(alice_page, alice.email)
    _enter(alice_page, title="Fox and loaf", image=_png(tmp_path / "alice.png", (230, 120, 30)))
    bob_page = new_page("bob")
    log_in(bob_page, bob.email)
    _enter(bob_page, title="Round fox", image=_png(tmp_path / "bob.png", (40, 90, 200)))

    # The brand sees both, rates them and shortlists them; Alice sees her own feedback.
    brand.goto(f"/contests/{slug}/dashboard/")
    expect(brand.locator("#entries tbody tr")).to_have_count(2)
    _rate(brand, slug, 1, "5", "Lovely, keep the orange")
    _rate(brand, slug, 2, "3", "Try a warmer colour")
    alice_page.reload()
    expect(alice_page.locator("#review")).to_contain_text("Lovely, keep the orange")
    expect(alice_page.locator("#entry-rating")).to_have_text("★ 5/5")

    # The brand opens a public vote on the shortlist.
    brand.goto(f"/contests/{slug}/dashboard/")
    poll_form = brand.locator("#poll-form")
    poll_form.get_by_label("Entries in the vote").select_option("shortlisted")
    poll_form.get_by_label("Vote runs for (days)").fill("3")
    _submit(brand, "Open the vote")
    expect(brand.locator("ul.messages")).to_contain_text("The public vote is open.")

    # A third person votes for Alice's entry.
    carol_page = new_page("carol")
    log_in(carol_page, carol.email)
    carol_page.goto(f"/contests/{slug}/")
    expect(carol_page.locator("#vote")).to_contain_text("Counts are hidden until the vote closes.")
    _submit(carol_page, "Vote for #1")
    expect(carol_page.locator("ul.messages")).to_contain_text("Thank you, your vote is counted.")
    expect(carol_page.locator("#my-vote")).to_have_text("You voted for #1. Thank you!")

    # The entry period ends (time moves on in the database); the brand picks the winner.
    end_stage(contest)
    brand.goto(f"/contests/{slug}/dashboard/")
    expect(brand.locator("#poll-results tbody tr").first).to_contain_text("Fox and loaf")
    winners_form = brand.locator("#winners-form")
    winners_form.get_by_label("Place 1 (300.00 USD)").select_option(label="#1 Fox and loaf")
    _submit(brand, "Pick winners")
    expect(brand.locator("ul.messages")).to_contain_text("Winners picked.")
    expect(brand.locator("#handover")).to_contain_text("Waiting for final files")

    # The winner uploads final files and accepts the IP transfer.
    alice_page.goto(f"/contests/{slug}/entries/1/")
    alice_page.get_by_role("link", name="Go to the handover").click()
    finals = [
        _png(tmp_path / "fox-final.png", (230, 120, 30)),
        _png(tmp_path / "fox-mark.png", (20, 20, 20)),
    ]
    alice_page.locator("#deliverable-form").get_by_label("Final files").set_input_files(finals)
    _submit(alice_page, "Upload files")
    expect(alice_page.locator("ul.messages")).to_contain_text("Files uploaded.")
    award = Award.objects.get(contest=contest)
    for deliverable in award.deliverables.all():
        expect(alice_page.locator("#deliverables")).to_contain_text(deliverable.sha256)
        expect(alice_page.locator("#agreement .agreement")).to_contain_text(deliverable.sha256)
    assert _duplicate_ids(alice_page) == []
    _submit(alice_page, "I accept the agreement")
    expect(alice_page.locator("ul.messages")).to_contain_text("You accepted the agreement.")
    expect(alice_page.locator("#award-status")).to_have_text(
        "Waiting for the IP transfer agreement"
    )

    # The brand accepts too: the prize is released from escrow, exactly once.
    brand.goto(f"/contests/{slug}/dashboard/")
    brand.locator("#handover").get_by_role("link").click()
    _submit(brand, "I accept the agreement")
    expect(brand.locator("#award-status")).to_have_text("Prize paid")
    expect(brand.locator("#acceptances")).to_contain_text("Brand Owner")
    assert "You accepted the agreement." in messages_text(brand)

    # The prize less the 15% contest fee is in the winner's wallet statement.
    alice_page.locator("header nav").get_by_role("link", name="Wallet").click()
    expect(alice_page.locator("#balance")).to_have_text("255.00 USD")
    expect(alice_page.locator("#statement tbody tr").first.locator("td")).to_have_text(
        [re.compile("."), "Released from escrow", f"Prize #1 of {TITLE}", "255.00 USD",
         "255.00 USD"]
    )  # fmt: skip
    assert user_balance(alice) == 25_500
    assert user_balance(bob) == 0

    # Everyone can see the winner; Bob's entry stays his property.
    bob_page.goto(f"/contests/{slug}/winners/")
    expect(bob_page.locator("#winners")).to_contain_text("Fox and loaf")
    expect(bob_page.locator("#winners")).to_contain_text("Alice Designer")
    bob_page.goto(f"/contests/{slug}/")
    expect(bob_page.locator("#entry-2")).to_contain_text("remains its author's property")
