"""Stripe deposits through Checkout Sessions, confirmed only by signed webhooks.
Payouts need Stripe Connect onboarding and are not offered through Stripe yet."""

import stripe
from django.conf import settings

from tolpa.ledger.models import PaymentStatus
from tolpa.ledger.providers.base import DepositStart


class StripeProvider:
    name = "stripe"
    supports_withdrawals = False

    def __init__(self):
        self.client = stripe.StripeClient(settings.TOLPA_STRIPE_SECRET_KEY)

    def start_deposit(self, deposit, *, details: dict, return_url: str) -> DepositStart:
        session = self.client.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": str(deposit.pk),
                "metadata": {"deposit_id": str(deposit.pk)},
                "payment_intent_data": {"metadata": {"deposit_id": str(deposit.pk)}},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": deposit.currency.lower(),
                            "unit_amount": deposit.amount,
                            "product_data": {"name": "Tolpa wallet top-up"},
                        },
                    }
                ],
                "success_url": return_url,
                "cancel_url": return_url,
            },
            options={"idempotency_key": f"tolpa-deposit-{deposit.pk}"},
        )
        return DepositStart(PaymentStatus.PENDING, session.id, redirect_url=session.url)


def verify_signature(payload: bytes, signature: str):
    """Verify the Stripe-Signature header; raises stripe.SignatureVerificationError or ValueError."""
    return stripe.Webhook.construct_event(payload, signature, settings.TOLPA_STRIPE_WEBHOOK_SECRET)
