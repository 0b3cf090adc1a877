"""Discussion writes: post, reply, edit with history, report, hide and unhide with a
reason, appeal, and the notifications they cause (through `notify`, which honours each
person's preferences). No service deletes a comment: hiding
keeps the body and logs a public ModerationAction. Callers own the transaction."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.campaigns.models import Campaign
from tolpa.campaigns.registry import plugin_for
from tolpa.campaigns.selectors import item_check
from tolpa.community import selectors
from tolpa.community.mentions import mentioned_users
from tolpa.community.models import (
    APPEAL_MAX_LENGTH,
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ActionKind,
    Appeal,
    AppealStatus,
    Comment,
    CommentReport,
    CommentRevision,
    ModerationAction,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from tolpa.community.notify import Text, notify, preferences_of
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError

EXCERPT_CHARS = 120


def _text(value, *, field: str, max_length: int) -> str:
    """Stripped, non-empty and at most `max_length` characters, else InvalidInput on `field`."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        raise InvalidInput(fields={field: [_("This field is required.")]})
    if len(value) > max_length:
        raise InvalidInput(
            fields={
                field: [
                    _("Use at most %(limit)d characters (it has %(length)d).")
                    % {"limit": max_length, "length": len(value)}
                ]
            }
        )
    return value


def _require_login(actor: User) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in to take part in the discussion."))


def _require_moderator(actor: User, campaign: Campaign) -> None:
    if not selectors.is_moderator(actor=actor, campaign=campaign):
        raise PermissionDeniedError(_("Only the brand and site moderators can moderate comments."))


def _excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _notify(*, recipient: User, kind: str, text: Text, comment: Comment) -> None:
    notify(recipient, kind, text, comment.get_absolute_url(), campaign=comment.campaign_id)


def _log(*, comment: Comment, actor: User | None, action: str, reason: str = "") -> None:
    ModerationAction.objects.create(
        campaign=comment.campaign, comment=comment, actor=actor, action=action, reason=reason
    )


def _set_mentions(comment: Comment, *, already_notified: set[int]) -> None:
    """Store who the body mentions and notify the newly mentioned once."""
    users = mentioned_users(comment.body)
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.mentions.set(users)
    line = f"{comment.author.display_name}: {_excerpt(comment.body)}"
    for user in users:
        if user.pk in before or user.pk in already_notified or user.pk == comment.author_id:
            continue
        _notify(recipient=user, kind=NotificationKind.MENTION, text=line, comment=comment)


def comment_post(
    *,
    actor: User,
    campaign: Campaign,
    body: str,
    parent_id: int | None = None,
    item_number: int | None = None,
) -> Comment:
    """A comment on the campaign or, with `item_number`, on one of its ideas or entries; a
    reply when `parent_id` names a comment of the same thread (a reply joins its parent's
    thread, so the item may be left out)."""
    _require_login(actor)
    body = _text(body, field="body", max_length=BODY_MAX_LENGTH)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, campaign=campaign).first()
        if parent is None or item_number not in (None, parent.item_number):
            raise InvalidInput(fields={"parent_id": [_("That comment is not in this discussion.")]})
        item_number = parent.item_number
    if item_number is not None:
        item_check(actor=actor, campaign=campaign, number=item_number)
    comment = Comment.objects.create(
        campaign=campaign,
        item_number=item_number,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        author=actor,
        body=body,
        is_brand=selectors.is_brand_member(user=actor, campaign=campaign),
    )
    notified: set[int] = set()
    if parent is not None and parent.author_id != actor.pk:
        _notify(
            recipient=parent.author,
            kind=NotificationKind.REPLY,
            text=f"{actor.display_name}: {_excerpt(body)}",
            comment=comment,
        )
        notified.add(parent.author_id)
    if item_number is not None:
        notified |= _tell_item_audience(comment, actor=actor, skip=notified)
    _set_mentions(comment, already_notified=notified)
    return comment


