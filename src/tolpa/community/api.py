"""/api/v1/community: a campaign's discussion, moderation and the caller's notifications."""

from django.db import transaction
from ninja import Router, Status

from tolpa.api_auth import optional_auth
from tolpa.campaigns.selectors import campaign_access, item_check
from tolpa.community import selectors, services
from tolpa.community.models import Comment, NotificationKind
from tolpa.community.notify import preferences_of
from tolpa.community.schemas import (
    ActionOut,
    AppealIn,
    AppealOut,
    CommentEditIn,
    CommentIn,
    CommentOut,
    DecisionIn,
    MarkedOut,
    NotificationOut,
    PreferenceOut,
    PreferencesIn,
    ReasonIn,
    ReportOut,
)

router = Router(tags=["community"])


def _out(comment: Comment, *, actor, moderator: bool) -> CommentOut:
    """A hidden comment shows its reason; its body only to its author and moderators."""
    visible = selectors.body_visible(actor=actor, comment=comment, moderator=moderator)
    appeal = getattr(comment, "appeal", None)
    return CommentOut(
        id=comment.pk, item_number=comment.item_number, parent_id=comment.parent_id,
        depth=comment.depth,
        author={"id": comment.author_id, "display_name": comment.author.display_name},
        is_brand=comment.is_brand, hidden=comment.is_hidden, hidden_reason=comment.hidden_reason,
        hidden_automatically=comment.hidden_automatically,
        body=comment.body if visible else None,
        body_html=selectors.comment_html(comment) if visible else None,
        created_at=comment.created_at, edited_at=comment.edited_at,
        revisions=[
            {"body": r.body, "written_at": r.written_at, "replaced_at": r.replaced_at}
            for r in comment.revisions.all()
        ] if visible else [],
        appeal_status=appeal.status if appeal else None,
    )  # fmt: skip


def _one(request, comment_id: int) -> CommentOut:
    comment = selectors.comment_get(id=comment_id)
    moderator = selectors.is_moderator(actor=request.user, campaign=comment.campaign)
    return _out(comment, actor=request.user, moderator=moderator)


@router.get("/campaigns/{slug}/comments", response=list[CommentOut], auth=optional_auth)
def comment_list(request, slug: str, item_number: int | None = None):
    """One thread, oldest first: the campaign's own, or with `item_number` that idea's or
    entry's (404 if you may not see it). Hidden comments show the reason, not the body."""
    campaign = campaign_access(actor=request.user, slug=slug)
    if item_number is not None:
        item_check(actor=request.user, campaign=campaign, number=item_number)
    moderator = selectors.is_moderator(actor=request.user, campaign=campaign)
    return [
        _out(c, actor=request.user, moderator=moderator)
        for c in selectors.comment_list(campaign=campaign, item_number=item_number)
    ]


@router.post("/campaigns/{slug}/comments", response={201: CommentOut})
def comment_post(request, slug: str, payload: CommentIn):
    """Post a comment (on an idea or entry with `item_number`), or a reply with `parent_id`;
    Markdown, at most 10,000 characters."""
    campaign = campaign_access(actor=request.user, slug=slug)
    with transaction.atomic():
        comment = services.comment_post(actor=request.user, campaign=campaign, **payload.dict())
    return Status(201, _one(request, comment.pk))


@router.patch("/comments/{comment_id}", response=CommentOut)
def comment_edit(request, comment_id: int, payload: CommentEditIn):
    """Edit your own comment; the previous body is kept as a revision."""
    with transaction.atomic():
        services.comment_edit(actor=request.user, comment_id=comment_id, body=payload.body)
    return _one(request, comment_id)


@router.post("/comments/{comment_id}/report", response={201: ReportOut})
def comment_report(request, comment_id: int, payload: ReasonIn):
    """Report once; enough reports hide the comment until a moderator reviews it."""
    with transaction.atomic():
        report = services.comment_report(
            actor=request.user, comment_id=comment_id, reason=payload.reason
        )
    return Status(201, report)


@router.post("/comments/{comment_id}/hide", response=CommentOut)
def comment_hide(request, comment_id: int, payload: ReasonIn):
    """Moderators: hide with a public reason (required)."""
    with transaction.atomic():
        services.comment_hide(actor=request.user, comment_id=comment_id, reason=payload.reason)
    return _one(request, comment_id)


@router.post("/comments/{comment_id}/unhide", response=CommentOut)
def comment_unhide(request, comment_id: int, payload: ReasonIn):
    """Moderators: show a hidden comment again, with a public reason (required)."""
    with transaction.atomic():
        services.comment_unhide(actor=request.user, comment_id=comment_id, reason=payload.reason)
    return _one(request, comment_id)


@router.post("/comments/{comment_id}/appeal", response={201: AppealOut})
def appeal_create(request, comment_id: int, payload: AppealIn):
    """The author of a hidden comment appeals, once."""
    with transaction.atomic():
        appeal = services.appeal_create(
            actor=request.user, comment_id=comment_id, text=payload.text
        )
    return Status(201, appeal)


@router.post("/comments/{comment_id}/appeal/decision", response=AppealOut)
def appeal_decide(request, comment_id: int, payload: DecisionIn):
    """Moderators: accept (show again) or reject (keep hidden) an appeal, with a reason."""
    with transaction.atomic():
        return services.appeal_decide(actor=request.user, comment_id=comment_id, **payload.dict())


@router.get("/campaigns/{slug}/moderation-log", response=list[ActionOut], auth=optional_auth)
def moderation_log(request, slug: str):
    """The public log: every hide, unhide, automatic hide and appeal decision, newest first."""
    campaign = campaign_access(actor=request.user, slug=slug)
    return list(selectors.moderation_log(campaign=campaign)[:500])


@router.get("/notifications", response=list[NotificationOut])
def notification_list(request):
    return list(selectors.notification_list(actor=request.user)[:100])


@router.post("/notifications/read", response=MarkedOut)
def notifications_read(request):
    with transaction.atomic():
        return MarkedOut(marked=services.notifications_mark_read(actor=request.user))


def _preferences_out(choices: dict[str, tuple[bool, bool]]) -> list[PreferenceOut]:
    return [
        PreferenceOut(
            kind=kind, label=str(NotificationKind(kind).label), in_app=in_app, email=email
        )
        for kind, (in_app, email) in choices.items()
    ]


@router.get("/notifications/preferences", response=list[PreferenceOut])
def preferences_get(request):
    """Every notification kind with the channels it reaches you on (site, email)."""
    return _preferences_out(preferences_of(request.user))


@router.put("/notifications/preferences", response=list[PreferenceOut])
def preferences_put(request, payload: PreferencesIn):
    """Set the channels of the kinds listed; kinds not listed keep their setting."""
    with transaction.atomic():
        choices = services.notification_preferences_set(
            actor=request.user, choices=[p.dict() for p in payload.preferences]
        )
    return _preferences_out(choices)
