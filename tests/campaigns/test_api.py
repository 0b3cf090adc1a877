import pytest

from tolpa.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def test_list_is_public_paginated_and_filtered(api_client, make_campaign):
    for i in range(3):
        make_campaign(title=f"Contest {i}")
    make_campaign(kind="crowdfunding", title="Fund it")
    make_campaign(title="Draft", launch=False)
    page = api_client.get("/campaigns", limit=2).json()
    assert page["count"] == 4
    assert len(page["items"]) == 2
    assert (
        api_client.get("/campaigns", kind="crowdfunding").json()["items"][0]["title"] == "Fund it"
    )
    assert api_client.get("/campaigns", q="Contest").json()["count"] == 3


def test_list_bad_input(api_client):
    assert api_client.get("/campaigns", limit=-1).status_code == 422
    assert api_client.get("/campaigns", offset="x").status_code == 422
    assert api_client.get("/campaigns", q="x" * 500).status_code == 422


def test_detail_public_and_drafts_hidden(api_client, make_campaign, user, owner):
    live = make_campaign(description="**bold** <script>alert(1)</script>")
    data = api_client.get(f"/campaigns/{live.slug}").json()
    assert data["status"] == "live"
    assert "<strong>bold</strong>" in data["description_html"]
    assert "<script>" not in data["description_html"]
    draft = make_campaign(launch=False, title="Secret draft")
    assert api_client.get(f"/campaigns/{draft.slug}").status_code == 404
    api_client.login(user)
    assert api_client.get(f"/campaigns/{draft.slug}").status_code == 404
    api_client.login(owner)
    assert api_client.get(f"/campaigns/{draft.slug}").json()["status"] == "draft"


def test_campaigns_are_created_through_their_kind(api_client, owner, organization):
    """Every kind has its own create route (/contests, /tenders, ...); there is no generic one."""
    api_client.login(owner)
    payload = {"organization_id": organization.pk, "kind": "tender", "title": "X"}
    assert api_client.post("/campaigns", payload).status_code == 405
    assert Campaign.objects.count() == 0


def test_launch_and_cancel(api_client, make_campaign, owner, user):
    draft = make_campaign(launch=False)
    api_client.login(user)
    assert api_client.post(f"/campaigns/{draft.slug}/launch").status_code == 404
    api_client.login(owner)
    assert api_client.post(f"/campaigns/{draft.slug}/launch").json()["status"] == "live"
    again = api_client.post(f"/campaigns/{draft.slug}/launch")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    live = make_campaign(title="Live one")
    api_client.login(user)
    assert api_client.post(f"/campaigns/{live.slug}/cancel").status_code == 403
    api_client.login(owner)
    assert api_client.post(f"/campaigns/{live.slug}/cancel").json()["status"] == "cancelled"
    assert api_client.post("/campaigns/missing/cancel").status_code == 404


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/campaigns" in response.json()["paths"]
    assert client.get("/api/docs").status_code == 302
