from datetime import datetime

from ninja import Schema
from pydantic import Field

from tolpa.ideas.models import BODY_MAX, TITLE_MAX


class CriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    weight: int = Field(1, ge=1, le=10)


class ChallengeIn(Schema):
    organization_id: int
    title: str = Field(..., min_length=1, max_length=160, description="the question")
    summary: str = Field("", max_length=300)
    description: str = Field("", max_length=50_000)
    audience: str = "public"
    allowed_domains: str = Field("", max_length=1000)
    submission_ends_at: datetime
    review_ends_at: datetime
    voting_ends_at: datetime
    vote_while_submitting: bool = True
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=10)
    tags: list[str] = Field(default_factory=list, max_length=10)
    language: str = "en"


class CriterionOut(Schema):
    id: int
    name: str
    weight: int


class ChallengeOut(Schema):
    slug: str
    title: str
    summary: str
    description: str
    status: str
    stage: str
    audience: str
    submission_ends_at: datetime
    review_ends_at: datetime
    voting_ends_at: datetime
    vote_while_submitting: bool
    voting_open: bool
    criteria: list[CriterionOut]


class IdeaIn(Schema):
    """`body` is checked by the service: the API's error shape cannot name a field "body"
    from a schema error (it strips that word from error locations)."""

    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    body: str = Field(..., description=f"Markdown, at most {BODY_MAX} characters")
    tags: list[str] = Field(default_factory=list, max_length=5)


class IdeaOut(Schema):
    number: int
    title: str
    body: str
    author: str
    status: str
    answer: str
    votes: int
    tags: list[str]
    merged_into: int | None
    created_at: datetime


class VoteOut(Schema):
    number: int
    votes: int
    voted: bool


class FollowOut(Schema):
    number: int
    following: bool


class StatusIn(Schema):
    status: str
    answer: str = Field("", max_length=BODY_MAX)


class EmailIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)


class ReviewerOut(Schema):
    id: int
    user: str
    email: str


class ScoreIn(Schema):
    scores: dict[int, int] = Field(..., min_length=1, description="criterion id → 1..5")


class RankedOut(Schema):
    number: int
    title: str
    votes: int
    score: float | None
    reviewers: int


class SimilarOut(Schema):
    number: int
    title: str
    score: float


class MergeIn(Schema):
    target: int = Field(..., ge=1, description="number of the idea to keep")


class MergeOut(Schema):
    source: int
    target: int
    merged_by: str | None
    merged_at: datetime
    unmerged_by: str | None
    unmerged_at: datetime | None
