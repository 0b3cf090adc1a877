"""Surveys end to end: a brand creates a two-question survey in the browser and launches it; a
respondent answers it, sees the reward in their wallet; the brand sees the results chart."""

import re

import pytest

from tests.contests.conftest import deposit
from tests.e2e.conftest import expect, log_in
from tolpa.ledger import services as ledger

pytestmark = pytest.mark.e2e


def _submit(page, button_name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_name, exact=True).click()


def _create_survey(page) -> str:
    page.goto("/surveys/")
    page.get_by_role("link", name="Ask for feedback").click()
    form = page.locator("#survey-form")
    form.get_by_label("Title").fill("Which cup do you like?")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Reward", exact=True).select_option("money")
    form.get_by_label("Reward per response").fill("0.75")
    form.get_by_label("Most responses").fill("3")
    first, second = form.locator("#question-1"), form.locator("#question-2")
    first.get_by_label("Kind").select_option("single")
    first.get_by_label("Question").fill("Pick a cup")
    first.get_by_label("Options").fill("Paper\nGlass")
    second.get_by_label("Kind").select_option("text")
    second.get_by_label("Question").fill("Why?")
    _submit(page, "Save survey")
    expect(page).to_have_url(re.compile(r"/surveys/[\w-]+/dashboard/$"))
    _submit(page, "Launch")
    expect(page.locator("#survey-status")).to_have_text("Live")
    return page.url.split("/surveys/")[1].split("/")[0]


def test_brand_creates_respondent_answers_and_is_paid(new_page, owner, organization, make_user):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 10_000)
    person = make_user(email="rita@example.com", display_name="Rita Respondent")
    brand = new_page("brand")
    log_in(brand, owner.email)
    slug = _create_survey(brand)

    page = new_page("respondent")
    log_in(page, person.email)
    page.goto(f"/surveys/{slug}/")
    expect(page.locator("#survey-reward")).to_contain_text("0.75 USD")
    page.get_by_label("Glass").check()
    page.get_by_label("Why?").fill("It keeps the coffee warm")
    _submit(page, "Send answers")
    expect(page.locator("#thanks")).to_contain_text("0.75 USD was paid to your wallet")
    page.goto("/wallet/")
    expect(page.locator("main")).to_contain_text("0.75")

    brand.goto(f"/surveys/{slug}/dashboard/")
    expect(brand.locator("#response-count")).to_have_text("1")
    expect(brand.locator("#results svg.chart")).to_have_count(1)
    expect(brand.locator("#results")).to_contain_text("It keeps the coffee warm")
