from dataclasses import dataclass
from typing import Protocol

from tolpa.ledger.models import Deposit, Withdrawal


@dataclass(frozen=True)
class DepositStart:
    """What a provider says when a top-up starts: done now, failed, pending, or go pay there."""

    status: str
    provider_reference: str = ""
    redirect_url: str = ""
    failure_reason: str = ""
    confirm_in_seconds: int | None = None


class PaymentProvider(Protocol):
    name: str
    supports_withdrawals: bool

    def start_deposit(
        self, deposit: Deposit, *, details: dict, return_url: str
    ) -> DepositStart: ...

    def start_withdrawal(self, withdrawal: Withdrawal) -> DepositStart: ...
