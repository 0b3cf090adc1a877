from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tolpa.ledger.money import MAX_AMOUNT

Minor = Field(..., gt=0, le=MAX_AMOUNT, description="minor units")


class ProjectIn(Schema):
    organization_id: int
    title: str = Field(..., min_length=1, max_length=160)
    summary: str = Field("", max_length=300)
    story: str = Field("", max_length=50_000)
    goal: int = Minor
    currency: str = Field(..., min_length=3, max_length=3)
    duration_days: int
    funding_model: str = "all_or_nothing"
    video_url: str = Field("", max_length=200)
    risks: str = Field("", max_length=20_000)
    faq: str = Field("", max_length=20_000)
    spending_plan: list[tuple[str, int]] = Field(default_factory=list, max_length=30)
    language: str = "en"
    tags: list[str] = Field(default_factory=list, max_length=10)


class TierIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=4000)
    minimum: int = Minor
    quantity_limit: int | None = Field(None, ge=1, le=1_000_000)
    estimated_delivery: date | None = None
    shipping_required: bool = False


class TierOut(Schema):
    id: int
    title: str
    description: str
    minimum: int
    quantity_limit: int | None
    claimed: int
    remaining: int | None
    estimated_delivery: date | None
    shipping_required: bool


class ProjectOut(Schema):
    slug: str
    title: str
    status: str
    goal: int
    currency: str
    raised: int
    backers_count: int
    percent: int
    funding_model: str
    duration_days: int
    starts_at: datetime | None
    ends_at: datetime
    outcome: str
    tiers: list[TierOut]

    @staticmethod
    def resolve_slug(project) -> str:
        return project.campaign.slug

    @staticmethod
    def resolve_title(project) -> str:
        return project.campaign.title

    @staticmethod
    def resolve_status(project) -> str:
        return project.campaign.effective_status

    @staticmethod
    def resolve_starts_at(project):
        return project.campaign.starts_at

    @staticmethod
    def resolve_ends_at(project):
        return project.campaign.ends_at

    @staticmethod
    def resolve_tiers(project):
        return list(project.tiers.all())


class PledgeIn(Schema):
    amount: int = Minor
    tier_id: int | None = None
    anonymous: bool = False


class PledgeOut(Schema):
    id: int
    amount: int
    tier_id: int | None
    status: str
    anonymous: bool
    created_at: datetime


class UpdateIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    body: str = Field(..., min_length=1, max_length=50_000)
    audience: str = "public"


class UpdateEditIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    body: str = Field(..., min_length=1, max_length=50_000)


class UpdateOut(Schema):
    id: int
    title: str
    body: str
    audience: str
    created_at: datetime
    edited_at: datetime | None


class SpendingIn(Schema):
    category_id: int
    amount: int = Minor
    currency: str = Field(..., min_length=3, max_length=3)
    description: str = Field(..., min_length=1, max_length=300)
    spent_on: date


class SpendingOut(Schema):
    category: str
    planned: int
    spent: int


class StatPoint(Schema):
    day: date
    value: int


class StatsOut(Schema):
    raised: int
    goal: int
    backers: int
    funding_over_time: list[StatPoint]
    pledges_per_day: list[StatPoint]
