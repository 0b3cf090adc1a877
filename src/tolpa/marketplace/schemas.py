from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tolpa.ledger.money import MAX_AMOUNT

MAX_ID = 2**63 - 1


class TenderIn(Schema):
    organization_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=160)
    summary: str = Field("", max_length=300)
    description: str = Field(..., max_length=50_000, description="Markdown")
    currency: str = Field(..., min_length=3, max_length=3)
    budget_min: int = Field(..., ge=1, le=MAX_AMOUNT, description="minor units")
    budget_max: int | None = Field(
        None, ge=1, le=MAX_AMOUNT, description="minor units; omit for a fixed budget"
    )
    offer_deadline: datetime
    skills: list[str] = Field(default_factory=list, max_length=10)
    language: str = "en"
    publish: bool = True


class AttachmentOut(Schema):
    name: str
    kind: str
    url: str


class TenderOut(Schema):
    slug: str
    title: str
    summary: str
    description: str
    organization: str
    status: str
    is_open: bool
    currency: str
    budget_min: int
    budget_max: int
    fixed: bool
    offer_deadline: datetime
    skills: list[str]
    language: str
    proposals_count: int
    attachments: list[AttachmentOut]


class ProposalIn(Schema):
    price: int = Field(..., ge=1, le=MAX_AMOUNT, description="minor units")
    days: int = Field(..., ge=1, le=3650)
    cover_letter: str = Field(..., max_length=10_000)
    portfolio_links: list[str] = Field(default_factory=list, max_length=10)


class PersonOut(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    id: int
    tender: str
    freelancer: PersonOut
    price: int
    currency: str
    days: int
    cover_letter: str
    portfolio_links: list[str]
    status: str
    shortlisted: bool
    decline_reason: str
    created_at: datetime
    updated_at: datetime
    contract_id: int | None = None


class ShortlistIn(Schema):
    shortlisted: bool = True


class DeclineIn(Schema):
    reason: str = Field("", max_length=1000, description="Shown to the proposal's author")


class MessageIn(Schema):
    body: str = Field(..., max_length=4000)


class MessageOut(Schema):
    id: int
    author: str
    from_brand: bool
    body: str
    created_at: datetime


class MilestoneIn(Schema):
    title: str = Field(..., max_length=200)
    amount: int = Field(..., ge=1, le=MAX_AMOUNT, description="minor units")
    due_date: date


class AwardIn(Schema):
    milestones: list[MilestoneIn] = Field(
        default_factory=list, max_length=50,
        description="empty: one milestone for the whole price",
    )  # fmt: skip


class MilestoneOut(Schema):
    id: int
    position: int
    title: str
    amount: int
    due_date: date
    status: str
    funded_at: datetime | None
    delivered_at: datetime | None
    auto_release_at: datetime | None
    settled_at: datetime | None
    paid_amount: int
    fee_amount: int
    refunded_amount: int
    auto_released: bool


class ReviewIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    text: str = Field("", max_length=4000)


class ReviewOut(Schema):
    side: str
    author: str
    rating: int
    text: str
    created_at: datetime


class ContractOut(Schema):
    id: int
    tender: str
    title: str
    organization: str
    freelancer: PersonOut
    currency: str
    price: int
    status: str
    created_at: datetime
    completed_at: datetime | None
    milestones: list[MilestoneOut]
    reviews: list[ReviewOut]


class DeliverIn(Schema):
    message: str = Field(..., max_length=10_000)


class FeedbackIn(Schema):
    feedback: str = Field(..., max_length=4000)


class DisputeIn(Schema):
    reason: str = Field(..., max_length=4000)


class DecideIn(Schema):
    decision: str = Field(..., description="release, refund or split")
    freelancer_amount: int | None = Field(None, ge=0, le=MAX_AMOUNT)
    brand_amount: int | None = Field(None, ge=0, le=MAX_AMOUNT)
    note: str = Field("", max_length=4000)


class DisputeOut(Schema):
    id: int
    milestone_id: int
    contract_id: int
    by_brand: bool
    reason: str
    opened_at: datetime
    decision: str
    freelancer_amount: int
    brand_amount: int
    decided_at: datetime | None
