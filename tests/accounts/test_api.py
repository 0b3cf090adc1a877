import pytest

from tolpa.accounts import services
from tolpa.accounts.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db


def error_code(response):
    return response.json()["error"]["code"]


def test_me_requires_auth(api_client):
    response = api_client.get("/me")
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"


def test_me_with_session_and_token(api_client, user):
    api_client.login(user)
    assert api_client.get("/me").json()["email"] == "crowd@example.com"


def test_me_with_bearer_token(client, api_client, user):
    _token, secret = services.api_token_create(user=user, name="cli")
    api_client.use_token(secret)
    assert api_client.get("/me").json()["display_name"] == "Crowd Member"
    api_client.use_token("tolpa_wrong")
    assert api_client.get("/me").status_code == 401


def test_me_update_and_bad_input(api_client, user):
    api_client.login(user)
    response = api_client.patch("/me", {"display_name": "Renamed", "country": "ru"})
    assert response.status_code == 200
    assert response.json()["country"] == "RU"
    bad = api_client.patch("/me", {"display_name": "x" * 200})
    assert bad.status_code == 422
    assert "display_name" in bad.json()["error"]["fields"]
    wrong_type = api_client.patch("/me", {"skills": "not a list"})
    assert wrong_type.status_code == 422
    user.refresh_from_db()
    assert user.display_name == "Renamed"


def test_public_user_profile_hides_email(api_client, user):
    data = api_client.get(f"/users/{user.pk}").json()
    assert "email" not in data
    assert api_client.get("/users/999999").status_code == 404


def test_organizations_list_only_mine(api_client, user, organization):
    api_client.login(user)
    assert api_client.get("/organizations").json() == []
    services.organization_create(owner=user, name="Mine")
    names = [o["name"] for o in api_client.get("/organizations").json()]
    assert names == ["Mine"]


def test_organization_create_and_bad_input(api_client, user):
    assert api_client.post("/organizations", {"name": "X"}).status_code == 401
    api_client.login(user)
    response = api_client.post("/organizations", {"name": "Bright Ideas"})
    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert api_client.post("/organizations", {"name": ""}).status_code == 422
    assert api_client.post("/organizations", {"name": 5}).status_code == 422
    assert api_client.post("/organizations", {"name": "y" * 500}).status_code == 422
    assert Organization.objects.count() == 1


def test_organization_detail_of_foreign_brand_is_404(api_client, user, organization):
    api_client.login(user)
    response = api_client.get(f"/organizations/{organization.pk}")
    assert response.status_code == 404
    assert error_code(response) == "not_found"
    assert api_client.get(f"/organizations/{organization.pk}/members").status_code == 404
    assert api_client.get("/organizations/notanumber").status_code == 422


def test_organization_detail_and_members(api_client, owner, organization):
    api_client.login(owner)
    assert api_client.get(f"/organizations/{organization.pk}").json()["role"] == "owner"
    members = api_client.get(f"/organizations/{organization.pk}/members").json()
    assert members == [{"user_id": owner.pk, "display_name": "Brand Owner", "role": "owner"}]


def test_invitation_api_permissions_and_input(api_client, owner, organization, make_user, user):
    path = f"/organizations/{organization.pk}/invitations"
    assert api_client.post(path, {"email": "a@example.com"}).status_code == 401
    api_client.login(user)
    assert api_client.post(path, {"email": "a@example.com"}).status_code == 404
    manager = make_user()
    Membership.objects.create(organization=organization, user=manager, role=Role.MANAGER)
    api_client.login(manager)
    forbidden = api_client.post(path, {"email": "a@example.com"})
    assert forbidden.status_code == 403
    assert error_code(forbidden) == "forbidden"
    api_client.login(owner)
    assert api_client.post(path, {"email": "not an email"}).status_code == 422
    assert api_client.post(path, {"email": "a@example.com", "role": "admin"}).status_code == 422
    created = api_client.post(path, {"email": "a@example.com"})
    assert created.status_code == 201
    assert created.json()["email"] == "a@example.com"


def test_tokens_api_lifecycle(api_client, user, make_user):
    assert api_client.get("/tokens").status_code == 401
    api_client.login(user)
    created = api_client.post("/tokens", {"name": "ci"})
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert api_client.get("/tokens").json()[0]["name"] == "ci"
    assert "secret" not in api_client.get("/tokens").json()[0]
    assert api_client.post("/tokens", {"name": ""}).status_code == 422
    other_token, _ = services.api_token_create(user=make_user(), name="theirs")
    assert api_client.delete(f"/tokens/{other_token.pk}").status_code == 404
    revoked = api_client.delete(f"/tokens/{created.json()['id']}")
    assert revoked.json()["revoked_at"] is not None
    api_client.inner.logout()
    api_client.use_token(secret)
    assert api_client.get("/me").status_code == 401


def test_malformed_json_is_a_clear_400_or_422(client, user):
    client.force_login(user)
    response = client.post(
        "/api/v1/organizations", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json()
