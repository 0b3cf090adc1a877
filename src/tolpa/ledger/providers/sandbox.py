"""An offline provider for the embedded default, demos and tests.

Cards: 4242 4242 4242 4242 succeeds at once, 4000 0000 0000 0002 is declined,
4000 0000 0000 9995 fails for insufficient funds. A bank transfer confirms after
TOLPA_SANDBOX_CONFIRM_SECONDS. A payout to a destination containing FAIL fails."""

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from tolpa.ledger.models import PaymentStatus
from tolpa.ledger.providers.base import DepositStart

SUCCESS_CARD = "4242424242424242"
DECLINED_CARDS = {
    "4000000000000002": _("Your card was declined."),
    "4000000000009995": _("Your card has insufficient funds."),
}


class SandboxProvider:
    name = "sandbox"
    supports_withdrawals = True

    def start_deposit(self, deposit, *, details: dict, return_url: str) -> DepositStart:
        reference = f"sbx_{secrets.token_hex(8)}"
        if deposit.method == "bank_transfer":
            return DepositStart(
                PaymentStatus.PENDING,
                reference,
                confirm_in_seconds=settings.TOLPA_SANDBOX_CONFIRM_SECONDS,
            )
        card = "".join(ch for ch in str(details.get("card_number", "")) if ch.isdigit())
        if card == SUCCESS_CARD:
            return DepositStart(PaymentStatus.SUCCEEDED, reference)
        reason = DECLINED_CARDS.get(card, _("Unknown test card; use 4242 4242 4242 4242."))
        return DepositStart(PaymentStatus.FAILED, reference, failure_reason=reason)

    def start_withdrawal(self, withdrawal) -> DepositStart:
        reference = f"sbx_po_{secrets.token_hex(8)}"
        if "FAIL" in withdrawal.destination.upper():
            return DepositStart(
                PaymentStatus.FAILED, reference, failure_reason=_("The bank refused the payout.")
            )
        return DepositStart(
            PaymentStatus.PENDING,
            reference,
            confirm_in_seconds=settings.TOLPA_SANDBOX_CONFIRM_SECONDS,
        )
