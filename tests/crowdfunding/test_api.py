from datetime import timedelta

import pytest
from django.utils import timezone

from tests.crowdfunding.conftest import balance, end_now
from tolpa.accounts.models import Membership
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Pledge, Project

pytestmark = pytest.mark.django_db


def test_create_permissions_and_bad_input(api_client, owner, organization, user):
    body = {"organization_id": organization.pk, "title": "Lamps", "goal": 10_000, "currency": "USD",
            "duration_days": 30, "spending_plan": [["Parts", 5_000]]}  # fmt: skip
    assert api_client.post("/crowdfunding", body).status_code == 401
    api_client.login(user)
    assert api_client.post("/crowdfunding", body).status_code == 404
    api_client.login(owner)
    for bad in ({"duration_days": 61}, {"goal": 0}, {"goal": -1}, {"currency": "ABC"}, {"funding_model": "x"},
                {"title": ""}, {"goal": "lots"}):  # fmt: skip
        response = api_client.post("/crowdfunding", {**body, **bad})
        assert response.status_code == 422, (bad, response.content)
    assert not Project.objects.exists()
    created = api_client.post("/crowdfunding", body)
    assert created.status_code == 201
    assert created.json()["status"] == "draft"


def test_detail_tiers_launch(api_client, owner, organization, user):
    project = services.project_create(actor=owner, organization=organization, title="Lamps", goal=100,
                                      currency="USD", duration_days=10)  # fmt: skip
    slug = project.campaign.slug
    assert api_client.get(f"/crowdfunding/{slug}").status_code == 404
    api_client.login(user)
    assert (
        api_client.post(f"/crowdfunding/{slug}/tiers", {"title": "T", "minimum": 100}).status_code
        == 404
    )
    api_client.login(owner)
    assert (
        api_client.post(f"/crowdfunding/{slug}/tiers", {"title": "T", "minimum": 0}).status_code
        == 422
    )
    assert (
        api_client.post(
            f"/crowdfunding/{slug}/tiers", {"title": "T", "minimum": 100, "quantity_limit": 0}
        ).status_code
        == 422
    )
    assert (
        api_client.post(f"/crowdfunding/{slug}/tiers", {"title": "T", "minimum": 100}).status_code
        == 201
    )
    launched = api_client.post(f"/crowdfunding/{slug}/launch")
    assert launched.json()["status"] == "live"
    assert api_client.post(f"/crowdfunding/{slug}/launch").status_code == 409
    api_client.inner.logout()
    assert api_client.get(f"/crowdfunding/{slug}").json()["tiers"][0]["title"] == "T"


def test_pledge_change_cancel_via_api(api_client, project, backer):
    slug = project.campaign.slug
    lamp = project.tiers.get(title="Lamp").pk
    assert (
        api_client._call("put", f"/crowdfunding/{slug}/pledge", {"amount": 2_000}).status_code
        == 401
    )
    alice = backer()
    api_client.login(alice)
    put = lambda body: api_client._call("put", f"/crowdfunding/{slug}/pledge", body)  # noqa: E731
    assert put({"amount": 1_000, "tier_id": lamp}).status_code == 422
    assert put({"amount": 2_000, "tier_id": 999_999}).status_code == 422
    assert put({"amount": -1}).status_code == 422
    assert put({"amount": 20_000}).status_code == 409
    assert put({"amount": 2_000, "tier_id": lamp}).json()["amount"] == 2_000
    assert put({"amount": 2_500, "tier_id": lamp}).json()["amount"] == 2_500
    assert balance(alice) == 7_500
    assert api_client.delete(f"/crowdfunding/{slug}/pledge").json()["status"] == "cancelled"
    assert api_client.delete(f"/crowdfunding/{slug}/pledge").status_code == 404
    assert balance(alice) == 10_000


