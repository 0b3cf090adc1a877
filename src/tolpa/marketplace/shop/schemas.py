from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

BODY_LIMIT = 200_000  # far above the service's cap, so the service names the real limit


class TextIn(Schema):
    title: str = Field(..., max_length=1000)
    category: str
    language: str
    price: int = Field(..., description="minor units, e.g. cents")
    currency: str = Field(..., max_length=3)
    body: str = Field(..., max_length=BODY_LIMIT, description="the full text, Markdown")


class TextOut(Schema):
    id: int
    title: str
    category: str
    language: str
    price: int
    currency: str
    preview: str
    body: str | None = Field(None, description="only for the author, staff and the buyer")
    words: int
    characters: int
    uniqueness: int
    status: str
    author_id: int
    author_name: str
    created_at: datetime
    moderation_reason: str = ""


class PriceIn(Schema):
    price: int = Field(..., description="minor units")


class ModerateIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000)


class RightsOut(Schema):
    code: UUID
    title: str
    text_id: int
    sha256: str
    seller_id: int
    buyer_id: int
    organization_id: int | None
    price: int
    currency: str
    created_at: datetime


class PurchaseOut(Schema):
    id: int
    text: TextOut
    price: int
    fee: int
    currency: str
    created_at: datetime
    rights: RightsOut


class EarningsOut(Schema):
    currency: str
    sales: int
    gross: int
    fees: int
    net: int


class OrderIn(Schema):
    organization_id: int
    topic: str = Field(..., max_length=1000)
    brief: str = Field("", max_length=20_000)
    category: str
    language: str
    words: int
    price: int = Field(..., description="minor units, held in escrow when posted")
    currency: str = Field(..., max_length=3)
    deadline: datetime


class DeliverIn(Schema):
    title: str = Field("", max_length=1000)
    body: str = Field(..., max_length=BODY_LIMIT)


class ChangesIn(Schema):
    message: str = Field(..., max_length=20_000)


class OrderOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    topic: str
    brief: str
    category: str
    language: str
    words: int
    price: int
    currency: str
    deadline: datetime
    status: str
    author_id: int | None
    change_request: str
    text: TextOut | None = Field(None, description="the delivery, for the brand and author")
    rights_code: UUID | None = None
