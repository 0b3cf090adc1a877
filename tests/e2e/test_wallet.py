"""Topping up the wallet with the sandbox provider: a good card, declined cards, bad amounts."""

import re

import pytest

from tests.e2e.conftest import DECLINED_CARD, SUCCESS_CARD, expect, log_in, sandbox_fund
from tolpa.ledger import services as ledger
from tolpa.ledger.models import Deposit

pytestmark = pytest.mark.e2e

INSUFFICIENT_FUNDS_CARD = "4000 0000 0000 9995"


def _top_up(page, amount: str, card: str) -> None:
    form = page.locator("#topup-form")
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Pay by").select_option("card")
    form.get_by_label("Card number").fill(card)
    form.get_by_label("Provider").select_option("sandbox")
    with page.expect_navigation():
        form.get_by_role("button", name="Top up").click()


def test_top_up_with_sandbox_cards(page, make_user):
    person = make_user(email="wallet@example.com", display_name="Wally")
    log_in(page, "wallet@example.com")
    page.locator("header nav").get_by_role("link", name="Wallet").click()
    expect(page.locator("main h1")).to_have_text("Your wallet")
    expect(page.locator("#balance")).to_have_text("0.00 USD")
    expect(page.locator("#statement tbody")).to_contain_text("No movements yet.")
    expect(page.locator("#topup-form")).to_contain_text("4242 4242 4242 4242 succeeds")

    # A good test card: the money is there at once, with its line in the statement.
    _top_up(page, "25.50", SUCCESS_CARD)
    expect(page.locator("ul.messages")).to_contain_text("Added 25.50 USD to the wallet.")
    expect(page.locator("#balance")).to_have_text("25.50 USD")
    rows = page.locator("#statement tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(
        [
            re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"),
            "Top-up",
            re.compile(r"^sandbox sbx_"),
            "25.50 USD",
            "25.50 USD",
        ]
    )
    expect(page.locator("main")).to_contain_text("25.50 USD (sandbox, card): Succeeded")

    # A declined card: a clear error, nothing credited.
    _top_up(page, "10", DECLINED_CARD)
    expect(page.locator("ul.messages .message.error")).to_have_text(
        "Top-up failed: Your card was declined."
    )
    expect(page.locator("#balance")).to_have_text("25.50 USD")
    expect(rows).to_have_count(1)
    expect(page.locator("main")).to_contain_text(
        "10.00 USD (sandbox, card): Failed (Your card was declined.)"
    )

    # Insufficient funds on the card: the same, with its own reason.
    _top_up(page, "5", INSUFFICIENT_FUNDS_CARD)
    expect(page.locator("ul.messages .message.error")).to_have_text(
        "Top-up failed: Your card has insufficient funds."
    )
    expect(page.locator("#balance")).to_have_text("25.50 USD")
    expect(rows).to_have_count(1)

    account = ledger.account_for_user(user=person, currency="USD")
    account.refresh_from_db()
    assert account.balance == 2_550
    assert sorted(Deposit.objects.values_list("status", flat=True)) == [
        "failed",
        "failed",
        "succeeded",
    ]

    # A second good top-up adds up, newest line first.
    _top_up(page, "4.50", SUCCESS_CARD)
    expect(page.locator("#balance")).to_have_text("30.00 USD")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("td").nth(3)).to_have_text("4.50 USD")
    expect(rows.first.locator("td").nth(4)).to_have_text("30.00 USD")


@pytest.mark.parametrize(
    ("amount", "card", "error"),
    [
        ("abc", SUCCESS_CARD, "Enter a number, such as 12.50."),
        ("12.345", SUCCESS_CARD, "USD has 2 decimal places."),
        ("-5", SUCCESS_CARD, "The amount must be positive."),
        ("10", "", "Enter a card number."),
    ],
)
def test_top_up_bad_input_shows_an_error_and_changes_nothing(page, make_user, amount, card, error):
    make_user(email="careless@example.com")
    log_in(page, "careless@example.com")
    page.goto("/wallet/")
    _top_up(page, amount, card)
    expect(page.locator("ul.messages .message.error")).to_contain_text(error)
    expect(page.locator("#balance")).to_have_text("0.00 USD")
    expect(page.locator("#statement tbody")).to_contain_text("No movements yet.")
    assert not Deposit.objects.exists()


def _withdraw(page, amount: str, destination: str) -> None:
    form = page.locator("#withdraw-form")
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Currency").select_option("USD")
    form.get_by_label("Bank account or card").fill(destination)
    with page.expect_navigation():
        form.get_by_role("button", name="Request withdrawal").click()


def test_withdraw_to_a_bank_and_a_refused_payout(page, make_user):
    person = make_user(email="saver@example.com")
    sandbox_fund(person, 5_000)
    log_in(page, "saver@example.com")
    page.goto("/wallet/")
    expect(page.locator("#balance")).to_have_text("50.00 USD")
    # Every label names a field of its own form (ids are unique on the page).
    duplicate_ids = page.evaluate(
        """() => { const seen = {}; document.querySelectorAll('[id]').forEach(
                     e => { seen[e.id] = (seen[e.id] || 0) + 1; });
                   return Object.keys(seen).filter(id => seen[id] > 1); }"""
    )
    assert duplicate_ids == []

    _withdraw(page, "20", "DE89 3704 0044 0532")
    expect(page.locator("ul.messages")).to_contain_text("Withdrawal of 20.00 USD requested.")
    expect(page.locator("#balance")).to_have_text("30.00 USD")
    expect(page.locator("main")).to_contain_text("20.00 USD → DE89 3704 0044 0532: Pending")
    rows = page.locator("#statement tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("td").nth(2)).to_have_text("Withdrawal requested")
    expect(rows.first.locator("td").nth(3)).to_have_text("-20.00 USD")

    # The bank refuses: the held money comes back, with both lines in the statement.
    _withdraw(page, "10", "FAIL-0000")
    expect(page.locator("ul.messages .message.error")).to_have_text(
        "Withdrawal failed: The bank refused the payout."
    )
    expect(page.locator("#balance")).to_have_text("30.00 USD")
    expect(rows).to_have_count(4)
    expect(rows.first.locator("td").nth(1)).to_have_text("Refund")
    expect(rows.first.locator("td").nth(3)).to_have_text("10.00 USD")

    # More than the balance: refused, nothing moves.
    _withdraw(page, "31", "DE89 3704 0044 0532")
    expect(page.locator("ul.messages .message.error")).to_contain_text("Not enough money")
    expect(page.locator("#balance")).to_have_text("30.00 USD")
    expect(rows).to_have_count(4)
    assert ledger.account_for_user(user=person, currency="USD").balance == 3_000
