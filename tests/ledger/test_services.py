import pytest

from tolpa.errors import ConflictError, InvalidInput
from tolpa.ledger import services
from tolpa.ledger.models import Account, Posting, Transfer, TransferKind
from tolpa.ledger.money import Money
from tolpa.ledger.services import IdempotencyConflictError, InsufficientFundsError, Line
from tolpa.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db


def test_deposit_credits_wallet_and_balances(fund, wallet):
    fund(wallet, 10_000)
    wallet.refresh_from_db()
    assert wallet.balance == 10_000
    report = ledger_verify()
    assert report.ok
    assert report.currency_totals == {"USD": 0}


def test_same_key_same_content_returns_first_transfer(fund, wallet, make_user):
    fund(wallet, 5_000)
    other = services.account_for_user(user=make_user(), currency="USD")
    first = services.move(
        source=wallet, destination=other, amount=700, key="pay-1", kind=TransferKind.PAYMENT
    )
    again = services.move(
        source=wallet, destination=other, amount=700, key="pay-1", kind=TransferKind.PAYMENT
    )
    assert first.pk == again.pk
    wallet.refresh_from_db()
    assert wallet.balance == 4_300


def test_same_key_different_content_is_refused(fund, wallet, make_user):
    fund(wallet, 5_000)
    other = services.account_for_user(user=make_user(), currency="USD")
    services.move(
        source=wallet, destination=other, amount=700, key="pay-1", kind=TransferKind.PAYMENT
    )
    with pytest.raises(IdempotencyConflictError) as exc:
        services.move(
            source=wallet, destination=other, amount=800, key="pay-1", kind=TransferKind.PAYMENT
        )
    assert exc.value.status == 409
    wallet.refresh_from_db()
    assert wallet.balance == 4_300


def test_wallet_never_goes_negative(fund, wallet, make_user):
    fund(wallet, 100)
    other = services.account_for_user(user=make_user(), currency="USD")
    with pytest.raises(InsufficientFundsError):
        services.move(
            source=wallet, destination=other, amount=101, key="too-much", kind=TransferKind.PAYMENT
        )
    wallet.refresh_from_db()
    assert wallet.balance == 100
    assert not Transfer.objects.filter(idempotency_key="too-much").exists()


@pytest.mark.parametrize("amount", [0, -5, 10**16, 2**63, 1.5, "10", True])
def test_bad_amounts_are_refused(fund, wallet, make_user, amount):
    fund(wallet, 100)
    other = services.account_for_user(user=make_user(), currency="USD")
    with pytest.raises(InvalidInput):
        services.move(
            source=wallet, destination=other, amount=amount, key="bad", kind=TransferKind.PAYMENT
        )
    assert Posting.objects.filter(account=other).count() == 0


def test_unbalanced_and_cross_currency_transfers_are_refused(wallet, user):
    euro = services.account_for_user(user=user, currency="EUR")
    external = services.account_external(provider="sandbox", currency="USD")
    with pytest.raises(InvalidInput):
        services.transfer_create(
            key="k1", kind="deposit", lines=[Line(external, -5), Line(wallet, 4)]
        )
    with pytest.raises(InvalidInput, match="currencies"):
        services.transfer_create(
            key="k2",
            kind="deposit",
            lines=[
                Line(external, -5),
                Line(wallet, 5),
                Line(euro, 5),
                Line(services.account_external(provider="sandbox", currency="EUR"), -5),
            ],
        )
    with pytest.raises(InvalidInput):
        services.transfer_create(key="k3", kind="deposit", lines=[Line(wallet, 5)])
    with pytest.raises(InvalidInput):
        services.transfer_create(
            key="", kind="deposit", lines=[Line(external, -5), Line(wallet, 5)]
        )
    with pytest.raises(InvalidInput):
        services.transfer_create(key="k4", kind="gift", lines=[Line(external, -5), Line(wallet, 5)])
    assert Transfer.objects.count() == 0


def test_unknown_currency_is_refused(user):
    with pytest.raises(InvalidInput):
        services.account_for_user(user=user, currency="XYZ")


def test_hold_release_with_fee_and_partial_releases(fund, brand_wallet, make_user, settings):
    settings.TOLPA_FEE_BASIS_POINTS = {"contest": 1500}
    fund(brand_wallet, 100_000)
    escrow = services.account_escrow(reference="campaign:1", currency="USD")
    services.hold(source=brand_wallet, escrow=escrow, amount=60_000, key="c1-hold")
    first = services.account_for_user(user=make_user(), currency="USD")
    second = services.account_for_user(user=make_user(), currency="USD")
    services.release(
        escrow=escrow, payee=first, amount=40_000, key="c1-p1", campaign_kind="contest"
    )
    services.release(
        escrow=escrow, payee=second, amount=20_000, key="c1-p2", campaign_kind="contest"
    )
    for account in (escrow, first, second, brand_wallet):
        account.refresh_from_db()
    assert (escrow.balance, first.balance, second.balance, brand_wallet.balance) == (
        0,
        34_000,
        17_000,
        40_000,
    )
    assert services.account_fee_income(currency="USD").balance == 9_000
    with pytest.raises(InsufficientFundsError):
        services.release(escrow=escrow, payee=first, amount=1, key="c1-p3")
    assert ledger_verify().ok


