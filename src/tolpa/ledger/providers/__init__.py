"""Payment providers move money between the outside world and Tolpa wallets."""

from django.conf import settings

from tolpa.ledger.providers.base import DepositStart, PaymentProvider
from tolpa.ledger.providers.sandbox import SandboxProvider
from tolpa.ledger.providers.stripe import StripeProvider

__all__ = ["DepositStart", "PaymentProvider", "provider_get", "providers_enabled"]


def providers_enabled() -> list[str]:
    names = ["sandbox"] if settings.TOLPA_SANDBOX_PAYMENTS else []
    if settings.TOLPA_STRIPE_SECRET_KEY:
        names.append("stripe")
    return names


def provider_get(name: str) -> PaymentProvider:
    if name not in providers_enabled():
        raise KeyError(name)
    return {"sandbox": SandboxProvider, "stripe": StripeProvider}[name]()
