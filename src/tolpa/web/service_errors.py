"""Show a service error on a Django form: field errors where they belong, the rest on top."""

from django.utils.http import url_has_allowed_host_and_scheme

from tolpa.errors import ServiceError


def add_service_error(form, exc: ServiceError, aliases: dict[str, str] | None = None) -> None:
    """`aliases` maps a service's field name to the form's (password → password1)."""
    placed = False
    for field, messages in exc.fields.items():
        field = (aliases or {}).get(field, field)
        target = field if field in form.fields else None
        for message in messages:
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
