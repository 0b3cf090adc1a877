from datetime import datetime

from ninja import Schema
from pydantic import Field


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


class PublicUserOut(Schema):
    id: int
    display_name: str
    bio: str
    skills: list[str]
    languages: list[str]
    portfolio_links: list[str]
    country: str
    reputation: int


class ProfileIn(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    bio: str | None = Field(None, max_length=4000)
    skills: list[str] | None = Field(None, max_length=30)
    languages: list[str] | None = Field(None, max_length=10)
    portfolio_links: list[str] | None = Field(None, max_length=10)
    country: str | None = Field(None, max_length=2)


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
