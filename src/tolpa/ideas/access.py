"""Who may see and manage a challenge. Internal challenges exist only for the brand's
members, accounts on an allowed email domain and assigned reviewers: to anyone else they
are not found, never forbidden, so their existence does not leak."""

from tolpa.accounts.models import User
from tolpa.campaigns.models import Status
from tolpa.ideas.models import Audience, Challenge

HIDDEN_STATUSES = (Status.DRAFT, Status.CANCELLED)


def is_manager(actor: User, challenge: Challenge) -> bool:
    return (
        actor.is_authenticated
        and challenge.campaign.organization.memberships.filter(user=actor).exists()
    )


def is_reviewer(actor: User, challenge: Challenge) -> bool:
    return actor.is_authenticated and challenge.reviewers.filter(user=actor).exists()


def email_domain(user: User) -> str:
    """The domain of the account's email once the person has confirmed the address; empty
    before, so nobody joins an internal challenge by signing up with a colleague's domain."""
    if user.email_verified_at is None or "@" not in user.email:
        return ""
    return user.email.rsplit("@", 1)[-1].lower()


def in_audience(actor: User, challenge: Challenge) -> bool:
    if challenge.audience == Audience.PUBLIC:
        return True
    if not actor.is_authenticated:
        return False
    return (
        email_domain(actor) in challenge.domains
        or is_manager(actor, challenge)
        or is_reviewer(actor, challenge)
    )


def can_view(actor: User, challenge: Challenge) -> bool:
    if challenge.campaign.status in HIDDEN_STATUSES:
        return is_manager(actor, challenge)
    return in_audience(actor, challenge)
