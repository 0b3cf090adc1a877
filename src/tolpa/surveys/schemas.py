from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from tolpa.ledger.money import MAX_AMOUNT


class QuestionIn(Schema):
    kind: str
    prompt: str = Field(..., max_length=500)
    required: bool = True
    choices: list[str] = Field(default_factory=list, max_length=20)
    scale_max: int = 5
    low_label: str = Field("", max_length=60)
    high_label: str = Field("", max_length=60)
    max_length: int = 1000


class SurveyIn(Schema):
    organization_id: int
    title: str = Field(..., min_length=1, max_length=160)
    summary: str = Field("", max_length=300)
    description: str = Field("", max_length=50_000)
    currency: str = Field(..., min_length=3, max_length=3)
    reward_mode: str = "money"
    reward: int = Field(0, ge=0, le=MAX_AMOUNT, description="minor units per complete response")
    max_responses: int = Field(100, ge=1, le=100_000)
    award: int = Field(0, ge=0, le=MAX_AMOUNT, description="best feedback award, minor units")
    days: int = Field(14, ge=1, le=365)
    language: str = "en"
    tags: list[str] = Field(default_factory=list, max_length=10)
    questions: list[QuestionIn] = Field(..., min_length=1, max_length=50)


class QuestionsIn(Schema):
    questions: list[QuestionIn] = Field(..., min_length=1, max_length=50)


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    prompt: str
    required: bool
    choices: list[str]
    scale_min: int
    scale_max: int
    low_label: str
    high_label: str
    max_length: int


class SurveyOut(Schema):
    slug: str
    title: str
    summary: str
    status: str
    currency: str
    reward_mode: str
    reward: int
    award: int
    max_responses: int
    responses_count: int
    ends_at: datetime
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, Any]


class ResponseOut(Schema):
    id: int
    answers: dict[str, Any]
    created_at: datetime
    rewarded: bool
    reward: int
    currency: str
    code: str = ""
    awarded: bool


class CodesIn(Schema):
    codes: str = Field(..., max_length=1_000_000, description="one code per line")


class CodesOut(Schema):
    added: int
    left: int


class AwardIn(Schema):
    response: int = Field(..., ge=1, le=2**63 - 1)


class OptionOut(Schema):
    option: str
    count: int
    percent: float


class QuestionResultOut(Schema):
    id: int
    prompt: str
    kind: str
    answered: int
    options: list[OptionOut]


class ResultsOut(Schema):
    responses: int
    max_responses: int
    questions: list[QuestionResultOut]
