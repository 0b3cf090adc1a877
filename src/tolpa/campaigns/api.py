from django.db import transaction
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from tolpa.api_auth import optional_auth
from tolpa.campaigns import selectors, services
from tolpa.campaigns.schemas import CampaignDetailOut, CampaignOut, DiscoveryQuery
from tolpa.campaigns.selectors import DiscoveryFilters

router = Router(tags=["campaigns"])


@router.get("", response=list[CampaignOut], auth=optional_auth)
@paginate(LimitOffsetPagination)
def campaign_list(request, filters: Query[DiscoveryQuery]):
    """Live campaigns of every kind; the same filters as the discovery page."""
    return selectors.campaign_list_discover(filters=DiscoveryFilters.from_params(filters.dict()))


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
