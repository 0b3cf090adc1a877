from datetime import datetime

from ninja import Schema
from pydantic import Field

from tolpa.ledger.money import MAX_AMOUNT


class BalanceOut(Schema):
    currency: str
    balance: int = Field(description="minor units")
    formatted: str


class PostingOut(Schema):
    id: int
    transfer_id: int
    kind: str
    memo: str
    amount: int
    currency: str
    balance_after: int
    created_at: datetime

    @staticmethod
    def resolve_kind(posting) -> str:
        return posting.transfer.kind

    @staticmethod
    def resolve_memo(posting) -> str:
        return posting.transfer.memo


class TopUpIn(Schema):
    amount: int = Field(..., gt=0, le=MAX_AMOUNT, description="minor units, e.g. 1250 = 12.50 USD")
    currency: str = Field(..., min_length=3, max_length=3)
    provider: str = "sandbox"
    method: str = "card"
    card_number: str = Field("", max_length=23)
    organization_id: int | None = None


class TopUpOut(Schema):
    id: int
    status: str
    amount: int
    currency: str
    provider: str
    failure_reason: str
    redirect_url: str = ""


class WithdrawalIn(Schema):
    amount: int = Field(..., gt=0, le=MAX_AMOUNT)
    currency: str = Field(..., min_length=3, max_length=3)
    destination: str = Field(..., min_length=4, max_length=120)
    organization_id: int | None = None


class WithdrawalOut(Schema):
    id: int
    status: str
    amount: int
    currency: str
    destination: str
    failure_reason: str
