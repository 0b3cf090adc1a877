"""Show a service error on a Django form: field errors where they belong, the rest on top;
and run a page's form action through its service."""

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from tolpa.errors import NotFoundError, PermissionDeniedError, ServiceError


def add_service_error(form, exc: ServiceError, aliases: dict[str, str] | None = None) -> None:
    """`aliases` maps a service's field name to the form's (password → password1)."""
    placed = False
    for field, field_messages in exc.fields.items():
        field = (aliases or {}).get(field, field)
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def safe_next(request, default: str) -> str:
    """The `next` parameter when it points inside this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def run_form_action(
    request, form, call: Callable[[dict], object], *, form_error_status: int | None = None
) -> int | None:
    """Validate `form` (None for a bare button) and call the service in a transaction.
    Returns None on success, else the status to show the page again with: field errors land
    on the form, other errors in a message. `form_error_status` overrides the status of a
    re-rendered form (the error's own, or 400 for an invalid form). Permission and
    visibility errors propagate to become 403/404 pages."""
    if form is not None and not form.is_valid():
        return form_error_status or 400
    try:
        with transaction.atomic():
            call(dict(form.cleaned_data) if form is not None else {})
    except (PermissionDeniedError, NotFoundError):
        raise
    except ServiceError as exc:
        if form is None:
            messages.error(request, exc.summary())
            return exc.status
        add_service_error(form, exc)
        return form_error_status or exc.status
    return None
