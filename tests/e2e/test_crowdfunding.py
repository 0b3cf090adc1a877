"""Crowdfunding end to end: a brand creates, adds a reward and launches in the browser;
backers pledge and change their pledge; the deadline passes; settlement runs as the
periodic job would; everyone sees the outcome and the money where it belongs."""

import re

import pytest

from tests.crowdfunding.conftest import balance, end_now
from tests.e2e.conftest import expect, log_in, sandbox_fund
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Project
from tolpa.jobs import run_job

pytestmark = pytest.mark.e2e


def _create_and_launch(page, *, title: str, goal: str, tier: tuple[str, str, str]) -> Project:
    """The brand owner's path: My brand → New crowdfunding campaign → tier → launch."""
    page.locator("header nav").get_by_role("link", name="My brand").click()
    page.get_by_role("link", name="New crowdfunding campaign").click()
    expect(page.locator("main h1")).to_have_text("New crowdfunding campaign")
    form = page.locator("main form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("One-line summary").fill("Light for rural schools")
    form.get_by_label("Story").fill("We build **solar lamps** for schools without power.")
    form.get_by_label("Goal").fill(goal)
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Duration (days)").fill("30")
    form.get_by_label("Funding model").select_option("all_or_nothing")
    form.get_by_label("Spending plan").fill("Parts: 60\nShipping: 40")
    form.get_by_label("Language").select_option("en")
    form.get_by_label("Tags").fill("energy, schools")
    form.get_by_role("button", name="Save draft").click()

    expect(page).to_have_url(re.compile(r"/fund/[\w-]+/dashboard/$"))
    expect(page.locator("ul.messages")).to_contain_text(
        "Draft saved. Add reward tiers, then launch."
    )
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("main .status").first).to_have_text("Draft")
    project = Project.objects.select_related("campaign").get(campaign__title=title)

    tier_title, minimum, quantity = tier
    tier_form = page.locator("form:has(input[name=action][value=tier])")
    tier_form.get_by_label("Reward").fill(tier_title)
    tier_form.get_by_label("Description").fill("One lamp, shipped to you")
    tier_form.get_by_label("Minimum pledge").fill(minimum)
    tier_form.get_by_label("Limited quantity").fill(quantity)
    tier_form.get_by_label("Needs shipping").check()
    tier_form.get_by_role("button", name="Add tier").click()
    expect(page.locator("ul.messages")).to_contain_text("Saved.")
    expect(page.locator("main")).to_contain_text(tier_title)

    assert _duplicate_ids(page) == []
    page.get_by_role("button", name="Launch for 30 days").click()
    expect(page.locator("ul.messages")).to_contain_text("Saved.")
    expect(page.locator("main .status").first).to_have_text("Live")
    expect(page.get_by_role("button", name="Launch for 30 days")).to_have_count(0)
    project.refresh_from_db()
    project.campaign.refresh_from_db()
    assert project.campaign.status == "live"
    return project


def _find_on_discovery(page, title: str) -> None:
    page.locator("header nav").get_by_role("link", name="Discover").click()
    page.locator("main #results").get_by_role("link", name=title).click()
    expect(page.locator("main h1")).to_have_text(title)


def _pledge(page, amount: str, reward: str | None) -> None:
    form = page.locator("#pledge-form")
    form.get_by_label("Your pledge").fill(amount)
    if reward is None:
        form.get_by_label("Reward").select_option(index=0)
    else:
        form.get_by_label("Reward").select_option(label=reward)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _duplicate_ids(page) -> list[str]:
    """Ids used twice on the page: a label `for` one of them names the wrong field."""
    return page.evaluate(
        """() => { const seen = {}; document.querySelectorAll('[id]').forEach(
                     e => { seen[e.id] = (seen[e.id] || 0) + 1; });
                   return Object.keys(seen).filter(id => seen[id] > 1); }"""
    )


def _statement_first_row(page):
    return page.locator("#statement tbody tr").first.locator("td")


