from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from tolpa.accounts import selectors, services
from tolpa.accounts.forms import (
    ApiTokenForm,
    InvitationForm,
    OrganizationForm,
    ProfileForm,
    SignupForm,
)
from tolpa.accounts.models import Role, User
from tolpa.accounts.reputation import reputation_facts, reputation_score
from tolpa.contests import selectors as contest_selectors
from tolpa.errors import ServiceError
from tolpa.web.service_errors import add_service_error, safe_next

PORTFOLIO_SIZE = 24


def language_set(request):
    """Django's language switcher (cookie and redirect), which also saves a signed-in
    person's choice, so email and notices reach them in it and other devices follow."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


def signup(request):
    if request.user.is_authenticated:
        return redirect("campaigns:discover")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.user_signup(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
        except ServiceError as exc:
            add_service_error(form, exc, aliases={"password": "password1"})
        else:
            login(request, user, backend="tolpa.accounts.backends.EmailBackend")
            messages.success(
                request,
                _("Welcome to Tolpa! We sent a link to %(email)s to confirm the address.")
                % {"email": user.email},
            )
            return redirect(safe_next(request, "campaigns:discover"))
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile_edit(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial=ProfileForm.initial_for(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.user_profile_update(user=user, **form.profile_changes())
        except ServiceError as exc:
            user.refresh_from_db()
            add_service_error(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("accounts:profile", pk=user.pk)
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_POST
def email_verification_send(request):
    try:
        with transaction.atomic():
            services.email_verification_send(user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.summary())
    else:
        messages.success(
            request,
            _("We sent a confirmation link to %(email)s.") % {"email": request.user.email},
        )
    return redirect("accounts:profile_edit")


@require_http_methods(["GET", "POST"])
def email_verify(request, token: str):
    """The mailed link opens a page with a button: confirming is a POST, so mail scanners
    that fetch links do not confirm on the person's behalf."""
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                services.email_verify(token=token)
        except ServiceError as exc:
            error = exc.summary()
        else:
            messages.success(request, _("Your email address is confirmed."))
            return redirect(
                "accounts:profile_edit" if request.user.is_authenticated else "accounts:login"
            )
    return render(
        request, "accounts/email_verify.html", {"error": error}, status=400 if error else 200
    )


def profile(request, pk: int):
    person = get_object_or_404(User, pk=pk, is_active=True)
    organizations = person.organizations.all()
    facts = reputation_facts(person)
    return render(request, "accounts/profile.html", {
        "person": person, "organizations": organizations,
        "contest_entries": contest_selectors.portfolio_of(user=person)[:PORTFOLIO_SIZE],
        "reputation": facts, "reputation_score": reputation_score(facts),
    })  # fmt: skip


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                organization = services.organization_create(owner=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.session["active_organization_id"] = organization.pk
            messages.success(request, _("Brand %(name)s created.") % {"name": organization.name})
            return redirect(organization)
    return render(request, "accounts/organization_create.html", {"form": form})


@login_required
def organization_detail(request, slug: str):
    organization = selectors.organization_access(actor=request.user, slug=slug)
    membership = selectors.membership_get(user=request.user, organization=organization)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                invitation, _token = services.invitation_create(
                    actor=request.user,
                    organization=organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    accept_url_builder=request.build_absolute_uri,
                )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect(organization)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "membership": membership,
            "members": selectors.organization_members(organization=organization),
            "pending": organization.invitations.filter(accepted_at__isnull=True).order_by(
                "-created_at"
            ),
            "form": form,
            "is_owner": membership is not None and membership.role == Role.OWNER,
        },
    )


@login_required
def invitation_accept(request, token: str):
    if request.method == "POST":
        try:
            with transaction.atomic():
                membership = services.invitation_accept(user=request.user, token=token)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("campaigns:discover")
        request.session["active_organization_id"] = membership.organization_id
        messages.success(request, _("You joined %(org)s.") % {"org": membership.organization.name})
        return redirect(membership.organization)
    return render(request, "accounts/invitation_accept.html", {"token": token})


@login_required
@require_POST
def organization_switch(request):
    try:
        organization = services.organization_switch(
            user=request.user,
            session=request.session,
            organization_id=int(request.POST.get("organization", 0)),
        )
    except (ServiceError, ValueError):
        messages.error(request, _("No such brand among yours."))
    else:
        messages.success(request, _("You now act for %(org)s.") % {"org": organization.name})
    return redirect(safe_next(request, "campaigns:discover"))


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _token, new_secret = services.api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.all(),
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    try:
        with transaction.atomic():
            services.api_token_revoke(user=request.user, token_id=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token revoked."))
    return redirect("accounts:api_tokens")
