"""Error pages (never a traceback) and a health check for load balancers."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error_page(request, status: int, title: str, message: str = ""):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": {
                    "code": title.lower().replace(" ", "_"),
                    "message": message or title,
                    "fields": {},
                }
            },
            status=status,
        )
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def not_found(request, exception=None):
    return _error_page(request, 404, "Not found")


def forbidden(request, exception=None):
    return _error_page(request, 403, "Forbidden")


def bad_request(request, exception=None):
    return _error_page(request, 400, "Bad request")


def server_error(request):
    return _error_page(request, 500, "Server error")
