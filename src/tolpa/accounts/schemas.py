from datetime import datetime

from ninja import Schema
from pydantic import Field

from tolpa.accounts.reputation import reputation_facts, reputation_score


class UserOut(Schema):
    id: int
    email: str
    display_name: str
    bio: str
    skills: list[str]
    languages: list[str]
    portfolio_links: list[str]
    country: str
    reputation: int
    email_verified_at: datetime | None
    preferred_language: str


class EmailTokenIn(Schema):
    token: str = Field(..., min_length=1, max_length=500)


class ReputationFactsOut(Schema):
    """What the score is built from, counted live; `score` may lead the stored `reputation`
    until the next periodic refresh."""

    ideas_accepted: int
    ideas_implemented: int
    votes_received: int
    contests_won: int
    contest_entries: int
    microtasks_approved: int
    gold_answered: int
    gold_correct: int
    gold_accuracy: float | None
    campaigns_backed: int
    surveys_answered: int
    score: int


class PublicUserOut(Schema):
    id: int
    display_name: str
    bio: str
    skills: list[str]
    languages: list[str]
    portfolio_links: list[str]
    country: str
    reputation: int
    reputation_facts: ReputationFactsOut

    @staticmethod
    def resolve_reputation_facts(obj) -> dict:
        facts = reputation_facts(obj)
        return {**facts.as_dict(), "score": reputation_score(facts)}


class ProfileIn(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    bio: str | None = Field(None, max_length=4000)
    skills: list[str] | None = Field(None, max_length=30)
    languages: list[str] | None = Field(None, max_length=10)
    portfolio_links: list[str] | None = Field(None, max_length=10)
    country: str | None = Field(None, max_length=2)
    preferred_language: str | None = Field(
        None, max_length=8, description="en, ru or vi; an empty string goes back to the default"
    )


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    website: str
    role: str | None = None


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=4000)
    website: str = Field("", max_length=200)


class MemberOut(Schema):
    user_id: int
    display_name: str
    role: str


class InvitationIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    role: str = "manager"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str
