"""Tender reads, each deciding who may see what: a published tender is public; a proposal
and its thread only to its author and the tender's brand (anyone else gets 404, as if it did
not exist); a contract to its two sides and to operators."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from tolpa.accounts.models import Organization, User
from tolpa.campaigns.models import Status
from tolpa.campaigns.selectors import campaign_visible
from tolpa.errors import InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.marketplace.models import (
    HELD_STATUSES,
    Contract,
    Dispute,
    Milestone,
    Proposal,
    ProposalStatus,
    Review,
    ReviewSide,
    Tender,
)
from tolpa.marketplace.services import is_brand_member, is_operator


class TenderStatusFilter:
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"
    VALUES = (OPEN, CLOSED, ALL)


@dataclass(frozen=True)
class TenderFilters:
    q: str = ""
    skill: str = ""
    currency: str = ""
    budget_min: int | None = None  # minor units: tenders whose budget reaches this
    budget_max: int | None = None  # minor units: tenders whose budget starts at most here
    status: str = TenderStatusFilter.OPEN

    @classmethod
    def from_params(cls, params) -> "TenderFilters":
        """Unknown or malformed values are ignored rather than failing the page."""
        currency = (params.get("currency") or "").upper()
        currency = currency if currency in CURRENCIES else ""
        status = params.get("status") or TenderStatusFilter.OPEN
        return cls(
            q=(params.get("q") or "").strip()[:200],
            skill=(params.get("skill") or "").strip().lower()[:40],
            currency=currency,
            budget_min=_major(params.get("budget_min"), currency),
            budget_max=_major(params.get("budget_max"), currency),
            status=status if status in TenderStatusFilter.VALUES else TenderStatusFilter.OPEN,
        )


def _major(text, currency: str) -> int | None:
    if not text:
        return None
    try:
        return Money.parse(str(text)[:30], currency or "USD").amount
    except InvalidInput:  # a filter that does not parse is ignored
        return None


def _visible_tenders() -> QuerySet[Tender]:
    return Tender.objects.filter(
        campaign__status__in=(Status.LIVE, Status.CLOSED, Status.SETTLED)
    ).select_related("campaign__organization")


def tenders_search(*, filters: TenderFilters) -> QuerySet[Tender]:
    now = timezone.now()
    queryset = _visible_tenders()
    is_open = Q(campaign__status=Status.LIVE, campaign__ends_at__gt=now)
    if filters.status == TenderStatusFilter.OPEN:
        queryset = queryset.filter(is_open)
    elif filters.status == TenderStatusFilter.CLOSED:
        queryset = queryset.exclude(is_open)
    if filters.skill:
        queryset = queryset.filter(campaign__tags__name=filters.skill)
    if filters.currency:
        queryset = queryset.filter(currency=filters.currency)
    if filters.budget_min is not None:
        queryset = queryset.filter(budget_max__gte=filters.budget_min)
    if filters.budget_max is not None:
        queryset = queryset.filter(budget_min__lte=filters.budget_max)
    for word in filters.q.split()[:8]:
        queryset = queryset.filter(
            Q(campaign__title__icontains=word)
            | Q(campaign__summary__icontains=word)
            | Q(campaign__description__icontains=word)
        )
    return (
        queryset.prefetch_related("campaign__tags").distinct().order_by("campaign__ends_at", "pk")
    )


def tender_access(*, actor: User, slug: str) -> Tender:
    tender = (
        Tender.objects.select_related("campaign__organization")
        .prefetch_related("campaign__tags", "attachments")
        .filter(campaign__slug=slug)
        .first()
    )
    if tender is None or not campaign_visible(actor=actor, campaign=tender.campaign):
        raise NotFoundError()
    return tender


def tender_manage(*, actor: User, slug: str) -> Tender:
    tender = tender_access(actor=actor, slug=slug)
    if not is_brand_member(actor, tender.campaign.organization_id):
        raise PermissionDeniedError()
    return tender


def _proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("freelancer", "tender__campaign__organization")


def proposal_access(*, actor: User, id: int) -> Proposal:
    """A proposal for its author or the tender's brand; 404 to anyone else."""
    proposal = _proposals().filter(pk=id).first()
    if proposal is None or not proposal_visible(actor, proposal):
        raise NotFoundError()
    return proposal


def proposal_visible(actor: User, proposal: Proposal) -> bool:
    if not actor.is_authenticated:
        return False
    return actor.pk == proposal.freelancer_id or is_brand_member(
        actor, proposal.tender.campaign.organization_id
    )


def proposals_for_brand(*, tender: Tender, shortlisted_only: bool = False) -> QuerySet[Proposal]:
    queryset = _proposals().filter(tender=tender).exclude(status=ProposalStatus.WITHDRAWN)
    if shortlisted_only:
        queryset = queryset.filter(shortlisted=True)
    return queryset.order_by("-shortlisted", "price", "pk")