def test_missed_goal_refunds_every_backer(new_page, owner, organization, make_user):
    alice = make_user(email="alice@example.com", display_name="Alice Backer")
    bob = make_user(email="bob@example.com", display_name="Bob Backer")
    sandbox_fund(alice, 10_000)
    sandbox_fund(bob, 10_000)
    title = "Solar lamps for schools"

    creator = new_page("creator")
    log_in(creator, owner.email)
    project = _create_and_launch(creator, title=title, goal="100", tier=("Lamp", "20", "2"))
    slug = project.campaign.slug

    # Alice finds it on the discovery page and takes the Lamp reward.
    alice_page = new_page("alice")
    log_in(alice_page, alice.email)
    _find_on_discovery(alice_page, title)
    expect(alice_page.locator("main")).to_contain_text("2 of 2 left")
    _pledge(alice_page, "30", "Lamp")
    expect(alice_page.locator("ul.messages")).to_contain_text(
        "Thank you! Your pledge is held until the deadline."
    )
    expect(alice_page.locator("#back-this")).to_contain_text("You pledged 30.00 USD. (Lamp)")
    expect(alice_page.locator("main")).to_contain_text("1 of 2 left")

    # Bob pledges without a reward, then raises his pledge.
    bob_page = new_page("bob")
    log_in(bob_page, bob.email)
    bob_page.goto(f"/fund/{slug}/")
    _pledge(bob_page, "10", None)
    expect(bob_page.locator("#back-this")).to_contain_text("You pledged 10.00 USD.")
    expect(bob_page.locator("#pledge-form button[type=submit]")).to_have_text("Change pledge")
    _pledge(bob_page, "15", None)
    expect(bob_page.locator("#back-this")).to_contain_text("You pledged 15.00 USD.")
    stats = bob_page.locator("#funding-stats")
    expect(stats).to_contain_text("45.00 USD")
    expect(stats).to_contain_text("pledged of 100.00 USD")
    expect(stats).to_contain_text("45%")
    expect(bob_page.locator("#backers")).to_contain_text("Alice Backer")
    expect(bob_page.locator("#backers")).to_contain_text("Bob Backer")

    # The money is held: Bob's statement shows both holds.
    bob_page.locator("header nav").get_by_role("link", name="Wallet").click()
    expect(bob_page.locator("#balance")).to_have_text("85.00 USD")
    expect(bob_page.locator("#statement tbody tr")).to_have_count(3)
    expect(_statement_first_row(bob_page)).to_have_text(
        [re.compile("."), "Held in escrow", f"Pledge raised for {title}", "-5.00 USD", "85.00 USD"]
    )

    # The creator's dashboard lists the pledges while the campaign runs.
    creator.goto(f"/fund/{slug}/dashboard/")
    report = creator.locator("#settlement-report tbody")
    expect(report.locator("tr")).to_have_count(2)
    expect(report.locator("tr", has_text="Alice Backer").locator("td")).to_have_text(
        [re.compile(r"\d+"), "Alice Backer", "Lamp", "30.00 USD", "Active", "—"]
    )
    expect(report.locator("tr", has_text="Bob Backer").locator("td")).to_have_text(
        [re.compile(r"\d+"), "Bob Backer", "—", "15.00 USD", "Active", "—"]
    )

    # The deadline passes: the page shows it closed before any job has run.
    end_now(project)
    alice_page.reload()
    expect(alice_page.locator("main .status").first).to_have_text("Closed")
    expect(alice_page.locator("#back-this")).to_contain_text("This campaign is not taking pledges.")
    expect(alice_page.locator("#pledge-form")).to_have_count(0)

    # Settlement, as the periodic job runs it: exactly once.
    assert run_job("crowdfunding.settle_due") == 1
    assert run_job("crowdfunding.settle_due") == 0

    alice_page.reload()
    expect(alice_page.locator("main article .status")).to_have_text(
        ["Settled", "Not funded: refunded"]
    )
    expect(alice_page.locator("#back-this")).to_contain_text("Your pledge of 30.00 USD: Refunded.")
    expect(alice_page.locator("#funding-stats")).to_contain_text("pledged of 100.00 USD")

    creator.reload()
    expect(creator.locator("main section .status")).to_have_text(
        ["Settled", "Not funded: refunded"]
    )
    expect(report.locator("tr", has_text="Alice Backer")).to_contain_text("Refunded")
    expect(report.locator("tr", has_text="Bob Backer")).to_contain_text("Refunded")
    # The brand got nothing.
    creator.goto("/brand/wallet/")
    expect(creator.locator("#balance")).to_have_text("0.00 USD")

    # Each backer's statement shows the refund, and the wallet is whole again.
    for person_page, amount in ((alice_page, "30.00 USD"), (bob_page, "15.00 USD")):
        person_page.goto("/wallet/")
        expect(person_page.locator("#balance")).to_have_text("100.00 USD")
        expect(_statement_first_row(person_page)).to_have_text(
            [re.compile("."), "Refund", f"Refund: {title} was not funded", amount, "100.00 USD"]
        )
    assert balance(alice) == balance(bob) == 10_000


