"""Challenge and idea reads, each checking visibility first (internal challenges and drafts
are 404 to everyone outside them)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.ideas.access import HIDDEN_STATUSES, can_view, is_manager
from tolpa.ideas.models import (
    Audience,
    Challenge,
    CoauthorInvite,
    Follow,
    Idea,
    Merge,
    Reviewer,
    StatusChange,
    Vote,
)


def challenge_access(*, actor: User, slug: str) -> Challenge:
    challenge = (
        Challenge.objects.select_related("campaign__organization")
        .filter(campaign__slug=slug)
        .first()
    )
    if challenge is None or not can_view(actor, challenge):
        raise NotFoundError()
    return challenge


def challenge_managed(*, actor: User, slug: str) -> Challenge:
    challenge = challenge_access(actor=actor, slug=slug)
    if not is_manager(actor, challenge):
        raise PermissionDeniedError()
    return challenge


def challenge_reviewed(*, actor: User, slug: str) -> tuple[Challenge, Reviewer]:
    challenge = challenge_access(actor=actor, slug=slug)
    reviewer = challenge.reviewers.filter(user=actor).first() if actor.is_authenticated else None
    if reviewer is None:
        raise PermissionDeniedError(_("You are not a reviewer of this challenge."))
    return challenge, reviewer


def challenges_visible(*, actor: User) -> QuerySet[Challenge]:
    """Launched public challenges, plus internal ones the actor belongs to."""
    queryset = Challenge.objects.select_related("campaign__organization").exclude(
        campaign__status__in=HIDDEN_STATUSES
    )
    audience = Q(audience=Audience.PUBLIC)
    if actor.is_authenticated:
        domain = actor.email.rsplit("@", 1)[-1].lower()
        audience |= (
            Q(campaign__organization__memberships__user=actor)
            | Q(reviewers__user=actor)
            | Q(allowed_domains__icontains=f",{domain},")
        )
    return queryset.filter(audience).distinct().order_by("-campaign__starts_at", "-pk")


def challenges_of_brand(*, actor: User) -> QuerySet[Challenge]:
    if not actor.is_authenticated:
        return Challenge.objects.none()
    return Challenge.objects.select_related("campaign").filter(
        campaign__organization__memberships__user=actor,
        campaign__status__in=HIDDEN_STATUSES,
    )


def ideas_listed(*, challenge: Challenge, q: str = "", tag: str = "") -> QuerySet[Idea]:
    """Ideas shown in lists: merged ones redirect to their target, so they are left out."""
    queryset = (
        challenge.ideas.filter(merged_into__isnull=True)
        .select_related("author")
        .prefetch_related("tags")
    )
    if q:
        for word in q.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if tag:
        queryset = queryset.filter(tags__name=tag)
    return queryset


def idea_access(*, actor: User, challenge: Challenge, number: int) -> Idea:
    idea = challenge.ideas.select_related("author", "merged_into").filter(number=number).first()
    if idea is None:
        raise NotFoundError()
    return idea


def voted_ids(*, actor: User, challenge: Challenge) -> set[int]:
    if not actor.is_authenticated:
        return set()
    return set(
        Vote.objects.filter(idea__challenge=challenge, voter=actor).values_list(
            "idea_id", flat=True
        )
    )


def is_following(*, actor: User, idea: Idea) -> bool:
    return actor.is_authenticated and Follow.objects.filter(idea=idea, user=actor).exists()


def coauthors(*, idea: Idea) -> list[User]:
    invites = idea.coauthor_invites.filter(accepted_at__isnull=False).select_related("user")
    return [invite.user for invite in invites]


def invite_for(*, actor: User, idea: Idea) -> CoauthorInvite | None:
    """A pending co-author invitation addressed to the actor's email."""
    if not actor.is_authenticated:
        return None
    return idea.coauthor_invites.filter(email__iexact=actor.email, accepted_at__isnull=True).first()


def is_author(actor: User, idea: Idea) -> bool:
    if not actor.is_authenticated:
        return False
    return (
        idea.author_id == actor.pk
        or idea.coauthor_invites.filter(user=actor, accepted_at__isnull=False).exists()
    )


def status_history(*, idea: Idea) -> QuerySet[StatusChange]:
    return idea.status_changes.select_related("actor")


def merge_log(*, challenge: Challenge) -> QuerySet[Merge]:
    return Merge.objects.filter(source__challenge=challenge).select_related(
        "source", "target", "merged_by", "unmerged_by"
    )