def proposal_of(*, actor: User, tender: Tender) -> Proposal | None:
    if not actor.is_authenticated:
        return None
    return (
        _proposals()
        .filter(tender=tender, freelancer=actor)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .first()
    )


def proposals_of_freelancer(*, user: User) -> QuerySet[Proposal]:
    return _proposals().filter(freelancer=user).order_by("-pk")


def _contracts() -> QuerySet[Contract]:
    return Contract.objects.select_related(
        "freelancer", "organization", "tender__campaign", "proposal"
    )


def contract_visible(actor: User, contract: Contract) -> bool:
    if not actor.is_authenticated:
        return False
    return (
        actor.pk == contract.freelancer_id
        or is_brand_member(actor, contract.organization_id)
        or is_operator(actor)
    )


def contract_access(*, actor: User, id: int) -> Contract:
    contract = _contracts().filter(pk=id).first()
    if contract is None or not contract_visible(actor, contract):
        raise NotFoundError()
    return contract


def contract_of_proposal(proposal: Proposal) -> Contract | None:
    return _contracts().filter(proposal=proposal).first()


def milestone_access(*, actor: User, id: int) -> Milestone:
    milestone = Milestone.objects.filter(pk=id).first()
    if milestone is None:
        raise NotFoundError()
    milestone.contract = contract_access(actor=actor, id=milestone.contract_id)
    return milestone


def contracts_of(*, actor: User) -> QuerySet[Contract]:
    """Contracts the actor works on or whose brand they belong to."""
    if not actor.is_authenticated:
        return Contract.objects.none()
    return (
        _contracts()
        .filter(Q(freelancer=actor) | Q(organization__memberships__user=actor))
        .distinct()
    )


def contracts_of_freelancer(*, user: User) -> QuerySet[Contract]:
    return _contracts().filter(freelancer=user)


def contracts_of_brand(*, organization: Organization) -> QuerySet[Contract]:
    return _contracts().filter(organization=organization)


def deliveries_of(milestone: Milestone):
    return milestone.deliveries.order_by("pk")


def disputes_open() -> QuerySet[Dispute]:
    return Dispute.objects.filter(decided_at__isnull=True).select_related(
        "milestone__contract__tender__campaign", "milestone__contract__freelancer",
        "milestone__contract__organization", "opened_by",
    ).order_by("opened_at")  # fmt: skip


def disputes_decided() -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(decided_at__isnull=False)
        .select_related("milestone__contract__tender__campaign", "decided_by")
        .order_by("-decided_at")
    )


@dataclass
class MoneyLine:
    currency: str
    held: int = 0
    paid: int = 0  # gross released to freelancers
    fees: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.paid - self.fees


def _money_lines(milestones: QuerySet[Milestone]) -> list[MoneyLine]:
    lines: dict[str, MoneyLine] = defaultdict(lambda: MoneyLine(""))
    rows = milestones.values("contract__currency", "status").annotate(
        amount=Sum("amount"), paid=Sum("paid_amount"), fees=Sum("fee_amount"),
        refunded=Sum("refunded_amount"),
    )  # fmt: skip
    for row in rows:
        line = lines[row["contract__currency"]]
        line.currency = row["contract__currency"]
        if row["status"] in HELD_STATUSES:
            line.held += row["amount"]
        line.paid += row["paid"]
        line.fees += row["fees"]
        line.refunded += row["refunded"]
    return sorted(lines.values(), key=lambda line: line.currency)


def brand_spend(*, organization: Organization) -> list[MoneyLine]:
    """Per currency: held in escrow now, paid out (gross) and refunded."""
    return _money_lines(Milestone.objects.filter(contract__organization=organization))


def freelancer_earnings(*, user: User) -> list[MoneyLine]:
    """Per currency: paid to the freelancer (net is `paid - fees`) and still held for them."""
    return _money_lines(Milestone.objects.filter(contract__freelancer=user))


def brand_tenders(*, organization: Organization) -> QuerySet[Tender]:
    return (
        Tender.objects.filter(campaign__organization=organization)
        .select_related("campaign")
        .annotate(shortlisted=Count("proposals", filter=Q(proposals__shortlisted=True)))
        .order_by("-campaign__created_at")
    )


def reviews_of_freelancer(*, user: User) -> QuerySet[Review]:
    return Review.objects.filter(contract__freelancer=user, side=ReviewSide.BRAND).select_related(
        "contract__organization", "contract__tender__campaign"
    )


def reviews_of_brand(*, organization: Organization) -> QuerySet[Review]:
    return Review.objects.filter(
        contract__organization=organization, side=ReviewSide.FREELANCER
    ).select_related("author", "contract__tender__campaign")


def rating_of(reviews: QuerySet[Review]) -> tuple[float | None, int]:
    summary = reviews.aggregate(average=Avg("rating"), count=Count("pk"))
    average = summary["average"]
    return (round(average, 1) if average is not None else None), summary["count"]
