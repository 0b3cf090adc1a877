"""Reads for accounts and brands."""

from django.db.models import QuerySet

from tolpa.accounts.models import Membership, Organization, User
from tolpa.errors import NotFoundError


def organization_list_for_user(*, user: User) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def organization_access(
    *, actor: User, slug: str | None = None, id: int | None = None
) -> Organization:
    """A brand the actor belongs to; a stranger gets 404 so private brands do not leak."""
    lookup = {"slug": slug} if slug is not None else {"pk": id}
    organization = organization_list_for_user(user=actor).filter(**lookup).first()
    if organization is None:
        raise NotFoundError()
    return organization


def membership_get(*, user: User, organization: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organization=organization).first()


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__display_name")


def active_organization_for(*, user: User, session) -> Organization | None:
    """The brand the user acts for: the one chosen in the session, else their first."""
    organizations = organization_list_for_user(user=user)
    chosen = session.get("active_organization_id")
    if chosen is not None:
        organization = organizations.filter(pk=chosen).first()
        if organization is not None:
            return organization
    return organizations.first()
