import re

import pytest
from django.urls import reverse

from tolpa.campaigns.models import Status

pytestmark = pytest.mark.django_db


def test_discovery_page_filters_and_htmx_partial(client, make_campaign):
    make_campaign(title="Logo for a bakery", tags=["logo"])
    make_campaign(kind="crowdfunding", title="Solar lamps")
    page = client.get("/").content.decode()
    assert "Logo for a bakery" in page
    assert "Solar lamps" in page
    filtered = client.get("/", {"kind": "crowdfunding"}).content.decode()
    assert "Solar lamps" in filtered
    assert "Logo for a bakery" not in filtered
    partial = client.get("/", {"q": "bakery"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "Logo for a bakery" in partial


def test_discovery_survives_garbage_parameters(client, make_campaign):
    make_campaign()
    for params in (
        {"page": "abc"},
        {"page": "99999"},
        {"kind": "<script>"},
        {"sort": "x"},
        {"q": "%00" * 300},
    ):
        assert client.get("/", params).status_code == 200


def test_discovery_query_count(client, make_campaign, django_assert_max_num_queries):
    for i in range(5):
        make_campaign(title=f"Campaign {i}", tags=["a", "b"])
    with django_assert_max_num_queries(6):
        client.get("/")


def test_detail_page_renders_sanitized_markdown(client, make_campaign):
    campaign = make_campaign(
        description="# Brief\n\n<img src=x onerror=alert(1)> [site](javascript:alert(1))"
    )
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "<h1>Brief</h1>" in body
    assert re.search(r"<img[^>]*onerror", body) is None
    assert 'href="javascript' not in body


def test_draft_detail_is_404_for_strangers(client, make_campaign, user):
    draft = make_campaign(launch=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_new_campaign_page_offers_every_kind(client, owner, organization):
    client.force_login(owner)
    page = client.get(reverse("campaigns:create")).content.decode()
    for create in ("contests:create", "crowdfunding:create", "tenders:create", "ideas:create"):
        assert f'href="{reverse(create)}"' in page, create
    assert client.get(reverse("campaigns:create") + "?kind=tender").url == reverse("tenders:create")
    assert client.get(reverse("campaigns:create") + "?kind=lottery").status_code == 200


def test_brand_launches_a_draft_from_its_page(client, make_campaign, owner):
    campaign = make_campaign(launch=False, title="Cut plastic")
    client.force_login(owner)
    client.post(reverse("campaigns:launch", args=[campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.status == Status.LIVE
    assert "Cut plastic" in client.get(reverse("campaigns:brand_list")).content.decode()


def test_stranger_cannot_launch_or_cancel(client, make_campaign, user):
    draft = make_campaign(launch=False)
    client.force_login(user)
    assert client.post(reverse("campaigns:launch", args=[draft.slug])).status_code == 404
    live = make_campaign(title="Live")
    assert client.post(reverse("campaigns:cancel", args=[live.slug])).status_code == 404
    live.refresh_from_db()
    assert live.status == Status.LIVE


def test_user_without_brand_is_sent_to_create_one(client, user):
    client.force_login(user)
    assert client.get(reverse("campaigns:create")).url == reverse("accounts:organization_create")


def test_language_switch_to_russian(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