def test_refund_returns_each_payers_net_contribution(fund, make_user):
    escrow = services.account_escrow(reference="campaign:2", currency="USD")
    backers = [services.account_for_user(user=make_user(), currency="USD") for _ in range(3)]
    for i, backer in enumerate(backers):
        fund(backer, 1_000)
        services.hold(source=backer, escrow=escrow, amount=100 * (i + 1), key=f"pledge-{i}")
    services.hold(source=backers[0], escrow=escrow, amount=50, key="pledge-0b")
    services.refund(escrow=escrow, payer=backers[1], amount=80, key="cancel-1")
    transfer = services.refund(escrow=escrow, key="refund-all")
    again = services.refund(escrow=escrow, key="refund-all")
    assert transfer.pk == again.pk
    assert services.refund(escrow=escrow, key="refund-all-2") is None
    for backer in backers:
        backer.refresh_from_db()
        assert backer.balance == 1_000
    escrow.refresh_from_db()
    assert escrow.balance == 0


def test_refund_more_than_held_is_refused(fund, wallet):
    escrow = services.account_escrow(reference="campaign:3", currency="USD")
    fund(wallet, 500)
    services.hold(source=wallet, escrow=escrow, amount=300, key="h")
    with pytest.raises(ConflictError):
        services.refund(escrow=escrow, payer=wallet, amount=301, key="r")


def test_only_escrow_accounts_hold_and_release(fund, wallet, make_user):
    other = services.account_for_user(user=make_user(), currency="USD")
    with pytest.raises(InvalidInput):
        services.hold(source=wallet, escrow=other, amount=1, key="x")
    with pytest.raises(InvalidInput):
        services.release(escrow=wallet, payee=other, amount=1, key="y")


def test_reversal_is_a_new_transfer_and_happens_once(fund, wallet):
    deposit = fund(wallet, 900)
    reversal = services.transfer_reverse(transfer=deposit, key="rev-1")
    assert reversal.reverses_id == deposit.pk
    assert services.transfer_reverse(transfer=deposit, key="rev-1").pk == reversal.pk
    with pytest.raises(ConflictError):
        services.transfer_reverse(transfer=deposit, key="rev-2")
    wallet.refresh_from_db()
    assert wallet.balance == 0
    assert deposit.postings.count() == 2


def test_reversal_of_spent_money_is_refused(fund, wallet, make_user):
    deposit = fund(wallet, 900)
    other = services.account_for_user(user=make_user(), currency="USD")
    services.move(
        source=wallet, destination=other, amount=500, key="spend", kind=TransferKind.PAYMENT
    )
    with pytest.raises(InsufficientFundsError):
        services.transfer_reverse(transfer=deposit, key="rev")


def test_postings_and_transfers_are_append_only(fund, wallet):
    transfer = fund(wallet, 100)
    posting = transfer.postings.first()
    posting.amount = 1_000_000
    with pytest.raises(TypeError):
        posting.save()
    with pytest.raises(TypeError):
        posting.delete()
    with pytest.raises(TypeError):
        Posting.objects.filter(pk=posting.pk).update(amount=5)
    with pytest.raises(TypeError):
        Posting.objects.all().delete()
    with pytest.raises(TypeError):
        transfer.delete()
    assert Posting.objects.get(pk=posting.pk).amount in (100, -100)


def test_verify_detects_drift(fund, wallet):
    fund(wallet, 100)
    Account.objects.filter(pk=wallet.pk).update(balance=150)
    report = ledger_verify()
    assert not report.ok
    assert report.drifted_accounts == [(wallet.code, 150, 100)]


def test_verify_command(fund, wallet, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    fund(wallet, 100)
    call_command("ledger", "verify")
    assert "balances" in capsys.readouterr().out
    Account.objects.filter(pk=wallet.pk).update(balance=1)
    with pytest.raises(CommandError):
        call_command("ledger", "verify")


def test_fee_rounds_down_for_payee(settings):
    settings.TOLPA_FEE_BASIS_POINTS = {"contest": 1500}
    assert services.fee_for(campaign_kind="contest", amount=99) == 14
    assert services.fee_for(campaign_kind="unknown", amount=99) == 0


def test_money_value():
    assert Money.parse("12.50", "USD") == Money(1250, "USD")
    assert Money.parse("15000", "VND") == Money(15000, "VND")
    assert str(Money(123456, "USD")) == "1,234.56 USD"
    with pytest.raises(ValueError, match="currencies"):
        Money(1, "USD") + Money(1, "EUR")
    for bad in ("1.234", "abc", "-1", "0", "NaN", "Infinity", "1e30"):
        with pytest.raises(InvalidInput):
            Money.parse(bad, "USD")
    with pytest.raises(InvalidInput):
        Money.parse("1.5", "VND")


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("250,000", "VND", 250_000),
        ("250.000", "VND", 250_000),
        ("1 250 000", "VND", 1_250_000),
        ("1.250.000", "VND", 1_250_000),
        ("12,50", "RUB", 1250),
        ("1 250,50", "RUB", 125_050),
        ("1.250,50", "EUR", 125_050),
        ("1,250.50", "USD", 125_050),
        ("1,250,000", "USD", 125_000_000),
        ("1'250.5", "USD", 125_050),
    ],
)
def test_money_reads_the_ways_people_group_digits(text, currency, minor):
    assert Money.parse(text, currency) == Money(minor, currency)


@pytest.mark.parametrize("text", ["1,234", "1.234", "1.2.3,4,5", "12,5,0.1"])
def test_money_refuses_ambiguous_or_malformed_grouping(text):
    with pytest.raises(InvalidInput):
        Money.parse(text, "USD")


def test_database_refuses_raw_updates_of_postings_on_postgres(fund, wallet):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    transfer = fund(wallet, 100)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_posting SET amount = 5 WHERE transfer_id = %s", [transfer.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_transfer WHERE id = %s", [transfer.pk])


def test_ambiguous_grouping_names_both_readings():
    with pytest.raises(InvalidInput) as refused:
        Money.parse("12.345", "USD")
    message = refused.value.fields["amount"][0]
    assert "USD has 2 decimal places." in message
    assert "If . separates thousands" in message