def test_reached_goal_pays_the_brand_and_rewards_backers(new_page, owner, organization, make_user):
    alice = make_user(email="alice@example.com", display_name="Alice Backer")
    bob = make_user(email="bob@example.com", display_name="Bob Backer")
    sandbox_fund(alice, 10_000)
    sandbox_fund(bob, 10_000)
    title = "Posters for the library"

    creator = new_page("creator")
    log_in(creator, owner.email)
    project = _create_and_launch(creator, title=title, goal="50", tier=("Poster", "10", "5"))
    slug = project.campaign.slug

    alice_page = new_page("alice")
    log_in(alice_page, alice.email)
    alice_page.goto(f"/fund/{slug}/")
    _pledge(alice_page, "20", "Poster")
    # Alice changes her pledge: more money, same reward.
    _pledge(alice_page, "30", "Poster")
    expect(alice_page.locator("#back-this")).to_contain_text("You pledged 30.00 USD. (Poster)")

    bob_page = new_page("bob")
    log_in(bob_page, bob.email)
    bob_page.goto(f"/fund/{slug}/")
    _pledge(bob_page, "25", None)
    expect(bob_page.locator("#funding-stats")).to_contain_text("55.00 USD")
    expect(bob_page.locator("#funding-stats")).to_contain_text("110%")

    end_now(project)
    assert services.project_settle(project_id=project.pk) is True
    assert services.project_settle(project_id=project.pk) is False

    bob_page.reload()
    expect(bob_page.locator("main article .status")).to_have_text(["Settled", "Funded"])
    expect(bob_page.locator("#back-this")).to_contain_text("Your pledge of 25.00 USD: Charged.")

    # The creator's dashboard: funded, both pledges charged.
    creator.goto(f"/fund/{slug}/dashboard/")
    expect(creator.locator("main section .status")).to_have_text(["Settled", "Funded"])
    report = creator.locator("#settlement-report tbody")
    expect(report.locator("tr", has_text="Alice Backer")).to_contain_text("Charged")
    expect(report.locator("tr", has_text="Bob Backer")).to_contain_text("Charged")

    # The brand wallet got the money less the 5 % crowdfunding fee.
    creator.goto("/brand/wallet/")
    expect(creator.locator("#balance")).to_have_text("52.25 USD")
    expect(_statement_first_row(creator)).to_have_text(
        [
            re.compile("."),
            "Released from escrow",
            f"Funds raised by {title}",
            "52.25 USD",
            "52.25 USD",
        ]
    )

    # Alice, who chose a reward, tells the creator where to ship it.
    alice_page.reload()
    expect(alice_page.locator("#back-this")).to_contain_text("Your pledge of 30.00 USD: Charged.")
    reward = alice_page.locator("#back-this form:has(textarea)")
    reward.get_by_label("Shipping address").fill("12 Library Lane, Hanoi")
    reward.get_by_label("Your choice (size, colour…)").fill("A2")
    reward.get_by_role("button", name="Save").click()
    expect(alice_page.locator("ul.messages")).to_contain_text(
        "Thanks, your reward details are saved."
    )
    creator.goto(f"/fund/{slug}/dashboard/")
    expect(report.locator("tr", has_text="Alice Backer")).to_contain_text(
        "12 Library Lane, Hanoi A2"
    )

    # The creator tells backers how it goes and reports what was spent.
    assert _duplicate_ids(creator) == []
    update = creator.locator("form:has(input[name=action][value=update])")
    update.get_by_label("Title").fill("We did it!")
    update.get_by_label("Text").fill("Printing starts on *Monday*.")
    update.get_by_label("Who can read it").select_option("backers")
    update.get_by_role("button", name="Post").click()
    expect(creator.locator("ul.messages")).to_contain_text("Saved.")
    spending = creator.locator("form:has(input[name=action][value=spending])")
    spending.get_by_label("Category").select_option(label="Parts")
    spending.get_by_label("Amount").fill("20")
    spending.get_by_label("What for").fill("Paper and ink")
    spending.get_by_label("Date").fill("2026-01-15")
    spending.get_by_role("button", name="Record expense").click()
    expect(creator.locator("ul.messages")).to_contain_text("Saved.")

    bob_page.reload()
    expect(bob_page.locator("#updates")).to_contain_text("We did it!")
    expect(bob_page.locator("#updates")).to_contain_text("backers only")
    expect(bob_page.locator("#updates em")).to_have_text("Monday")
    expect(bob_page.locator("#spending tbody tr", has_text="Parts").locator("td")).to_have_text(
        ["Parts", "60.00 USD", "20.00 USD"]
    )

    alice_page.goto("/wallet/")
    expect(alice_page.locator("#balance")).to_have_text("70.00 USD")
    assert balance(alice) == 7_000
    assert balance(bob) == 7_500
