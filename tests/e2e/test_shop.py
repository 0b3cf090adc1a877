"""Content exchange end to end: an author publishes a text in the browser, another person reads
its preview, buys it from their wallet and sees the full text and the rights record; the author
sees the sale and the earnings."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import expect, log_in, sandbox_fund
from tests.marketplace.shop.conftest import COFFEE

pytestmark = pytest.mark.e2e
HIDDEN_TAIL = "change the taste of the final cup"


def _submit(page, button_name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_name, exact=True).click()


def test_publish_buy_and_see_the_rights_record(new_page, make_user):
    author = make_user(email="anna@example.com", display_name="Anna Author")
    buyer = make_user(email="boris@example.com", display_name="Boris Buyer")
    sandbox_fund(buyer, 5_000)

    writer = new_page("author")
    log_in(writer, author.email)
    writer.goto("/shop/")
    writer.locator("main").get_by_role("link", name="Sell a text").click()
    form = writer.locator("#text-form")
    form.get_by_label("Title").fill("Coffee basics")
    form.get_by_label("Category").select_option("food")
    form.get_by_label("Language of the text").select_option("en")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Price").fill("12.50")
    form.get_by_label("Text", exact=True).fill(COFFEE)
    _submit(writer, "Put on sale")
    expect(writer).to_have_url(re.compile(r"/shop/texts/\d+/$"))
    expect(writer.locator("#text-uniqueness")).to_have_text("100% unique")
    text_url = writer.url

    page = new_page("buyer")
    log_in(page, buyer.email)
    page.goto("/shop/")
    page.get_by_label("Search").fill("coffee")
    expect(page.locator("#text-list")).to_contain_text("Coffee basics")
    page.get_by_role("link", name="Coffee basics").click()
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(HIDDEN_TAIL)
    _submit(page, "Buy for 12.50 USD")
    expect(page).to_have_url(re.compile(r"/shop/rights/[0-9a-f-]+/$"))
    digest = hashlib.sha256(COFFEE.encode()).hexdigest()
    expect(page.locator("#rights-sha256")).to_have_text(digest)
    expect(page.locator("#rights-seller")).to_have_text("Anna Author")
    expect(page.locator("#rights-buyer")).to_have_text("Boris Buyer")
    expect(page.locator("#rights-price")).to_have_text("12.50 USD")
    rights_url = page.url
    page.goto(text_url)
    expect(page.locator("#full-text")).to_contain_text(HIDDEN_TAIL)
    page.goto("/shop/")
    expect(page.locator("#text-list")).not_to_contain_text("Coffee basics")

    writer.goto("/shop/mine/")
    expect(writer.locator("#my-texts")).to_contain_text("Boris Buyer")
    expect(writer.locator("#earnings-USD")).to_contain_text("10.63 USD")  # 12.50 less 15%
    writer.goto(rights_url)
    expect(writer.locator("#rights-sha256")).to_have_text(digest)


def test_brand_orders_a_text_author_delivers_brand_accepts(
    new_page, owner, organization, make_user
):
    from tests.contests.conftest import deposit
    from tolpa.ledger import services as ledger

    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 10_000)
    author = make_user(email="wanda@example.com", display_name="Wanda Writer")

    brand = new_page("brand")
    log_in(brand, owner.email)
    brand.goto("/shop/orders/")
    brand.get_by_role("link", name="Order a text").click()
    form = brand.locator("#order-form")
    form.get_by_label("Topic").fill("Why our coffee is fresh")
    form.get_by_label("Category").select_option("food")
    form.get_by_label("Language of the text").select_option("en")
    form.get_by_label("Length in words").fill("50")
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Price").fill("20")
    deadline = timezone.now() + timedelta(days=3)
    form.get_by_label("Deadline (UTC)").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    _submit(brand, "Post the order")
    expect(brand.locator("#order-status")).to_have_text("Open")
    order_url = brand.url

    page = new_page("author")
    log_in(page, author.email)
    page.goto(order_url)
    _submit(page, "Take this order")
    expect(page.locator("#order-status")).to_have_text("In progress")
    page.locator("#deliver-form").get_by_label("Text", exact=True).fill(COFFEE)
    _submit(page, "Deliver")
    expect(page.locator("#order-status")).to_have_text("Delivered")

    brand.goto(order_url)
    expect(brand.locator("#delivered-text")).to_contain_text(HIDDEN_TAIL)
    _submit(brand, "Accept and pay")
    expect(brand.locator("#order-status")).to_have_text("Accepted")
    brand.get_by_role("link", name="Rights transfer record").click()
    expect(brand.locator("#rights-seller")).to_have_text("Wanda Writer")
    page.goto("/shop/mine/")
    expect(page.locator("#earnings-USD")).to_contain_text("17.00 USD")
