"""Top-ups and withdrawals through payment providers, and provider webhooks.
Money is credited or paid out exactly once, whatever order events arrive in."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, NotFoundError
from tolpa.ledger import services
from tolpa.ledger.models import (
    Account,
    Deposit,
    PaymentStatus,
    TransferKind,
    WebhookEvent,
    Withdrawal,
)
from tolpa.ledger.money import validate_amount
from tolpa.ledger.providers import provider_get

DEPOSIT_METHODS = ("card", "bank_transfer")


def _provider(name: str):
    try:
        return provider_get(name)
    except KeyError as exc:
        raise InvalidInput(
            fields={"provider": [_("This payment provider is not available.")]}
        ) from exc


def _replayed(model, *, actor: User, request_key: str, account: Account, amount: int):
    """The earlier request with this client key, if any; the same key for another request is a 409."""
    if not request_key:
        return None
    if len(request_key) > 100:
        raise InvalidInput(
            fields={"request_key": [_("The idempotency key is longer than 100 characters.")]}
        )
    earlier = model.objects.filter(requested_by=actor, request_key=request_key).first()
    if earlier is not None and (earlier.account_id, earlier.amount) != (account.pk, amount):
        raise ConflictError(_("This idempotency key was already used for a different request."))
    return earlier


def deposit_start(
    *,
    actor: User,
    account: Account,
    amount: int,
    provider: str,
    method: str = "card",
    details: dict | None = None,
    return_url: str = "",
    request_key: str = "",
) -> tuple[Deposit, str]:
    """Start a top-up; returns the deposit and a URL to send the payer to (may be empty).
    A repeated `request_key` returns the first deposit instead of charging again."""
    validate_amount(amount)
    if method not in DEPOSIT_METHODS:
        raise InvalidInput(fields={"method": [_("Unknown payment method.")]})
    earlier = _replayed(
        Deposit, actor=actor, request_key=request_key, account=account, amount=amount
    )
    if earlier is not None:
        return earlier, ""
    gateway = _provider(provider)
    deposit = Deposit.objects.create(
        account=account,
        requested_by=actor,
        amount=amount,
        currency=account.currency,
        provider=provider,
        method=method,
        request_key=request_key,
    )
    start = gateway.start_deposit(deposit, details=details or {}, return_url=return_url)
    deposit.provider_reference = start.provider_reference
    deposit.save(update_fields=["provider_reference", "updated_at"])
    if start.status == PaymentStatus.SUCCEEDED:
        deposit_succeed(deposit_id=deposit.pk)
    elif start.status == PaymentStatus.FAILED:
        deposit_fail(deposit_id=deposit.pk, reason=start.failure_reason)
    elif start.confirm_in_seconds is not None:
        deposit.confirm_after = timezone.now() + timedelta(seconds=start.confirm_in_seconds)
        deposit.save(update_fields=["confirm_after", "updated_at"])
    deposit.refresh_from_db()
    return deposit, start.redirect_url


def deposit_succeed(*, deposit_id: int) -> Deposit:
    """Credit the wallet once. A success after a failure still credits: the money arrived."""
    deposit = Deposit.objects.select_for_update().get(pk=deposit_id)
    if deposit.status == PaymentStatus.SUCCEEDED:
        return deposit
    external = services.account_external(provider=deposit.provider, currency=deposit.currency)
    deposit.transfer = services.move(
        source=external,
        destination=deposit.account,
        amount=deposit.amount,
        key=f"deposit:{deposit.pk}",
        kind=TransferKind.DEPOSIT,
        memo=f"{deposit.provider} {deposit.provider_reference}",
    )
    deposit.status = PaymentStatus.SUCCEEDED
    deposit.failure_reason = ""
    deposit.save(update_fields=["transfer", "status", "failure_reason", "updated_at"])
    return deposit


def deposit_fail(*, deposit_id: int, reason: str = "") -> Deposit:
    """Mark a pending top-up failed; a late failure after success changes nothing."""
    deposit = Deposit.objects.select_for_update().get(pk=deposit_id)
    if deposit.status == PaymentStatus.PENDING:
        deposit.status = PaymentStatus.FAILED
        deposit.failure_reason = (reason or _("The payment failed."))[:200]
        deposit.save(update_fields=["status", "failure_reason", "updated_at"])
    return deposit


def _payout_escrow(withdrawal: Withdrawal) -> Account:
    return services.account_escrow(
        reference=f"payout:{withdrawal.pk}", currency=withdrawal.currency
    )


def withdrawal_request(
    *,
    actor: User,
    account: Account,
    amount: int,
    destination: str,
    provider: str = "sandbox",
    request_key: str = "",
) -> Withdrawal:
    """Hold the amount in a payout escrow at once, so it cannot be spent twice, then ask the provider.
    A repeated `request_key` returns the first withdrawal."""
    validate_amount(amount)
    earlier = _replayed(
        Withdrawal, actor=actor, request_key=request_key, account=account, amount=amount
    )
    if earlier is not None:
        return earlier
    destination = (destination or "").strip()
    if not 4 <= len(destination) <= 120:
        raise InvalidInput(
            fields={"destination": [_("Give a bank account or card of 4 to 120 characters.")]}
        )
    gateway = _provider(provider)
    if not gateway.supports_withdrawals:
        raise InvalidInput(fields={"provider": [_("This provider does not pay out.")]})
    withdrawal = Withdrawal.objects.create(
        account=account,
        requested_by=actor,
        amount=amount,
        currency=account.currency,
        provider=provider,
        destination=destination,
        request_key=request_key,
    )
    services.move(
        source=account,
        destination=_payout_escrow(withdrawal),
        amount=amount,
        key=f"withdrawal-hold:{withdrawal.pk}",
        kind=TransferKind.HOLD,
        memo=_("Withdrawal requested"),
    )
    start = gateway.start_withdrawal(withdrawal)
    withdrawal.provider_reference = start.provider_reference
    if start.confirm_in_seconds is not None:
        withdrawal.confirm_after = timezone.now() + timedelta(seconds=start.confirm_in_seconds)
    withdrawal.save(update_fields=["provider_reference", "confirm_after", "updated_at"])
    if start.status == PaymentStatus.SUCCEEDED:
        withdrawal_complete(withdrawal_id=withdrawal.pk)
    elif start.status == PaymentStatus.FAILED:
        withdrawal_fail(withdrawal_id=withdrawal.pk, reason=start.failure_reason)
    withdrawal.refresh_from_db()
    return withdrawal


def withdrawal_complete(*, withdrawal_id: int) -> Withdrawal:
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    if withdrawal.status != PaymentStatus.PENDING:
        return withdrawal
    services.move(
        source=_payout_escrow(withdrawal),
        destination=services.account_external(
            provider=withdrawal.provider, currency=withdrawal.currency
        ),
        amount=withdrawal.amount,
        key=f"withdrawal-paid:{withdrawal.pk}",
        kind=TransferKind.WITHDRAWAL,
        memo=withdrawal.destination,
    )
    withdrawal.status = PaymentStatus.SUCCEEDED
    withdrawal.save(update_fields=["status", "updated_at"])
    return withdrawal


def withdrawal_fail(*, withdrawal_id: int, reason: str = "") -> Withdrawal:
    """Return the held amount to the wallet."""
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    if withdrawal.status != PaymentStatus.PENDING:
        return withdrawal
    services.move(
        source=_payout_escrow(withdrawal),
        destination=withdrawal.account,
        amount=withdrawal.amount,
        key=f"withdrawal-failed:{withdrawal.pk}",
        kind=TransferKind.REFUND,
        memo=_("Withdrawal failed"),
    )
    withdrawal.status = PaymentStatus.FAILED
    withdrawal.failure_reason = (reason or _("The payout failed."))[:200]
    withdrawal.save(update_fields=["status", "failure_reason", "updated_at"])
    return withdrawal


def sandbox_settle_due(*, now=None) -> int:
    """Confirm sandbox bank transfers and payouts whose simulated delay has passed."""
    now = now or timezone.now()
    settled = 0
    due_deposits = Deposit.objects.filter(
        provider="sandbox", status=PaymentStatus.PENDING, confirm_after__lte=now
    ).values_list("pk", flat=True)
    for deposit_id in due_deposits:
        with transaction.atomic():
            deposit_succeed(deposit_id=deposit_id)
        settled += 1
    due_withdrawals = Withdrawal.objects.filter(
        provider="sandbox", status=PaymentStatus.PENDING, confirm_after__lte=now
    ).values_list("pk", flat=True)
    for withdrawal_id in due_withdrawals:
        with transaction.atomic():
            withdrawal_complete(withdrawal_id=withdrawal_id)
        settled += 1
    return settled


STRIPE_SUCCESS_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
STRIPE_FAILURE_EVENTS = {"checkout.session.async_payment_failed", "checkout.session.expired"}


def stripe_event_handle(*, event: dict) -> str:
    """Apply one verified Stripe event once. Returns what was done, for the log."""
    event_id, event_type = event.get("id"), event.get("type", "")
    if not event_id:
        raise InvalidInput(_("The event has no id."))
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(provider="stripe", event_id=event_id, event_type=event_type)
    except IntegrityError:
        return "duplicate"
    if event_type not in STRIPE_SUCCESS_EVENTS | STRIPE_FAILURE_EVENTS:
        return "ignored"
    session = (event.get("data") or {}).get("object") or {}
    deposit_id = (session.get("metadata") or {}).get("deposit_id") or session.get(
        "client_reference_id"
    )
    deposit = Deposit.objects.filter(
        pk=int(deposit_id) if str(deposit_id).isdigit() else 0, provider="stripe"
    ).first()
    if deposit is None:
        raise NotFoundError(_("No deposit matches this event."))
    if session.get("amount_total") not in (None, deposit.amount) or (
        session.get("currency") and session["currency"].upper() != deposit.currency
    ):
        raise ConflictError(_("The event amount does not match the deposit."))
    if event_type in STRIPE_SUCCESS_EVENTS:
        if event_type == "checkout.session.completed" and session.get("payment_status") != "paid":
            return "awaiting async payment"
        deposit_succeed(deposit_id=deposit.pk)
        return "credited"
    deposit_fail(deposit_id=deposit.pk, reason=event_type)
    return "failed"
