from django.conf import settings
from django.db import transaction
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from tolpa.accounts.selectors import organization_access
from tolpa.ledger import payments, selectors
from tolpa.ledger.money import format_minor, validate_currency
from tolpa.ledger.schemas import (
    BalanceOut,
    PostingOut,
    TopUpIn,
    TopUpOut,
    WithdrawalIn,
    WithdrawalOut,
)

router = Router(tags=["wallet"])


def _organization(request, organization_id: int | None):
    return organization_access(actor=request.user, id=organization_id) if organization_id else None


@router.get("", response=list[BalanceOut])
def balances(request, organization_id: int | None = None):
    """Balances of your wallet, or of a brand's wallet you are a member of."""
    organization = _organization(request, organization_id)
    accounts = selectors.wallet_balances(
        user=None if organization else request.user, organization=organization
    )
    return [
        BalanceOut(
            currency=a.currency, balance=a.balance, formatted=format_minor(a.balance, a.currency)
        )
        for a in accounts
    ]


@router.get("/statement", response=list[PostingOut])
@paginate(LimitOffsetPagination)
def statement(
    request,
    currency: str = settings.TOLPA_DEFAULT_CURRENCY,
    organization_id: int | None = None,
    kind: str = "",
):
    """Postings on one wallet, newest first."""
    organization = _organization(request, organization_id)
    with transaction.atomic():
        account = selectors.wallet_access(
            actor=request.user, currency=validate_currency(currency), organization=organization
        )
    return selectors.statement(account=account, kind=kind)


@router.post("/topups", response={201: TopUpOut})
def topup(request, payload: TopUpIn):
    """Start a top-up. Sandbox cards settle at once; Stripe returns a `redirect_url` to pay at."""
    organization = _organization(request, payload.organization_id)
    with transaction.atomic():
        account = selectors.wallet_access(
            actor=request.user,
            currency=validate_currency(payload.currency),
            organization=organization,
        )
        deposit, redirect_url = payments.deposit_start(
            actor=request.user,
            account=account,
            amount=payload.amount,
            provider=payload.provider,
            method=payload.method,
            details={"card_number": payload.card_number},
            return_url=request.build_absolute_uri("/wallet/"),
            request_key=request.headers.get("Idempotency-Key", ""),
        )
    return Status(201, TopUpOut(
        id=deposit.pk, status=deposit.status, amount=deposit.amount, currency=deposit.currency,
        provider=deposit.provider, failure_reason=deposit.failure_reason, redirect_url=redirect_url,
    ))  # fmt: skip


@router.post("/withdrawals", response={201: WithdrawalOut})
def withdrawal(request, payload: WithdrawalIn):
    """Request a payout; the amount is held at once and paid out by the provider."""
    organization = _organization(request, payload.organization_id)
    with transaction.atomic():
        account = selectors.wallet_access(
            actor=request.user,
            currency=validate_currency(payload.currency),
            organization=organization,
            for_withdrawal=True,
        )
        result = payments.withdrawal_request(
            actor=request.user,
            account=account,
            amount=payload.amount,
            destination=payload.destination,
            request_key=request.headers.get("Idempotency-Key", ""),
        )
    return Status(201, result)
