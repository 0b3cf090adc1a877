"""Tenders end to end: a brand posts a tender in the browser, two freelancers send proposals,
the brand declines one with a reason the freelancer reads and awards the other, funds the
milestone, the freelancer delivers, the brand accepts, and the money (less the platform fee)
lands in the freelancer's wallet."""

import re

import pytest

from tests.contests.conftest import deposit
from tests.e2e.conftest import expect, log_in, messages_text
from tolpa.ledger import services as ledger

pytestmark = pytest.mark.e2e


def _click(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _post_tender(page) -> str:
    page.goto("/tenders/")
    page.get_by_role("link", name="Post a tender").click()
    form = page.locator("#tender-form")
    form.get_by_label("Job title").fill("Translate our menu into Vietnamese")
    form.get_by_label("Description").fill("Two pages, **friendly** tone.")
    form.get_by_label("Skills").fill("translation, vietnamese")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Budget", exact=True).select_option("range")
    form.get_by_label("Budget (from)").fill("100")
    form.get_by_label("Budget (up to)").fill("300")
    form.get_by_label("Offers accepted for (days)").fill("5")
    _click(page, "Publish tender")
    expect(page.locator("#tender-status")).to_have_text("Open for offers")
    expect(page.locator("#tender-budget")).to_contain_text("100.00 USD – 300.00 USD")
    return page.url.split("/tenders/")[1].strip("/")


def _propose(page, slug: str, price: str, letter: str) -> None:
    page.goto(f"/tenders/{slug}/")
    form = page.locator("#proposal-form")
    form.get_by_label("Your price").fill(price)
    form.get_by_label("Timeline (days)").fill("4")
    form.get_by_label("Cover letter").fill(letter)
    _click(page, "Send proposal")
    expect(page.locator("#proposal-price")).to_have_text(f"{price} USD")


def test_tender_from_post_to_paid_milestone(new_page, owner, organization, make_user):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 100_000)
    lan = make_user(email="lan@example.com", display_name="Lan Translator")
    make_user(email="minh@example.com", display_name="Minh Writer")
    brand = new_page("brand")
    log_in(brand, owner.email)
    slug = _post_tender(brand)

    first = new_page("lan")
    log_in(first, "lan@example.com")
    _propose(first, slug, "250.00", "Native speaker, menus are my speciality.")
    second = new_page("minh")
    log_in(second, "minh@example.com")
    _propose(second, slug, "180.00", "Quick and careful.")

    brand.goto(f"/tenders/{slug}/proposals/")
    rows = brand.locator("#proposal-table tbody tr")
    expect(rows).to_have_count(2)
    brand.locator("#proposal-table tr", has_text="Minh Writer").get_by_role(
        "link", name="Open"
    ).click()
    brand.locator("#decline-form").get_by_label("Why").fill("We need a native speaker.")
    _click(brand, "Decline proposal")
    expect(brand.locator("#proposal-status")).to_have_text("Declined")
    second.reload()
    expect(second.locator("#decline-reason")).to_contain_text("We need a native speaker.")
    expect(second.locator("#edit-proposal")).to_have_count(0)

    brand.goto(f"/tenders/{slug}/proposals/")
    brand.locator("#proposal-table tr", has_text="Lan Translator").get_by_role(
        "link", name="Open"
    ).click()
    expect(brand.locator("#proposal")).to_contain_text("menus are my speciality")
    _click(brand, "Award")
    expect(brand).to_have_url(re.compile(r"/tenders/contracts/\d+/$"))
    contract_url = brand.url
    milestone = brand.locator("#milestone-1")
    expect(milestone.locator(".milestone-status")).to_have_text("Not funded")
    _click(brand, "Fund 250.00 USD")
    expect(milestone.locator(".milestone-status")).to_have_text("Funded, in progress")

    first.goto(contract_url)
    first.locator("#milestone-1 summary", has_text="Deliver").click()
    first.locator("#milestone-1 .deliver-form").get_by_label("What you deliver").fill(
        "Both pages attached."
    )
    _click(first, "Submit delivery")
    expect(first.locator("#milestone-1 .milestone-status")).to_have_text(
        "Delivered, awaiting review"
    )

    brand.goto(contract_url)
    _click(brand, "Accept and pay")
    assert "Saved" in messages_text(brand)
    expect(brand.locator("#milestone-1 .milestone-status")).to_have_text("Paid")
    expect(brand.locator("#contract-status")).to_have_text("Completed")

    first.goto("/wallet/")
    expect(first.locator("#balance")).to_have_text("225.00 USD")
    assert ledger.account_for_user(user=lan, currency="USD").balance == 22_500
