"""API shapes. Text fields are checked by the services (stripped, required, capped), so
their errors name the field the same way on every route."""

from datetime import datetime

from ninja import Field, Schema


class CommentIn(Schema):
    body: str
    parent_id: int | None = None
    item_number: int | None = None


class CommentEditIn(Schema):
    body: str


class ReasonIn(Schema):
    reason: str


class AppealIn(Schema):
    text: str


class DecisionIn(Schema):
    accept: bool
    reason: str


class AuthorOut(Schema):
    id: int
    display_name: str


class RevisionOut(Schema):
    body: str
    written_at: datetime
    replaced_at: datetime


class CommentOut(Schema):
    id: int
    item_number: int | None
    parent_id: int | None
    depth: int
    author: AuthorOut
    is_brand: bool
    hidden: bool
    hidden_reason: str
    hidden_automatically: bool
    body: str | None
    body_html: str | None
    created_at: datetime
    edited_at: datetime | None
    revisions: list[RevisionOut]
    appeal_status: str | None


class ReportOut(Schema):
    id: int
    comment_id: int
    created_at: datetime


class AppealOut(Schema):
    comment_id: int
    status: str
    decision_reason: str
    created_at: datetime
    decided_at: datetime | None


class ActionOut(Schema):
    id: int
    comment_id: int
    action: str
    actor: AuthorOut | None
    reason: str
    created_at: datetime


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    count: int
    read_at: datetime | None
    created_at: datetime


class MarkedOut(Schema):
    marked: int


class PreferenceIn(Schema):
    kind: str = Field(max_length=32)
    in_app: bool
    email: bool


class PreferencesIn(Schema):
    preferences: list[PreferenceIn] = Field(max_length=50)


class PreferenceOut(Schema):
    kind: str
    label: str
    in_app: bool
    email: bool
