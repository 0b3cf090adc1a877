from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

# Entry numbers and prize places are small; bounding them keeps absurd ids a 422, not an
# overflow in the database driver.
EntryNumber = Annotated[int, Field(ge=1, le=1_000_000)]
Place = Annotated[int, Field(ge=1, le=10)]


class ContestIn(Schema):
    organization_id: int
    title: str = Field(..., min_length=1, max_length=160)
    category: str
    currency: str = Field(..., min_length=3, max_length=3)
    prizes: list[int] = Field(
        ..., min_length=1, max_length=10, description="minor units, place 1 first"
    )
    prize_mode: str = "places"
    entry_days: int = Field(7, ge=1, le=60)
    selection_days: int = Field(7, ge=1, le=30)
    finalists_max: int = Field(0, ge=0, le=20)
    finalist_days: int = Field(3, ge=1, le=30)
    guaranteed: bool = False
    blind: bool = False
    private: bool = False
    nda_text: str = Field("", max_length=10_000)
    requirements: str = Field("", max_length=50_000)
    summary: str = Field("", max_length=300)
    must_have: str = Field("", max_length=4000)
    avoid: str = Field("", max_length=4000)
    deliverables: str = Field("", max_length=300)
    language: str = "en"
    tags: list[str] = Field(default_factory=list, max_length=10)


class BriefPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=160)
    summary: str | None = Field(None, max_length=300)
    requirements: str | None = Field(None, max_length=50_000)
    must_have: str | None = Field(None, max_length=4000)
    avoid: str | None = Field(None, max_length=4000)
    deliverables: str | None = Field(None, max_length=300)


class PrizeOut(Schema):
    place: int
    amount: int


class ContestOut(Schema):
    slug: str
    title: str
    category: str
    currency: str
    prize_mode: str
    prizes: list[PrizeOut]
    prize_total: int
    stage: str
    stage_ends_at: datetime | None
    entry_ends_at: datetime
    guaranteed: bool
    blind: bool
    private: bool
    entries_count: int
    brief_visible: bool
    summary: str
    requirements: str | None
    must_have: str | None
    avoid: str | None
    deliverables: str | None


class VersionOut(Schema):
    number: int
    media_kind: str
    file_url: str | None
    thumbnail_url: str | None
    text: str
    note: str
    sha256: str
    created_at: datetime


class EntryOut(Schema):
    number: int
    title: str
    author: str
    status: str
    shortlisted: bool
    finalist: bool
    created_at: datetime
    versions: list[VersionOut]
    rating: int | None = None
    brand_comment: str | None = None
    decline_reason: str | None = None


class ReviewIn(Schema):
    rating: int | None = Field(None, ge=1, le=5)
    comment: str | None = Field(None, max_length=4000)
    shortlisted: bool | None = None


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class TextIn(Schema):
    body: str = Field(..., min_length=1, max_length=10_000)


class UpdateOut(Schema):
    body: str
    created_at: datetime


class EntriesIn(Schema):
    entries: list[EntryNumber] = Field(
        ..., min_length=1, max_length=50, description="entry numbers"
    )


class PollIn(Schema):
    days: int = Field(..., ge=1, le=14)
    entries: list[EntryNumber] = Field(
        default_factory=list, max_length=8, description="entry numbers; empty = all"
    )
    pairwise: bool = False
    hide_counts: bool = True
    min_account_age_days: int = Field(0, ge=0, le=365)


class PollRowOut(Schema):
    entry: int
    votes: int | None
    score: float | None = None
    low: float | None = None
    high: float | None = None


class PollOut(Schema):
    opens_at: datetime
    closes_at: datetime
    pairwise: bool
    counts_visible: bool
    results: list[PollRowOut]


class VoteIn(Schema):
    entry: EntryNumber = Field(..., description="entry number")


class PairVoteIn(Schema):
    winner: EntryNumber
    loser: EntryNumber


class WinnersIn(Schema):
    picks: dict[Place, EntryNumber] = Field(
        ..., min_length=1, max_length=10, description="place → entry number"
    )


class DeliverableOut(Schema):
    name: str
    size: int
    sha256: str


class AwardOut(Schema):
    id: int
    place: int
    amount: int
    entry: int
    winner: str
    status: str
    by_rule: bool
    brand_accepted_at: datetime | None
    winner_accepted_at: datetime | None
    paid_at: datetime | None
    agreement_text: str
    deliverables: list[DeliverableOut]


class Created(Schema):
    number: int
