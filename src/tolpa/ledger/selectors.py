"""Reads for wallets and statements, with the access rules of who may see which account."""

from datetime import date

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from tolpa.accounts.models import Membership, Organization, Role, User
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.ledger import services
from tolpa.ledger.models import Account, Posting, TransferKind


def wallet_access(
    *,
    actor: User,
    currency: str,
    organization: Organization | None = None,
    for_withdrawal: bool = False,
) -> Account:
    """The actor's own wallet, or a brand wallet the actor may see (members) or pay out of (owners)."""
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    if organization is None:
        return services.account_for_user(user=actor, currency=currency)
    membership = Membership.objects.filter(organization=organization, user=actor).first()
    if membership is None:
        raise NotFoundError()
    if for_withdrawal and membership.role != Role.OWNER:
        raise PermissionDeniedError(_("Only the brand's owners can withdraw its money."))
    return services.account_for_organization(organization=organization, currency=currency)


def wallet_balances(
    *, user: User | None = None, organization: Organization | None = None
) -> QuerySet[Account]:
    accounts = (
        Account.objects.filter(user=user)
        if user
        else Account.objects.filter(organization=organization)
    )
    return accounts.order_by("currency")


def statement(
    *, account: Account, kind: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[Posting]:
    postings = Posting.objects.filter(account=account).select_related("transfer")
    if kind:
        postings = postings.filter(transfer__kind=kind)
    if since:
        postings = postings.filter(created_at__date__gte=since)
    if until:
        postings = postings.filter(created_at__date__lte=until)
    return postings.order_by("-created_at", "-pk")


def escrow_balance(*, reference: str, currency: str) -> int:
    return services.account_escrow(reference=reference, currency=currency).balance


def escrow_daily_net(*, reference: str, currency: str) -> list[tuple[date, int]]:
    """Net money pledged into an escrow per day (holds less refunds; payouts to the creator
    are not counted, so a funded campaign's chart ends at what it raised)."""
    account = services.account_escrow(reference=reference, currency=currency)
    rows = (
        Posting.objects.filter(
            account=account, transfer__kind__in=(TransferKind.HOLD, TransferKind.REFUND)
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(total=Sum("amount"))
        .order_by("day")
    )
    return [(row["day"], row["total"]) for row in rows]