def _tell_item_audience(comment: Comment, *, actor: User, skip: set[int]) -> set[int]:
    """The people the item's kind names for its comments (an idea's authors and followers,
    an entry's author and brand), except the writer and those told already."""
    plugin = plugin_for(comment.campaign.kind)
    if plugin is None or plugin.item_audience is None:
        return set()
    told = set()
    for person in plugin.item_audience(comment.campaign, comment.item_number):
        if person.pk == actor.pk or person.pk in skip or person.pk in told:
            continue
        _notify(
            recipient=person,
            kind=NotificationKind.ITEM_COMMENT,
            text=f"{actor.display_name}: {_excerpt(comment.body)}",
            comment=comment,
        )
        told.add(person.pk)
    return told


def comments_move(*, campaign: Campaign, from_item: int, to_item: int) -> list[int]:
    """Move one item's whole thread onto another item of the campaign (a merged duplicate
    idea); returns the ids moved so `comments_move_back` can undo it."""
    moved = Comment.objects.filter(campaign=campaign, item_number=from_item)
    ids = sorted(moved.values_list("pk", flat=True))
    Comment.objects.filter(pk__in=ids).update(item_number=to_item)
    return ids


def comments_move_back(*, campaign: Campaign, comment_ids: list[int], to_item: int) -> int:
    """Undo `comments_move`: the recorded comments and every reply written under them since
    go back, so no reply is left under a parent on another item."""
    ids = set(comment_ids)
    frontier = ids
    while frontier:
        replies = Comment.objects.filter(campaign=campaign, parent_id__in=frontier)
        frontier = set(replies.values_list("pk", flat=True)) - ids
        ids |= frontier
    return Comment.objects.filter(campaign=campaign, pk__in=ids).update(item_number=to_item)


def comment_edit(*, actor: User, comment_id: int, body: str) -> Comment:
    """Only the author edits, and only while the comment is shown; the old body is kept."""
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    if comment.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author can edit a comment."))
    if comment.is_hidden:
        raise ConflictError(_("A hidden comment cannot be edited; appeal instead."))
    body = _text(body, field="body", max_length=BODY_MAX_LENGTH)
    if body == comment.body:
        return comment
    CommentRevision.objects.create(
        comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at
    )
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _set_mentions(comment, already_notified=set())
    return comment


def _hide(comment: Comment, *, actor: User | None, reason: str) -> None:
    comment.is_hidden = True
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment.hidden_at = timezone.now()
    comment.save(
        update_fields=["is_hidden", "hidden_by", "hidden_reason", "hidden_at", "pending_reports"]
    )


def _unhide(comment: Comment) -> None:
    comment.is_hidden = False
    comment.pending_reports = 0
    comment.save(update_fields=["is_hidden", "pending_reports"])


def comment_hide(*, actor: User, comment_id: int, reason: str) -> Comment:
    """Hide with a public reason; the body stays stored and the author is told why."""
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    _require_moderator(actor, comment.campaign)
    reason = _text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    if comment.is_hidden and not comment.hidden_automatically:
        raise ConflictError(_("This comment is already hidden."))
    comment.pending_reports = 0
    _hide(comment, actor=actor, reason=reason)
    _log(comment=comment, actor=actor, action=ActionKind.HIDE, reason=reason)
    _notify(recipient=comment.author, kind=NotificationKind.HIDDEN, text=reason, comment=comment)
    return comment


def comment_unhide(*, actor: User, comment_id: int, reason: str) -> Comment:
    """Show a hidden comment again; a pending appeal is thereby granted."""
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    _require_moderator(actor, comment.campaign)
    reason = _text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    if not comment.is_hidden:
        raise ConflictError(_("This comment is not hidden."))
    _unhide(comment)
    Appeal.objects.filter(comment=comment, status=AppealStatus.PENDING).update(
        status=AppealStatus.ACCEPTED,
        decided_by=actor,
        decision_reason=reason,
        decided_at=timezone.now(),
    )
    _log(comment=comment, actor=actor, action=ActionKind.UNHIDE, reason=reason)
    return comment


