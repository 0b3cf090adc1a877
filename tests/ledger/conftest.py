import pytest
from django.db import transaction

from tolpa.ledger import services
from tolpa.ledger.models import TransferKind


@pytest.fixture
def fund():
    """Put money on an account the way a top-up does: from the outside world."""

    def fund(account, amount, key=None):
        with transaction.atomic():
            external = services.account_external(provider="sandbox", currency=account.currency)
            return services.move(
                source=external, destination=account, amount=amount,
                key=key or f"test-fund:{account.code}:{amount}:{account.balance}", kind=TransferKind.DEPOSIT,
            )  # fmt: skip

    return fund


@pytest.fixture
def wallet(user):
    return services.account_for_user(user=user, currency="USD")


@pytest.fixture
def brand_wallet(organization):
    return services.account_for_organization(organization=organization, currency="USD")
