import csv
import json
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tolpa.errors import ServiceError
from tolpa.ledger import payments, selectors
from tolpa.ledger.forms import StatementFilterForm, TopUpForm, WithdrawalForm
from tolpa.ledger.money import format_minor
from tolpa.ledger.providers import providers_enabled
from tolpa.ledger.providers.stripe import verify_signature
from tolpa.web.service_errors import add_service_error

logger = logging.getLogger(__name__)


def _scope(request, scope: str):
    """The organization a brand page acts for (None for the personal wallet)."""
    if scope == "brand":
        return request.active_organization or None
    return None


def _currency(request) -> str:
    currency = (
        request.GET.get("currency")
        or request.POST.get("currency")
        or settings.TOLPA_DEFAULT_CURRENCY
    ).upper()
    return (
        currency
        if currency in dict(StatementFilterForm.base_fields["currency"].choices)
        else settings.TOLPA_DEFAULT_CURRENCY
    )


def _wallet_context(request, scope: str):
    organization = _scope(request, scope)
    if scope == "brand" and organization is None:
        return None
    filters = StatementFilterForm(request.GET or None, auto_id="id_filter_%s")
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    currency = cleaned.get("currency") or _currency(request)
    account = selectors.wallet_access(
        actor=request.user, currency=currency, organization=organization
    )
    postings = selectors.statement(
        account=account,
        kind=cleaned.get("kind", ""),
        since=cleaned.get("since"),
        until=cleaned.get("until"),
    )
    return {
        "scope": scope,
        "organization": organization,
        "account": account,
        "filters": filters,
        "postings": postings,
        "balance": format_minor(account.balance, account.currency),
        "balances": selectors.wallet_balances(
            user=None if organization else request.user, organization=organization
        ),
    }


@login_required
def wallet(request, scope: str = "me"):
    context = _wallet_context(request, scope)
    if context is None:
        messages.info(request, _("Create a brand first."))
        return redirect("accounts:organization_create")
    context["page"] = Paginator(context.pop("postings"), 25).get_page(request.GET.get("page"))
    providers = providers_enabled()
    context["topup_form"] = TopUpForm(
        providers=providers, initial={"currency": context["account"].currency}
    )
    # Its own ids: the top-up form above uses the default ones, and a label must name its own field.
    context["withdrawal_form"] = WithdrawalForm(
        initial={"currency": context["account"].currency}, auto_id="id_withdraw_%s"
    )
    context["deposits"] = context["account"].deposits.order_by("-created_at")[:5]
    context["withdrawals"] = context["account"].withdrawals.order_by("-created_at")[:5]
    return render(request, "ledger/wallet.html", context)


@login_required
def statement_csv(request, scope: str = "me"):
    context = _wallet_context(request, scope)
    if context is None:
        return redirect("accounts:organization_create")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{context["account"].code.replace(":", "-")}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        ["time_utc", "transfer", "kind", "memo", "amount_minor", "currency", "balance_after_minor"]
    )
    for posting in context["postings"].iterator():
        writer.writerow([
            posting.created_at.isoformat(), posting.transfer_id, posting.transfer.kind, posting.transfer.memo,
            posting.amount, posting.currency, posting.balance_after,
        ])  # fmt: skip
    return response


def _wallet_url(scope: str, currency: str) -> str:
    name = "ledger:brand_wallet" if scope == "brand" else "ledger:wallet"
    return f"{reverse(name)}?currency={currency}"


@login_required
@require_POST
def topup(request, scope: str = "me"):
    form = TopUpForm(request.POST, providers=providers_enabled())
    organization = _scope(request, scope)
    if form.is_valid():
        money = form.cleaned_data["money"]
        try:
            with transaction.atomic():
                account = selectors.wallet_access(
                    actor=request.user, currency=money.currency, organization=organization
                )
                deposit, redirect_url = payments.deposit_start(
                    actor=request.user,
                    account=account,
                    amount=money.amount,
                    provider=form.cleaned_data["provider"],
                    method=form.cleaned_data["method"],
                    details={"card_number": form.cleaned_data["card_number"]},
                    return_url=request.build_absolute_uri(_wallet_url(scope, money.currency)),
                    request_key=form.cleaned_data["request_key"],
                )
        except ServiceError as exc:
            add_service_error(form, exc, aliases={"amount": "amount_text"})
        else:
            if redirect_url:
                return redirect(redirect_url)
            if deposit.status == "succeeded":
                messages.success(request, _("Added %(amount)s to the wallet.") % {"amount": money})
            elif deposit.status == "failed":
                messages.error(
                    request, _("Top-up failed: %(reason)s") % {"reason": deposit.failure_reason}
                )
            else:
                messages.info(
                    request,
                    _("Top-up of %(amount)s is pending; it will appear when the bank confirms.")
                    % {"amount": money},
                )
            return redirect(_wallet_url(scope, money.currency))
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(_wallet_url(scope, _currency(request)))


@login_required
@require_POST
def withdraw(request, scope: str = "me"):
    form = WithdrawalForm(request.POST)
    organization = _scope(request, scope)
    if form.is_valid():
        money = form.cleaned_data["money"]
        try:
            with transaction.atomic():
                account = selectors.wallet_access(
                    actor=request.user,
                    currency=money.currency,
                    organization=organization,
                    for_withdrawal=True,
                )
                withdrawal = payments.withdrawal_request(
                    actor=request.user,
                    account=account,
                    amount=money.amount,
                    destination=form.cleaned_data["destination"],
                    request_key=form.cleaned_data["request_key"],
                )
        except ServiceError as exc:
            messages.error(request, exc.summary())
        else:
            if withdrawal.status == "failed":
                messages.error(
                    request,
                    _("Withdrawal failed: %(reason)s") % {"reason": withdrawal.failure_reason},
                )
            else:
                messages.success(
                    request, _("Withdrawal of %(amount)s requested.") % {"amount": money}
                )
        return redirect(_wallet_url(scope, money.currency))
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(_wallet_url(scope, _currency(request)))


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe calls this; only events with a valid signature are applied, each once."""
    if not settings.TOLPA_STRIPE_WEBHOOK_SECRET:
        return JsonResponse(
            {
                "error": {
                    "code": "not_configured",
                    "message": "Stripe is not configured.",
                    "fields": {},
                }
            },
            status=404,
        )
    try:
        verify_signature(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError):
        return JsonResponse(
            {"error": {"code": "bad_signature", "message": "Invalid signature.", "fields": {}}},
            status=400,
        )
    try:
        with transaction.atomic():
            outcome = payments.stripe_event_handle(event=json.loads(request.body))
    except ServiceError as exc:
        logger.warning("stripe event refused: %s", exc.message)
        return JsonResponse(
            {"error": {"code": exc.code, "message": exc.message, "fields": {}}}, status=exc.status
        )
    return JsonResponse({"status": outcome})
