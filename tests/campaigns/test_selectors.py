import pytest
from django.http import QueryDict

from tests.conftest import expire
from tolpa.campaigns import selectors, services
from tolpa.campaigns.models import Campaign
from tolpa.campaigns.selectors import DiscoveryFilters
from tolpa.errors import NotFoundError

pytestmark = pytest.mark.django_db


def titles(filters):
    return [c.title for c in selectors.campaign_list_discover(filters=filters)]


@pytest.fixture
def catalogue(make_campaign, owner):
    bakery = make_campaign(title="Logo for a bakery", days=3, tags=["logo"], summary="Bread brand")
    lamps = make_campaign(
        kind="crowdfunding", title="Solar lamps for schools", days=20, language="vi"
    )
    survey = make_campaign(
        kind="survey", title="Taste test", days=10, description="Tell us about the flavour"
    )
    make_campaign(title="Unlaunched draft", launch=False)
    Campaign.objects.filter(pk=lamps.pk).update(participants_count=50)
    Campaign.objects.filter(pk=survey.pk).update(participants_count=5)
    return bakery, lamps, survey


def test_discover_lists_live_only_with_sorts(catalogue):
    assert titles(DiscoveryFilters()) == [
        "Logo for a bakery",
        "Taste test",
        "Solar lamps for schools",
    ]
    assert titles(DiscoveryFilters(sort="popular"))[0] == "Solar lamps for schools"
    assert titles(DiscoveryFilters(sort="newest"))[0] == "Taste test"


def test_discover_filters_and_search(catalogue):
    assert titles(DiscoveryFilters(kind="crowdfunding")) == ["Solar lamps for schools"]
    assert titles(DiscoveryFilters(language="vi")) == ["Solar lamps for schools"]
    assert titles(DiscoveryFilters(tag="logo")) == ["Logo for a bakery"]
    assert titles(DiscoveryFilters(q="bakery")) == ["Logo for a bakery"]
    assert titles(DiscoveryFilters(q="flavour")) == ["Taste test"]
    assert titles(DiscoveryFilters(q="nothing-like-this")) == []


def test_discover_hides_past_deadline_even_if_not_closed(catalogue):
    bakery = catalogue[0]
    expire(bakery)
    assert "Logo for a bakery" not in titles(DiscoveryFilters())


def test_filters_from_params_ignore_unknown_values():
    filters = DiscoveryFilters.from_params(
        QueryDict("kind=lottery&sort=drop&language=xx&q=" + "a" * 500)
    )
    assert (filters.kind, filters.sort, filters.language) == ("", "ending", "")
    assert len(filters.q) == 200


def test_campaign_access_hides_drafts_from_strangers(make_campaign, user, owner):
    draft = make_campaign(launch=False)
    with pytest.raises(NotFoundError):
        selectors.campaign_access(actor=user, slug=draft.slug)
    assert selectors.campaign_access(actor=owner, slug=draft.slug) == draft
    with pytest.raises(NotFoundError):
        selectors.campaign_access(actor=user, slug="missing")


def test_discover_query_count_is_constant(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        campaigns = list(selectors.campaign_list_discover(filters=DiscoveryFilters()))
        for campaign in campaigns:
            _ = [t.name for t in campaign.tags.all()], campaign.organization.name


def test_cancelled_campaign_not_discoverable(make_campaign, owner):
    campaign = make_campaign()
    services.campaign_cancel(actor=owner, campaign=campaign)
    assert titles(DiscoveryFilters()) == []
