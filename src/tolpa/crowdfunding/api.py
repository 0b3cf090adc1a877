from django.db import transaction
from ninja import Router, Status

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.crowdfunding import selectors, services
from tolpa.crowdfunding.schemas import (
    PledgeIn,
    PledgeOut,
    ProjectIn,
    ProjectOut,
    SpendingIn,
    SpendingOut,
    StatsOut,
    TierIn,
    TierOut,
    UpdateEditIn,
    UpdateIn,
    UpdateOut,
)
from tolpa.errors import NotFoundError, PermissionDeniedError

router = Router(tags=["crowdfunding"])


def _managed(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    if not selectors.is_manager(actor=request.user, project=project):
        raise PermissionDeniedError()
    return project


@router.post("", response={201: ProjectOut})
def project_create(request, payload: ProjectIn):
    """Create a draft campaign for one of your brands (duration 1–60 days, counted from launch)."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    with transaction.atomic():
        project = services.project_create(
            actor=request.user,
            organization=organization,
            **payload.dict(exclude={"organization_id"}),
        )
    return Status(201, project)


@router.get("/{slug}", response=ProjectOut, auth=optional_auth)
def project_detail(request, slug: str):
    return selectors.project_access(actor=request.user, slug=slug)


@router.post("/{slug}/tiers", response={201: TierOut})
def tier_create(request, slug: str, payload: TierIn):
    project = _managed(request, slug)
    with transaction.atomic():
        return Status(
            201, services.tier_create(actor=request.user, project=project, **payload.dict())
        )


@router.post("/{slug}/launch", response=ProjectOut)
def project_launch(request, slug: str):
    project = _managed(request, slug)
    with transaction.atomic():
        return services.project_launch(actor=request.user, project=project)


@router.put("/{slug}/pledge", response=PledgeOut)
def pledge_set(request, slug: str, payload: PledgeIn):
    """Pledge or change your pledge; the amount is held in escrow until the deadline."""
    project = selectors.project_access(actor=request.user, slug=slug)
    with transaction.atomic():
        return services.pledge_set(actor=request.user, project=project, **payload.dict())


@router.delete("/{slug}/pledge", response=PledgeOut)
def pledge_cancel(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    with transaction.atomic():
        return services.pledge_cancel(actor=request.user, project=project)


@router.get("/{slug}/updates", response=list[UpdateOut], auth=optional_auth)
def update_list(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    return list(selectors.updates_visible(actor=request.user, project=project))


@router.post("/{slug}/updates", response={201: UpdateOut})
def update_post(request, slug: str, payload: UpdateIn):
    project = _managed(request, slug)
    with transaction.atomic():
        return Status(
            201, services.update_post(actor=request.user, project=project, **payload.dict())
        )


@router.patch("/{slug}/updates/{update_id}", response=UpdateOut)
def update_edit(request, slug: str, update_id: int, payload: UpdateEditIn):
    project = _managed(request, slug)
    update = project.updates.filter(pk=update_id).first()
    if update is None:
        raise NotFoundError()
    with transaction.atomic():
        return services.update_edit(actor=request.user, update=update, **payload.dict())


@router.get("/{slug}/spending", response=list[SpendingOut], auth=optional_auth)
def spending_list(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    return [
        SpendingOut(category=row["category"].name, planned=row["planned"], spent=row["spent"])
        for row in selectors.spending_summary(project=project)
    ]


@router.post("/{slug}/spending", response={201: SpendingOut})
def spending_record(request, slug: str, payload: SpendingIn):
    project = _managed(request, slug)
    with transaction.atomic():
        entry = services.spending_record(actor=request.user, project=project, **payload.dict())
    return Status(
        201,
        SpendingOut(
            category=entry.category.name, planned=entry.category.planned, spent=entry.amount
        ),
    )


@router.get("/{slug}/stats", response=StatsOut, auth=optional_auth)
def stats(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    return StatsOut(
        raised=project.raised, goal=project.goal, backers=project.backers_count,
        funding_over_time=[{"day": p.day, "value": p.value} for p in selectors.funding_over_time(project=project)],
        pledges_per_day=[{"day": p.day, "value": p.value} for p in selectors.pledges_per_day(project=project)],
    )  # fmt: skip
