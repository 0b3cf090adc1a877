import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import PASSWORD, png_bytes
from tolpa.accounts import services
from tolpa.accounts.models import ApiToken, Membership, Organization, User

pytestmark = pytest.mark.django_db


def test_signup_page_creates_account_and_logs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "New@Example.com",
            "display_name": "Newbie",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get().email == "new@example.com"
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"email": "bad", "display_name": "x", "password1": PASSWORD, "password2": PASSWORD},
        {
            "email": "a@example.com",
            "display_name": "x",
            "password1": PASSWORD,
            "password2": "different",
        },
        {
            "email": "a@example.com",
            "display_name": "x" * 81,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        {"email": "a@example.com", "display_name": "x", "password1": "short", "password2": "short"},
    ],
)
def test_signup_bad_input_shows_errors_and_creates_nothing(client, data):
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert User.objects.count() == 0


def test_signup_duplicate_email_is_a_form_error(client, user):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "CROWD@example.com",
            "display_name": "x",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_login_is_case_insensitive_and_logout(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": "Crowd@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile_edit")).status_code == 302


def test_password_reset_sends_email(client, user, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "crowd@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password-reset/" in mailoutbox[0].body


def test_profile_edit_with_avatar_and_public_page(client, user):
    client.force_login(user)
    avatar = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "Crowd Star",
            "bio": "I *draw*",
            "country": "vn",
            "skills_text": "logo, video",
            "languages_text": "vi, en",
            "links_text": "https://example.com/me",
            "avatar": avatar,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    assert user.skills == ["logo", "video"]
    page = client.get(reverse("accounts:profile", args=[user.pk])).content.decode()
    assert "Crowd Star" in page
    assert "<em>draw</em>" in page
    assert "crowd@example.com" not in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really an image", "not a valid image"),
        (b"%PDF-1.4 pretending", "not a valid image"),
    ],
)
def test_avatar_that_is_not_an_image_is_refused(client, user, content, message):
    client.force_login(user)
    upload = SimpleUploadedFile("evil.png", content, content_type="image/png")
    response = client.post(
        reverse("accounts:profile_edit"), {"display_name": "X", "avatar": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Crowd Member"
    assert not user.avatar


def test_avatar_too_large_or_bomb_is_refused(client, user, settings):
    client.force_login(user)
    settings.TOLPA_MAX_IMAGE_BYTES = 100
    big = SimpleUploadedFile("big.png", png_bytes((64, 64)) + b"\0" * 200, content_type="image/png")
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "X", "avatar": big})
    assert "too large" in response.content.decode()
    settings.TOLPA_MAX_IMAGE_BYTES = 10 * 1024 * 1024
    settings.TOLPA_MAX_IMAGE_PIXELS = 1000
    bomb = SimpleUploadedFile("bomb.png", png_bytes((100, 100)), content_type="image/png")
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "X", "avatar": bomb})
    assert "too many pixels" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_profile_bad_country_and_links(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "X",
            "country": "Vietnam",
            "links_text": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "two-letter" in body
    assert "valid URL" in body


def test_organization_create_invite_and_accept(
    client, owner, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    response = client.post(reverse("accounts:organization_create"), {"name": "Pho Shop"})
    organization = Organization.objects.get(name="Pho Shop")
    assert response.url == organization.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        with_invite = client.post(
            organization.get_absolute_url(), {"email": "mgr@example.com", "role": "manager"}
        )
    assert with_invite.status_code == 302
    link = next(line for line in mailoutbox[0].body.split() if "/invitations/" in line)
    manager = make_user(email="mgr@example.com")
    client.force_login(manager)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert Membership.objects.filter(
        organization=organization, user=manager, role="manager"
    ).exists()


def test_organization_page_of_foreign_brand_is_404(client, user, organization):
    client.force_login(user)
    response = client.get(organization.get_absolute_url())
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_manager_cannot_invite(client, organization, make_user):
    manager = make_user()
    Membership.objects.create(organization=organization, user=manager, role="manager")
    client.force_login(manager)
    response = client.post(
        organization.get_absolute_url(), {"email": "x@example.com", "role": "owner"}
    )
    assert response.status_code == 200
    assert not organization.invitations.exists()


def test_switch_organization(client, owner, organization):
    second = services.organization_create(owner=owner, name="Second")
    client.force_login(owner)
    client.post(reverse("accounts:organization_switch"), {"organization": second.pk, "next": "/"})
    assert client.session["active_organization_id"] == second.pk
    response = client.post(
        reverse("accounts:organization_switch"),
        {"organization": "abc", "next": "https://evil.example/"},
    )
    assert response.url == "/"
    assert client.session["active_organization_id"] == second.pk


def test_api_token_page_shows_secret_once_and_revokes(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    secret = re.search(r"tolpa_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert services.api_token_authenticate(secret=secret) == user
    assert secret not in client.get(reverse("accounts:api_tokens")).content.decode()
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
