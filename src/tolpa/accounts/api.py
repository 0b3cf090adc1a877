from django.db import transaction
from ninja import Router, Status

from tolpa.accounts import selectors, services
from tolpa.accounts.models import User
from tolpa.accounts.schemas import (
    EmailTokenIn,
    InvitationIn,
    InvitationOut,
    MemberOut,
    OrganizationIn,
    OrganizationOut,
    ProfileIn,
    PublicUserOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)
from tolpa.api_auth import optional_auth
from tolpa.errors import NotFoundError

router = Router(tags=["accounts"])


@router.get("/me", response=UserOut)
def me(request):
    return request.user


@router.patch("/me", response=UserOut)
def me_update(request, payload: ProfileIn):
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    with transaction.atomic():
        return services.user_profile_update(user=request.user, **changes)


@router.post("/me/email-verification", response={202: UserOut})
def email_verification_send(request):
    """Mail a new confirmation link to your address (at most one a minute)."""
    with transaction.atomic():
        services.email_verification_send(user=request.user)
    return Status(202, request.user)


@router.post("/email-verification", response=UserOut, auth=optional_auth)
def email_verify(request, payload: EmailTokenIn):
    """Confirm an address with the token from the mailed link; no login needed."""
    with transaction.atomic():
        return services.email_verify(token=payload.token)


@router.get("/users/{user_id}", response=PublicUserOut, auth=optional_auth)
def user_detail(request, user_id: int):
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFoundError()
    return user


def _organization_out(organization, role):
    return OrganizationOut(
        id=organization.pk,
        name=organization.name,
        slug=organization.slug,
        description=organization.description,
        website=organization.website,
        role=role,
    )


@router.get("/organizations", response=list[OrganizationOut])
def organization_list(request):
    memberships = request.user.memberships.select_related("organization").order_by(
        "organization__name"
    )
    return [_organization_out(m.organization, m.role) for m in memberships]


@router.post("/organizations", response={201: OrganizationOut})
def organization_create(request, payload: OrganizationIn):
    with transaction.atomic():
        organization = services.organization_create(owner=request.user, **payload.dict())
    return Status(201, _organization_out(organization, "owner"))


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def organization_detail(request, organization_id: int):
    organization = selectors.organization_access(actor=request.user, id=organization_id)
    membership = selectors.membership_get(user=request.user, organization=organization)
    return _organization_out(organization, membership.role)


@router.get("/organizations/{organization_id}/members", response=list[MemberOut])
def organization_members(request, organization_id: int):
    organization = selectors.organization_access(actor=request.user, id=organization_id)
    return [
        MemberOut(user_id=m.user_id, display_name=m.user.display_name, role=m.role)
        for m in selectors.organization_members(organization=organization)
    ]


@router.post("/organizations/{organization_id}/invitations", response={201: InvitationOut})
def invitation_create(request, organization_id: int, payload: InvitationIn):
    organization = selectors.organization_access(actor=request.user, id=organization_id)
    with transaction.atomic():
        invitation, _token = services.invitation_create(
            actor=request.user,
            organization=organization,
            email=payload.email,
            role=payload.role,
            accept_url_builder=request.build_absolute_uri,
        )
    return Status(201, invitation)


@router.get("/tokens", response=list[TokenOut])
def token_list(request):
    return list(request.user.api_tokens.all())


@router.post("/tokens", response={201: TokenCreatedOut})
def token_create(request, payload: TokenIn):
    with transaction.atomic():
        token, secret = services.api_token_create(user=request.user, name=payload.name)
    return Status(
        201,
        TokenCreatedOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=None,
            revoked_at=None,
            secret=secret,
        ),
    )


@router.delete("/tokens/{token_id}", response=TokenOut)
def token_revoke(request, token_id: int):
    with transaction.atomic():
        return services.api_token_revoke(user=request.user, token_id=token_id)
