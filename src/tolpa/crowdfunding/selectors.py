"""Reads for crowdfunding pages and the API: access, progress, charts, backers, spending."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from tolpa.accounts.models import User
from tolpa.campaigns.selectors import campaign_access
from tolpa.crowdfunding.models import Audience, Pledge, PledgeStatus, Project, ProjectUpdate
from tolpa.errors import NotFoundError
from tolpa.ledger import selectors as ledger_selectors
from tolpa.web.daily import DayCount, count_per_day

COUNTED = (PledgeStatus.ACTIVE, PledgeStatus.CHARGED)


def project_access(*, actor: User, slug: str) -> Project:
    """The project of a campaign the actor may see (drafts only for its brand)."""
    campaign = campaign_access(actor=actor, slug=slug)
    project = (
        Project.objects.select_related("campaign__organization").filter(campaign=campaign).first()
    )
    if project is None:
        raise NotFoundError()
    return project


def is_manager(*, actor: User, project: Project) -> bool:
    return (
        actor.is_authenticated
        and project.campaign.organization.memberships.filter(user=actor).exists()
    )


def pledge_of(*, actor: User, project: Project) -> Pledge | None:
    if not actor.is_authenticated:
        return None
    return (
        project.pledges.filter(backer=actor)
        .exclude(status=PledgeStatus.CANCELLED)
        .order_by("-pk")
        .first()
    )


def backers_public(*, project: Project) -> QuerySet[Pledge]:
    return (
        project.pledges.filter(status__in=COUNTED).select_related("backer").order_by("-created_at")
    )


def updates_visible(*, actor: User, project: Project) -> QuerySet[ProjectUpdate]:
    updates = project.updates.select_related("author")
    if is_manager(actor=actor, project=project):
        return updates
    if actor.is_authenticated and project.pledges.filter(backer=actor, status__in=COUNTED).exists():
        return updates
    return updates.filter(audience=Audience.PUBLIC)


@dataclass(frozen=True)
class ChartPoint:
    day: date
    value: int


def funding_over_time(*, project: Project) -> list[ChartPoint]:
    """Cumulative money held per day, from the escrow's postings (exact, including refunds)."""
    total, points = 0, []
    for day, net in ledger_selectors.escrow_daily_net(
        reference=project.escrow_reference, currency=project.currency
    ):
        total += net
        points.append(ChartPoint(day, total))
    return points


def pledges_per_day(*, project: Project) -> list[DayCount]:
    return count_per_day(project.pledges.all(), "created_at")


def tier_breakdown(*, project: Project) -> list[dict]:
    counted = Q(pledges__status__in=COUNTED)
    tiers = project.tiers.annotate(
        backers=Count("pledges", filter=counted), total=Sum("pledges__amount", filter=counted)
    )
    rows = [
        {"title": t.title, "backers": t.backers, "total": t.total or 0, "remaining": t.remaining}
        for t in tiers
    ]
    no_reward = project.pledges.filter(status__in=COUNTED, tier__isnull=True).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    rows.append(
        {
            "title": None,
            "backers": no_reward["n"],
            "total": no_reward["total"] or 0,
            "remaining": None,
        }
    )
    return rows


def spending_summary(*, project: Project) -> list[dict]:
    categories = project.spending_plan.annotate(spent=Sum("entries__amount"))
    return [{"category": c, "planned": c.planned, "spent": c.spent or 0} for c in categories]


def settlement_report(*, project: Project) -> QuerySet[Pledge]:
    return project.pledges.select_related("backer", "tier").order_by("pk")
