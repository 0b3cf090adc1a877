"""Reads for campaigns: discovery with filters and search, and access-checked fetches."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tolpa.accounts.models import Organization, User
from tolpa.campaigns.models import Campaign, Status
from tolpa.campaigns.registry import Kind, plugin_for, plugins
from tolpa.errors import NotFoundError

PUBLIC_STATUSES = (Status.LIVE, Status.CLOSED, Status.SETTLED)


class Sort:
    ENDING_SOON = "ending"
    NEWEST = "newest"
    POPULAR = "popular"
    ORDERING = {
        ENDING_SOON: ("ends_at", "pk"),
        NEWEST: ("-starts_at", "-pk"),
        POPULAR: ("-participants_count", "ends_at", "pk"),
    }


@dataclass(frozen=True)
class DiscoveryFilters:
    q: str = ""
    kind: str = ""
    tag: str = ""
    language: str = ""
    sort: str = Sort.ENDING_SOON

    @classmethod
    def from_params(cls, params) -> "DiscoveryFilters":
        """Unknown values are ignored rather than failing the page."""
        kind = params.get("kind", "")
        language = params.get("language", "")
        sort = params.get("sort", Sort.ENDING_SOON)
        return cls(
            q=(params.get("q") or "").strip()[:200],
            kind=kind if kind in Kind.values else "",
            tag=(params.get("tag") or "").strip().lower()[:40],
            language=language if language in dict(settings.LANGUAGES) else "",
            sort=sort if sort in Sort.ORDERING else Sort.ENDING_SOON,
        )


def _search(queryset: QuerySet[Campaign], q: str) -> QuerySet[Campaign]:
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", weight="A", config="simple") + SearchVector(
            "summary", "description", weight="B", config="simple"
        )
        return queryset.annotate(search=vector).filter(
            Q(search=SearchQuery(q, search_type="websearch", config="simple"))
            | Q(title__icontains=q)
        )
    words = q.split()
    for word in words[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    return queryset


def campaign_list_discover(*, filters: DiscoveryFilters) -> QuerySet[Campaign]:
    """Live campaigns still open now, of every kind."""
    now = timezone.now()
    queryset = Campaign.objects.filter(status=Status.LIVE, ends_at__gt=now).filter(
        Q(starts_at__isnull=True) | Q(starts_at__lte=now)
    )
    for plugin in plugins():
        if plugin.unlisted is not None:
            queryset = queryset.exclude(plugin.unlisted)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.q:
        queryset = _search(queryset, filters.q)
    return (
        queryset.select_related("organization")
        .prefetch_related("tags")
        .order_by(*Sort.ORDERING[filters.sort])
    )


def campaign_access(*, actor: User, slug: str) -> Campaign:
    """A campaign the actor may see (see `campaign_visible`), else 404."""
    campaign = (
        Campaign.objects.select_related("organization")
        .prefetch_related("tags")
        .filter(slug=slug)
        .first()
    )
    if campaign is None or not campaign_visible(actor=actor, campaign=campaign):
        raise NotFoundError()
    return campaign


def campaign_visible(*, actor: User, campaign: Campaign) -> bool:
    """Published campaigns are public unless their kind limits the audience; drafts and
    cancelled ones show to their brand only."""
    if actor.is_authenticated and campaign.organization.memberships.filter(user=actor).exists():
        return True
    if campaign.status not in PUBLIC_STATUSES:
        return False
    plugin = plugin_for(campaign.kind)
    return plugin is None or plugin.can_view is None or plugin.can_view(actor, campaign)


def item_check(*, actor: User, campaign: Campaign, number: int) -> None:
    """Raise NotFoundError unless the campaign's kind has numbered items (ideas, entries)
    and the actor may see this one; the caller has checked the campaign itself."""
    plugin = plugin_for(campaign.kind)
    if plugin is None or plugin.item_visible is None:
        raise NotFoundError()
    if not plugin.item_visible(actor, campaign, number):
        raise NotFoundError()


def page_url(campaign: Campaign, item_number: int | None = None) -> str:
    """The campaign's page, or its numbered item's page when `item_number` is given."""
    if item_number is None:
        return campaign.get_absolute_url()
    return reverse(plugin_for(campaign.kind).item_url_name, args=[campaign.slug, item_number])


def campaign_list_for_organization(*, organization: Organization) -> QuerySet[Campaign]:
    return organization.campaigns.prefetch_related("tags").order_by("-created_at")
