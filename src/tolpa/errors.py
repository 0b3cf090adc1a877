"""Errors raised by services. Views turn them into form errors or messages, the API
into the one error shape `{"error": {"code", "message", "fields"}}`."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, fields: dict[str, list[str]] | None = None, code=None):
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(self.message)

    def summary(self) -> str:
        """One line for a flash message: the field messages, or the message."""
        details = [message for messages in self.fields.values() for message in messages]
        return " ".join(details) or self.message


class InvalidInput(ServiceError):
    status = 422
    code = "invalid_input"
    default_message = _("Some fields are not valid.")


class PermissionDeniedError(ServiceError):
    status = 403
    code = "forbidden"
    default_message = _("You do not have permission to do this.")


class NotFoundError(ServiceError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class ConflictError(ServiceError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")


class RateLimitedError(ServiceError):
    status = 429
    code = "rate_limited"
    default_message = _("Too many requests; wait a little.")


def fields_from_validation_error(exc) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into {field: [messages]}."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for err in errors for m in err.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}
