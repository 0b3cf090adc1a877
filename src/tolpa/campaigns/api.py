from django.db import transaction
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.campaigns import selectors, services
from tolpa.campaigns.registry import plugin_for
from tolpa.campaigns.schemas import CampaignDetailOut, CampaignIn, CampaignOut, DiscoveryQuery
from tolpa.campaigns.selectors import DiscoveryFilters
from tolpa.errors import InvalidInput

router = Router(tags=["campaigns"])


@router.get("", response=list[CampaignOut], auth=optional_auth)
@paginate(LimitOffsetPagination)
def campaign_list(request, filters: Query[DiscoveryQuery]):
    """Live campaigns of every kind; the same filters as the discovery page."""
    return selectors.campaign_list_discover(filters=DiscoveryFilters.from_params(filters.dict()))


@router.post("", response={201: CampaignDetailOut})
def campaign_create(request, payload: CampaignIn):
    """Create a draft campaign for one of your brands."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    if plugin_for(payload.kind) is not None:
        raise InvalidInput(
            fields={"kind": [f"Create {payload.kind} campaigns through /api/v1/{payload.kind}."]}
        )
    data = payload.dict(exclude={"organization_id"})
    with transaction.atomic():
        campaign = services.campaign_create(actor=request.user, organization=organization, **data)
    return Status(201, campaign)


@router.get("/{slug}", response=CampaignDetailOut, auth=optional_auth)
def campaign_detail(request, slug: str):
    return selectors.campaign_access(actor=request.user, slug=slug)


@router.post("/{slug}/launch", response=CampaignDetailOut)
def campaign_launch(request, slug: str):
    campaign = selectors.campaign_access(actor=request.user, slug=slug)
    with transaction.atomic():
        return services.campaign_launch(actor=request.user, campaign=campaign)


@router.post("/{slug}/cancel", response=CampaignDetailOut)
def campaign_cancel(request, slug: str):
    campaign = selectors.campaign_access(actor=request.user, slug=slug)
    with transaction.atomic():
        return services.campaign_cancel(actor=request.user, campaign=campaign)
