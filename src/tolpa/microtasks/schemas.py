from datetime import datetime

from ninja import Schema
from pydantic import Field

from tolpa.ledger.money import MAX_AMOUNT


class ProjectIn(Schema):
    organization_id: int
    title: str = Field(..., min_length=1, max_length=160)
    template: str
    currency: str = Field(..., min_length=3, max_length=3)
    reward: int = Field(..., gt=0, le=MAX_AMOUNT, description="minor units per assignment")
    overlap: int = Field(3, ge=1, le=50)
    max_overlap: int | None = Field(None, ge=1, le=50)
    target_confidence: float | None = Field(None, ge=0.5, lt=1)
    lease_seconds: int = Field(600, ge=30, le=86_400)
    labels: list[str] = Field(default_factory=list, max_length=50)
    fields: list[str] = Field(default_factory=list, max_length=30)
    instructions: str = Field("", max_length=50_000)
    summary: str = Field("", max_length=300)
    days: int = Field(30, ge=1, le=365)
    min_reputation: int = Field(0, ge=0, le=1_000_000)
    languages: list[str] = Field(default_factory=list, max_length=20)
    countries: list[str] = Field(default_factory=list, max_length=50)
    gold_rate: float = Field(0.1, ge=0, le=0.5)
    qualification_tasks: int = Field(0, ge=0, le=50)
    min_gold_accuracy: float = Field(0.6, ge=0, le=1)
    auto_approve_days: int = Field(3, ge=0, le=30)
    method: str | None = None
    language: str = "en"
    tags: list[str] = Field(default_factory=list, max_length=10)


class ProjectOut(Schema):
    slug: str
    title: str
    status: str
    template: str
    labels: list[str]
    fields: list[str]
    currency: str
    reward: int
    overlap: int
    max_overlap: int
    target_confidence: float | None
    lease_seconds: int
    method: str


class BatchOut(Schema):
    id: int
    name: str
    status: str
    tasks_count: int
    gold_count: int
    budget: int
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None


class ProgressOut(Schema):
    tasks: int
    done: int
    in_progress: int
    remaining: int
    answers: int
    pending_review: int
    spent: int
    budget: int
    median_seconds: float | None
    eta_seconds: float | None


class TaskOut(Schema):
    """What a worker sees of a task: never whether it is gold, never a gold answer."""

    assignment: int
    task: str
    data: dict
    expires_at: datetime


class AnswerIn(Schema):
    answer: dict


class SubmittedOut(Schema):
    assignment: int
    status: str
    flagged_fast: bool
    control_task_correct: bool | None


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class AppealIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)


class ReviewOut(Schema):
    assignment: int
    task: str
    worker: str
    answer: dict | None
    status: str
    seconds: float | None
    flagged_fast: bool
    gold_correct: bool | None
    appeal: str
