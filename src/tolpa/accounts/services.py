"""Writes for accounts, brands, invitations and API tokens. Callers own the transaction."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolpa.accounts.models import ApiToken, Invitation, Membership, Organization, Role, User
from tolpa.errors import (
    ConflictError,
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from tolpa.errors import fields_from_validation_error as _fields
from tolpa.web.slugs import latin_slug

INVITATION_LIFETIME = timedelta(days=14)
EMAIL_LINK_SALT = "tolpa.accounts.email-verification"
EMAIL_LINK_LIFETIME = timedelta(days=3)
EMAIL_LINK_EVERY = 60  # seconds between two links to one account
TOKEN_PREFIX = "tolpa_"  # noqa: S105 (a public prefix, not a secret)
PROFILE_FIELDS = (
    "display_name", "bio", "skills", "languages", "portfolio_links", "country", "avatar",
    "preferred_language",
)  # fmt: skip


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_signup(*, email: str, password: str, display_name: str) -> User:
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(
            _("An account with this email already exists."),
            fields={"email": [_("An account with this email already exists.")]},
        )
    user = User(email=email, display_name=display_name.strip() or email.split("@")[0])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(fields={"password": list(exc.messages)}) from exc
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ConflictError(_("An account with this email already exists.")) from exc
    email_verification_send(user=user)
    return user


def email_verification_send(*, user: User) -> None:
    """Mail a link that proves the person reads the account's address. Nothing is stored:
    the link is signed over the account and the address and expires in three days."""
    if user.email_verified_at:
        raise ConflictError(_("Your email address is verified already."))
    if not cache.add(f"email-link:{user.pk}", 1, EMAIL_LINK_EVERY):
        raise RateLimitedError(_("A link was sent a minute ago; check your mailbox."))
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_LINK_SALT)
    link = settings.TOLPA_SITE_URL + reverse("accounts:email_verify", args=[token])
    transaction.on_commit(
        lambda: send_mail(
            _("Confirm your email address on Tolpa"),
            _(
                "Open this link to confirm that %(email)s is yours: %(link)s\n"
                "It works for three days. Internal idea challenges of your organization "
                "open to you once the address is confirmed."
            )
            % {"email": user.email, "link": link},
            None,
            [user.email],
            fail_silently=True,
        )
    )


def email_verify(*, token: str) -> User:
    """Mark the address verified; a second use of the same link changes nothing."""
    try:
        claim = signing.loads(
            token, salt=EMAIL_LINK_SALT, max_age=EMAIL_LINK_LIFETIME.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise InvalidInput(
            _("This link has expired. Ask for a new one on your profile page.")
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(_("This confirmation link is not valid.")) from exc
    user = (
        User.objects.select_for_update()
        .filter(pk=claim.get("user"), email=claim.get("email"), is_active=True)
        .first()
    )
    if user is None:
        raise InvalidInput(_("This confirmation link is not valid."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def user_profile_update(*, user: User, **changes) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(user, name, value)
    if "country" in changes:
        user.country = (user.country or "").upper()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc
    user.save(update_fields=list(changes))
    return user


def _unique_slug(name: str) -> str:
    base = latin_slug(name, fallback="brand", max_length=120)
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def organization_create(
    *, owner: User, name: str, description: str = "", website: str = ""
) -> Organization:
    organization = Organization(
        name=name.strip(), slug=_unique_slug(name), description=description, website=website
    )
    try:
        organization.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc
    organization.save()
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


def membership_require(
    *, user: User, organization: Organization, roles=(Role.OWNER, Role.MANAGER)
) -> Membership:
    """The membership of `user` in `organization` with one of `roles`, or PermissionDenied."""
    if not user.is_authenticated:
        raise PermissionDeniedError()
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None or membership.role not in roles:
        raise PermissionDeniedError(_("You are not allowed to manage this brand."))
    return membership


def invitation_create(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: str = Role.MANAGER,
    accept_url_builder=None,
) -> tuple[Invitation, str]:
    """Invite `email`; only owners invite. Returns the invitation and its one-time token.
    The mail is in the invitee's language when they have an account, else the inviter's."""
    membership_require(user=actor, organization=organization, roles=(Role.OWNER,))
    if role not in Role.values:
        raise InvalidInput(fields={"role": [_("Unknown role.")]})
    email = User.objects.normalize_email(email.strip()).lower()
    if organization.members.filter(email__iexact=email).exists():
        raise ConflictError(
            _("This person is already a member."), fields={"email": [_("Already a member.")]}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_secret(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    try:
        invitation.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc
    invitation.save()
    path = reverse("accounts:invitation_accept", args=[token])
    link = accept_url_builder(path) if accept_url_builder else path
    invitee = User.objects.filter(email__iexact=email).first()
    with translation.override(invitee.language if invitee else translation.get_language()):
        subject = _("You are invited to %(org)s on Tolpa") % {"org": organization.name}
        body = _("%(who)s invited you to join %(org)s as %(role)s. Accept here: %(link)s") % {
            "who": actor,
            "org": organization.name,
            "role": invitation.get_role_display(),
            "link": link,
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return invitation, token


def invitation_accept(*, user: User, token: str) -> Membership:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None:
        raise NotFoundError(_("This invitation does not exist."))
    if invitation.accepted_at is not None:
        raise ConflictError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ConflictError(_("This invitation has expired."))
    if invitation.email.lower() != user.email.lower():
        raise PermissionDeniedError(_("This invitation was sent to another email address."))
    membership, _created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the secret is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise InvalidInput(fields={"name": [_("Give the token a name of 1 to 80 characters.")]})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise ConflictError(_("You have 20 active tokens; revoke one first."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
        key_hash=hash_secret(secret),
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFoundError(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def organization_switch(*, user: User, session, organization_id: int) -> Organization:
    """Make `organization_id` the brand the user acts for in this session."""
    organization = Organization.objects.filter(pk=organization_id, memberships__user=user).first()
    if organization is None:
        raise NotFoundError(_("No such brand among yours."))
    session["active_organization_id"] = organization.pk
    return organization