def test_pledge_after_deadline_is_409_and_changes_nothing(api_client, project, backer):
    alice = backer()
    api_client.login(alice)
    api_client._call("put", f"/crowdfunding/{project.campaign.slug}/pledge", {"amount": 1_000})
    end_now(project)
    response = api_client._call(
        "put", f"/crowdfunding/{project.campaign.slug}/pledge", {"amount": 3_000}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "campaign_closed"
    assert Pledge.objects.get().amount == 1_000


def test_updates_api_visibility_and_edit_window(api_client, project, owner, backer, user):
    slug = project.campaign.slug
    api_client.login(user)
    assert (
        api_client.post(f"/crowdfunding/{slug}/updates", {"title": "x", "body": "y"}).status_code
        == 403
    )
    api_client.login(owner)
    assert (
        api_client.post(
            f"/crowdfunding/{slug}/updates", {"title": "x", "body": "y", "audience": "all"}
        ).status_code
        == 422
    )
    public = api_client.post(
        f"/crowdfunding/{slug}/updates", {"title": "Hello", "body": "Everyone"}
    ).json()
    api_client.post(
        f"/crowdfunding/{slug}/updates",
        {"title": "Secret", "body": "Backers", "audience": "backers"},
    )
    edited = api_client.patch(
        f"/crowdfunding/{slug}/updates/{public['id']}", {"title": "Hello!", "body": "All"}
    )
    assert edited.json()["edited_at"] is not None
    project.updates.filter(pk=public["id"]).update(created_at=timezone.now() - timedelta(hours=1))
    assert (
        api_client.patch(
            f"/crowdfunding/{slug}/updates/{public['id']}", {"title": "Late", "body": "x"}
        ).status_code
        == 409
    )
    assert (
        api_client.patch(
            f"/crowdfunding/{slug}/updates/999999", {"title": "x", "body": "x"}
        ).status_code
        == 404
    )
    api_client.inner.logout()
    assert [u["title"] for u in api_client.get(f"/crowdfunding/{slug}/updates").json()] == [
        "Hello!"
    ]
    alice = backer()
    services.pledge_set(actor=alice, project=project, amount=500)
    api_client.login(alice)
    assert len(api_client.get(f"/crowdfunding/{slug}/updates").json()) == 2


def test_spending_and_stats(api_client, project, owner, backer, make_user):
    slug = project.campaign.slug
    services.pledge_set(actor=backer(amount=20_000), project=project, amount=12_000)
    end_now(project)
    services.project_settle(project_id=project.pk)
    category = project.spending_plan.get(name="Parts").pk
    manager = make_user()
    Membership.objects.create(
        organization=project.campaign.organization, user=manager, role="manager"
    )
    api_client.login(manager)
    body = {
        "category_id": category,
        "amount": 3_000,
        "currency": "USD",
        "description": "LEDs",
        "spent_on": "2026-11-20",
    }
    assert (
        api_client.post(f"/crowdfunding/{slug}/spending", {**body, "currency": "EUR"}).status_code
        == 422
    )
    assert (
        api_client.post(
            f"/crowdfunding/{slug}/spending", {**body, "category_id": 99999}
        ).status_code
        == 422
    )
    assert (
        api_client.post(f"/crowdfunding/{slug}/spending", {**body, "spent_on": "soon"}).status_code
        == 422
    )
    assert api_client.post(f"/crowdfunding/{slug}/spending", body).status_code == 201
    api_client.inner.logout()
    rows = {r["category"]: r for r in api_client.get(f"/crowdfunding/{slug}/spending").json()}
    assert rows["Parts"] == {"category": "Parts", "planned": 6_000, "spent": 3_000}
    stats = api_client.get(f"/crowdfunding/{slug}/stats").json()
    assert stats["raised"] == 12_000
    assert stats["funding_over_time"][-1]["value"] == 12_000
    assert stats["pledges_per_day"][0]["value"] == 1
    api_client.login(make_user())
    assert api_client.post(f"/crowdfunding/{slug}/spending", body).status_code == 403
