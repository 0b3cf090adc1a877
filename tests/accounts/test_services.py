from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from tests.conftest import PASSWORD
from tolpa.accounts import selectors, services
from tolpa.accounts.models import ApiToken, Membership, Role, User
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_signup_stores_lowercase_email_and_hashed_password():
    user = services.user_signup(
        email="  Mixed.Case@Example.COM ", password=PASSWORD, display_name="Mix"
    )
    assert user.email == "mixed.case@example.com"
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD


def test_signup_email_is_unique_case_insensitively(user):
    with pytest.raises(ConflictError):
        services.user_signup(email="CROWD@example.com", password=PASSWORD, display_name="Again")
    assert User.objects.filter(email__iexact="crowd@example.com").count() == 1


def test_database_refuses_case_variant_duplicate(user):
    with pytest.raises(IntegrityError):
        User.objects.create(email="Crowd@Example.com", display_name="x")


@pytest.mark.parametrize("password", ["short", "password123", "12345678901"])
def test_signup_rejects_weak_password(password):
    with pytest.raises(InvalidInput) as exc:
        services.user_signup(email="weak@example.com", password=password, display_name="Weak")
    assert "password" in exc.value.fields
    assert not User.objects.filter(email="weak@example.com").exists()


def test_signup_rejects_invalid_email():
    with pytest.raises(InvalidInput) as exc:
        services.user_signup(email="not-an-email", password=PASSWORD, display_name="X")
    assert "email" in exc.value.fields


def test_profile_update_validates_and_saves(user):
    services.user_profile_update(
        user=user, display_name="New Name", country="vn", skills=["logo"], bio="Hi"
    )
    user.refresh_from_db()
    assert (user.display_name, user.country, user.skills) == ("New Name", "VN", ["logo"])


def test_profile_update_refuses_unknown_fields_and_overlong(user):
    with pytest.raises(InvalidInput):
        services.user_profile_update(user=user, is_superuser=True)
    with pytest.raises(InvalidInput):
        services.user_profile_update(user=user, display_name="x" * 81)
    user.refresh_from_db()
    assert not user.is_superuser
    assert user.display_name == "Crowd Member"


def test_organization_create_makes_creator_owner(owner):
    organization = services.organization_create(owner=owner, name="Coffee & Co")
    assert organization.slug == "coffee-co"
    assert Membership.objects.get(organization=organization, user=owner).role == Role.OWNER
    second = services.organization_create(owner=owner, name="Coffee & Co")
    assert second.slug == "coffee-co-2"


def test_organization_create_rejects_blank_name(owner):
    with pytest.raises(InvalidInput):
        services.organization_create(owner=owner, name="   ")


def test_invitation_flow_sends_email_and_accepts_once(
    organization, owner, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=owner, organization=organization, email="New.Manager@example.com"
        )
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    assert invitation.token_hash != token
    invitee = make_user(email="new.manager@example.com")
    membership = services.invitation_accept(user=invitee, token=token)
    assert membership.role == Role.MANAGER
    with pytest.raises(ConflictError):
        services.invitation_accept(user=invitee, token=token)


def test_invitation_rules(organization, owner, make_user):
    manager = make_user()
    Membership.objects.create(organization=organization, user=manager, role=Role.MANAGER)
    with pytest.raises(PermissionDeniedError):
        services.invitation_create(actor=manager, organization=organization, email="x@example.com")
    with pytest.raises(ConflictError):
        services.invitation_create(
            actor=owner, organization=organization, email=manager.email.upper()
        )
    with pytest.raises(InvalidInput):
        services.invitation_create(
            actor=owner, organization=organization, email="x@example.com", role="god"
        )
    _invitation, token = services.invitation_create(
        actor=owner, organization=organization, email="a@example.com"
    )
    with pytest.raises(PermissionDeniedError):
        services.invitation_accept(user=make_user(email="b@example.com"), token=token)
    with pytest.raises(NotFoundError):
        services.invitation_accept(user=manager, token="forged")


def test_expired_invitation_is_refused(organization, owner, make_user):
    invitation, token = services.invitation_create(
        actor=owner, organization=organization, email="late@example.com"
    )
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save(update_fields=["expires_at"])
    with pytest.raises(ConflictError):
        services.invitation_accept(user=make_user(email="late@example.com"), token=token)


def test_api_token_keeps_only_hash_and_authenticates(user):
    token, secret = services.api_token_create(user=user, name="script")
    assert secret.startswith("tolpa_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.key_hash, stored.prefix)
    assert services.api_token_authenticate(secret=secret) == user
    services.api_token_revoke(user=user, token_id=token.pk)
    assert services.api_token_authenticate(secret=secret) is None


def test_api_token_revoke_of_someone_elses_token_is_not_found(user, make_user):
    token, _secret = services.api_token_create(user=make_user(), name="theirs")
    with pytest.raises(NotFoundError):
        services.api_token_revoke(user=user, token_id=token.pk)


def test_api_token_name_is_required(user):
    with pytest.raises(InvalidInput):
        services.api_token_create(user=user, name=" ")


def test_active_organization_follows_session_and_ignores_foreign(
    organization, other_organization, owner
):
    session = {}
    assert selectors.active_organization_for(user=owner, session=session) == organization
    session["active_organization_id"] = other_organization.pk
    assert selectors.active_organization_for(user=owner, session=session) == organization
    with pytest.raises(NotFoundError):
        services.organization_switch(
            user=owner, session=session, organization_id=other_organization.pk
        )


def test_organization_access_hides_foreign_brands(organization, user):
    with pytest.raises(NotFoundError):
        selectors.organization_access(actor=user, slug=organization.slug)
