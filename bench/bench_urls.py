"""Tolpa's URLs plus /bench/empty/: the cheapest response Django can give, the baseline
every endpoint's throughput is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def empty(request):
    return HttpResponse(b"")


urlpatterns = [path("bench/empty/", empty), path("", include("tolpa.urls"))]
