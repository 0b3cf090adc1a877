from django.shortcuts import render

from tolpa.errors import ServiceError


class ServiceErrorMiddleware:
    """A service error that escapes a page view becomes a friendly page with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ServiceError):
            return render(
                request,
                "error.html",
                {"status": exception.status, "title": exception.message, "message": ""},
                status=exception.status,
            )
        return None
