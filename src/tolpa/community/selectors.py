"""Reads for discussion: who may moderate, access-checked fetches, the thread as shown to
one person, the moderation log and notifications."""

from dataclasses import dataclass

from django.db.models import QuerySet

from tolpa.accounts.models import User
from tolpa.campaigns.models import Campaign
from tolpa.campaigns.selectors import campaign_visible, item_check
from tolpa.community.mentions import link_mentions
from tolpa.community.models import Appeal, Comment, ModerationAction, Notification
from tolpa.errors import NotFoundError
from tolpa.web.markdown import render_markdown

MAX_DISPLAY_DEPTH = 3  # levels 0..3: four levels; deeper replies show flattened at the last


def is_moderator(*, actor: User, campaign: Campaign) -> bool:
    """Members of the campaign's brand and site staff moderate its discussion."""
    if not actor.is_authenticated:
        return False
    return actor.is_staff or campaign.organization.memberships.filter(user=actor).exists()


def is_brand_member(*, user: User, campaign: Campaign) -> bool:
    return campaign.organization.memberships.filter(user=user).exists()


def comment_access(*, actor: User, id: int, for_update: bool = False) -> Comment:
    """A comment on a campaign (and item) the actor may see; `for_update` locks its row."""
    queryset = Comment.objects.select_related("campaign__organization", "author")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    comment = queryset.filter(pk=id).first()
    if comment is None:
        raise NotFoundError()
    if not campaign_visible(actor=actor, campaign=comment.campaign):
        raise NotFoundError()
    if comment.item_number is not None:
        item_check(actor=actor, campaign=comment.campaign, number=comment.item_number)
    return comment


def comment_html(comment: Comment) -> str:
    """The body as safe HTML with mentions linked; `mentions` should be prefetched."""
    return link_mentions(render_markdown(comment.body), comment.mentions.all())


def body_visible(*, actor: User, comment: Comment, moderator: bool) -> bool:
    """Everyone reads a visible comment; a hidden one only its author and moderators."""
    return not comment.is_hidden or moderator or comment.author_id == actor.pk


@dataclass
class ThreadItem:
    comment: Comment
    depth: int
    reply_to: Comment | None  # set when the reply is deeper than shown and so flattened
    html: str | None
    appeal: Appeal | None
    revisions: list
    can_edit: bool
    can_report: bool
    can_appeal: bool


def _ordered(comments: list[Comment]):
    """Depth-first: each comment followed by its replies, oldest first."""
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    stack = list(reversed(children.get(None, [])))
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(reversed(children.get(comment.pk, [])))


def thread(*, actor: User, campaign: Campaign, item_number: int | None = None) -> dict:
    """A campaign's (or one item's) comments in reading order, with what `actor` may see
    and do on each. A fixed number of queries whatever the thread's size."""
    comments = list(comment_list(campaign=campaign, item_number=item_number))
    by_id = {c.pk: c for c in comments}
    moderator = is_moderator(actor=actor, campaign=campaign)
    reported = (
        set(
            actor.comment_reports.filter(comment__campaign=campaign).values_list(
                "comment_id", flat=True
            )
        )
        if actor.is_authenticated and comments
        else set()
    )
    items = []
    for comment in _ordered(comments):
        mine = actor.is_authenticated and comment.author_id == actor.pk
        visible = body_visible(actor=actor, comment=comment, moderator=moderator)
        items.append(
            ThreadItem(
                comment=comment,
                depth=min(comment.depth, MAX_DISPLAY_DEPTH),
                reply_to=by_id.get(comment.parent_id)
                if comment.depth > MAX_DISPLAY_DEPTH
                else None,
                html=comment_html(comment) if visible else None,
                appeal=getattr(comment, "appeal", None),
                revisions=list(comment.revisions.all()) if visible else [],
                can_edit=mine and not comment.is_hidden,
                can_report=actor.is_authenticated and not mine and comment.pk not in reported,
                can_appeal=mine and comment.is_hidden and getattr(comment, "appeal", None) is None,
            )
        )
    return {"items": items, "is_moderator": moderator, "count": len(comments)}


def comment_list(*, campaign: Campaign | None, item_number: int | None = None) -> QuerySet[Comment]:
    """One thread: the campaign's own, or with `item_number` that item's; every comment
    when `campaign` is None."""
    queryset = Comment.objects.select_related("author", "appeal").prefetch_related(
        "revisions", "mentions"
    )
    if campaign is None:
        return queryset
    return queryset.filter(campaign=campaign, item_number=item_number)


def comment_get(*, id: int) -> Comment:
    """One comment with what its display needs; callers have checked access already."""
    return comment_list(campaign=None).select_related("campaign__organization").get(pk=id)


def moderation_log(*, campaign: Campaign) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(campaign=campaign).select_related(
        "actor", "comment__campaign"
    )


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor)


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
