"""View decorators for pages that act for a brand."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def brand_required(view):
    """Logged-in people without a brand are sent to create one first; the view receives the
    brand the person acts for (the session's choice) as `organization`."""

    @login_required
    @wraps(view)
    def with_brand(request, *args, **kwargs):
        organization = request.active_organization or None
        if organization is None:
            messages.info(request, _("Create a brand first to run campaigns."))
            return redirect("accounts:organization_create")
        return view(request, *args, organization=organization, **kwargs)

    return with_brand