def comment_report(*, actor: User, comment_id: int, reason: str) -> CommentReport:
    """One report per person and comment. Counting happens under the comment's row lock, so
    the threshold (TOLPA_COMMENT_REPORTS_TO_HIDE) hides a comment exactly once."""
    _require_login(actor)
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    if comment.author_id == actor.pk:
        raise PermissionDeniedError(_("You cannot report your own comment."))
    reason = _text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    already = _("You have already reported this comment.")
    if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
        raise ConflictError(already)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=actor, reason=reason)
    except IntegrityError as exc:
        raise ConflictError(already) from exc
    comment.pending_reports += 1
    if comment.is_hidden or comment.pending_reports < settings.TOLPA_COMMENT_REPORTS_TO_HIDE:
        comment.save(update_fields=["pending_reports"])
    else:
        _hide(comment, actor=None, reason="")
        _log(comment=comment, actor=None, action=ActionKind.AUTO_HIDE)
        _notify(
            recipient=comment.author,
            kind=NotificationKind.HIDDEN,
            text=lambda: _("Hidden automatically after several reports, pending review."),
            comment=comment,
        )
    return report


def appeal_create(*, actor: User, comment_id: int, text: str) -> Appeal:
    """The author of a hidden comment may appeal once."""
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    if comment.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author can appeal."))
    text = _text(text, field="text", max_length=APPEAL_MAX_LENGTH)
    if not comment.is_hidden:
        raise ConflictError(_("Only a hidden comment can be appealed."))
    already = _("You have already appealed this decision.")
    if Appeal.objects.filter(comment=comment).exists():
        raise ConflictError(already)
    try:
        with transaction.atomic():
            return Appeal.objects.create(comment=comment, text=text)
    except IntegrityError as exc:
        raise ConflictError(already) from exc


def appeal_decide(*, actor: User, comment_id: int, accept: bool, reason: str) -> Appeal:
    """Accepting shows the comment again; rejecting keeps it hidden. Both are logged."""
    comment = selectors.comment_access(actor=actor, id=comment_id, for_update=True)
    _require_moderator(actor, comment.campaign)
    reason = _text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    appeal = Appeal.objects.select_for_update().filter(comment=comment).first()
    if appeal is None:
        raise NotFoundError(_("This comment has no appeal."))
    if appeal.status != AppealStatus.PENDING:
        raise ConflictError(_("This appeal has already been decided."))
    appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    appeal.decided_by = actor
    appeal.decision_reason = reason
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
    if accept:
        _unhide(comment)
    _log(
        comment=comment,
        actor=actor,
        action=ActionKind.APPEAL_ACCEPT if accept else ActionKind.APPEAL_REJECT,
        reason=reason,
    )
    _notify(
        recipient=comment.author,
        kind=NotificationKind.APPEAL_ACCEPTED if accept else NotificationKind.APPEAL_REJECTED,
        text=reason,
        comment=comment,
    )
    return appeal


def notifications_mark_read(*, actor: User) -> int:
    """Mark every unread notification of `actor` read; returns how many."""
    _require_login(actor)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preferences_set(
    *, actor: User, choices: list[dict]
) -> dict[str, tuple[bool, bool]]:
    """Store `actor`'s channels for each named kind ({kind, in_app, email}); kinds not named
    keep their current choice. Nothing is stored if any kind is unknown or repeated."""
    _require_login(actor)
    errors, seen = [], set()
    for choice in choices:
        kind = choice["kind"]
        if kind not in NotificationKind.values:
            errors.append(_("Unknown notification kind: %(kind)s.") % {"kind": kind})
        elif kind in seen:
            errors.append(_("Notification kind %(kind)s is listed twice.") % {"kind": kind})
        seen.add(kind)
    if errors:
        raise InvalidInput(fields={"preferences": errors})
    for choice in choices:
        NotificationPreference.objects.update_or_create(
            user=actor,
            kind=choice["kind"],
            defaults={"in_app": choice["in_app"], "email": choice["email"]},
        )
    return preferences_of(actor)
