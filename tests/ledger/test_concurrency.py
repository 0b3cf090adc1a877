"""Money under real parallel connections (PostgreSQL row locks; SQLite IMMEDIATE transactions)."""

import pytest
from django.db import transaction

from tests.concurrency import run_in_parallel
from tolpa.ledger import payments, services
from tolpa.ledger.models import Deposit, Transfer, TransferKind
from tolpa.ledger.services import InsufficientFundsError
from tolpa.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_spends_never_overdraw(fund, wallet, make_user):
    fund(wallet, 1_000)
    payees = [services.account_for_user(user=make_user(), currency="USD") for _ in range(8)]
    counter = iter(range(8))

    def spend():
        index = next(counter)
        with transaction.atomic():
            return services.move(
                source=wallet,
                destination=payees[index],
                amount=300,
                key=f"spend-{index}",
                kind=TransferKind.PAYMENT,
            )

    results = run_in_parallel(spend, 8)
    succeeded = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, InsufficientFundsError)]
    assert (len(succeeded), len(refused)) == (3, 5), results
    wallet.refresh_from_db()
    assert wallet.balance == 100
    assert ledger_verify().ok


def test_parallel_retries_of_one_key_move_money_once(fund, wallet, make_user):
    fund(wallet, 1_000)
    payee = services.account_for_user(user=make_user(), currency="USD")

    def pay():
        with transaction.atomic():
            return services.move(
                source=wallet,
                destination=payee,
                amount=250,
                key="retried",
                kind=TransferKind.PAYMENT,
            )

    results = run_in_parallel(pay, 8)
    assert all(isinstance(r, Transfer) for r in results), results
    assert len({r.pk for r in results}) == 1
    payee.refresh_from_db()
    assert payee.balance == 250


def test_parallel_escrow_releases_pay_only_what_is_held(fund, brand_wallet, make_user):
    fund(brand_wallet, 10_000)
    escrow = services.account_escrow(reference="campaign:race", currency="USD")
    with transaction.atomic():
        services.hold(source=brand_wallet, escrow=escrow, amount=1_000, key="hold")
    payees = [services.account_for_user(user=make_user(), currency="USD") for _ in range(6)]
    counter = iter(range(6))

    def release():
        index = next(counter)
        with transaction.atomic():
            return services.release(
                escrow=escrow, payee=payees[index], amount=400, key=f"prize-{index}"
            )

    results = run_in_parallel(release, 6)
    assert sum(isinstance(r, Transfer) for r in results) == 2, results
    escrow.refresh_from_db()
    assert escrow.balance == 200


def test_parallel_deposit_confirmations_credit_once(wallet, user):
    with transaction.atomic():
        deposit, _url = payments.deposit_start(
            actor=user, account=wallet, amount=5_000, provider="sandbox", method="bank_transfer"
        )

    def confirm():
        with transaction.atomic():
            return payments.deposit_succeed(deposit_id=deposit.pk).status

    assert run_in_parallel(confirm, 6) == ["succeeded"] * 6
    wallet.refresh_from_db()
    assert wallet.balance == 5_000


def test_crash_after_transfer_before_status_update_is_credited_once(wallet, user):
    """If the transfer step committed and the process died before marking the deposit,
    the retry finds the transfer by its key instead of crediting again."""
    with transaction.atomic():
        deposit, _url = payments.deposit_start(
            actor=user, account=wallet, amount=700, provider="sandbox", method="bank_transfer"
        )
        external = services.account_external(provider="sandbox", currency="USD")
        services.move(
            source=external,
            destination=wallet,
            amount=700,
            key=f"deposit:{deposit.pk}",
            kind=TransferKind.DEPOSIT,
            memo=f"sandbox {deposit.provider_reference}",
        )
    with transaction.atomic():
        payments.deposit_succeed(deposit_id=deposit.pk)
    wallet.refresh_from_db()
    assert wallet.balance == 700
    assert Deposit.objects.get(pk=deposit.pk).status == "succeeded"


def test_crash_inside_the_step_rolls_everything_back(wallet, user, monkeypatch):
    with transaction.atomic():
        deposit, _url = payments.deposit_start(
            actor=user, account=wallet, amount=700, provider="sandbox", method="bank_transfer"
        )

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(Deposit, "save", crash)
    with pytest.raises(RuntimeError), transaction.atomic():
        payments.deposit_succeed(deposit_id=deposit.pk)
    monkeypatch.undo()
    wallet.refresh_from_db()
    assert wallet.balance == 0
    with transaction.atomic():
        payments.deposit_succeed(deposit_id=deposit.pk)
    wallet.refresh_from_db()
    assert wallet.balance == 700
