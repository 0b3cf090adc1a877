"""The REST API at /api/v1/ (django-ninja). Session auth for the browser, personal
Bearer tokens for programs, and one error shape for every failure."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from tolpa.api_auth import session_or_token
from tolpa.errors import ServiceError


class ObjectBodyParser(Parser):
    """Every request body in this API is a JSON object. Ninja hands a bare list or number
    to the schema as it is, and a schema whose fields all have defaults accepted `[]` as
    "no fields"; refusing here turns it into the usual 400 for an unreadable body."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


api = NinjaAPI(
    title="Tolpa API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=session_or_token,
    parser=ObjectBodyParser(),
)


def error_response(request, status: int, code: str, message: str, fields=None):
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
    )


def _field_path(loc) -> str:
    """("body", "payload", "items", 0, "title") → "items.0.title": the source and, for a
    request body, the view's parameter name go; a field that is itself called "body" stays."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "form", "file"):
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_path(error.get("loc", ())), []).append(
            error.get("msg", _("Invalid value."))
        )
    return error_response(request, 422, "invalid_input", _("Some fields are not valid."), fields)


@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        422: "invalid_input",
        429: "rate_limited",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    import logging

    logging.getLogger("tolpa.api").exception("unhandled API error")
    return error_response(request, 500, "server_error", _("Something went wrong on our side."))


def _register_routers():
    from tolpa.accounts.api import router as accounts_router
    from tolpa.campaigns.api import router as campaigns_router
    from tolpa.community.api import router as community_router
    from tolpa.contests.api import router as contests_router
    from tolpa.crowdfunding.api import router as crowdfunding_router
    from tolpa.ideas.api import router as ideas_router
    from tolpa.ledger.api import router as ledger_router
    from tolpa.marketplace.api import router as tenders_router
    from tolpa.marketplace.shop.api import router as shop_router
    from tolpa.microtasks.api import router as microtasks_router
    from tolpa.surveys.api import router as surveys_router

    api.add_router("/", accounts_router)
    api.add_router("/campaigns", campaigns_router)
    api.add_router("/wallet", ledger_router)
    api.add_router("/crowdfunding", crowdfunding_router)
    api.add_router("/contests", contests_router)
    api.add_router("/microtasks", microtasks_router)
    api.add_router("/surveys", surveys_router)
    api.add_router("/community", community_router)
    api.add_router("/ideas", ideas_router)
    api.add_router("/tenders", tenders_router)
    api.add_router("/shop", shop_router)


_register_routers()
