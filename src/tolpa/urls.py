from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from tolpa.accounts.views import language_set
from tolpa.api import api
from tolpa.web import views as web_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/setlang/", language_set, name="set_language"),
    path("health/", web_views.health, name="health"),
    path("accounts/", include("tolpa.accounts.urls")),
    path("", include("tolpa.ledger.urls")),
    path("fund/", include("tolpa.crowdfunding.urls")),
    path("contests/", include("tolpa.contests.urls")),
    path("tasks/", include("tolpa.microtasks.urls")),
    path("surveys/", include("tolpa.surveys.urls")),
    path("ideas/", include("tolpa.ideas.urls")),
    path("tenders/", include("tolpa.marketplace.urls")),
    path("shop/", include("tolpa.marketplace.shop.urls")),
    path("", include("tolpa.community.urls")),
    path("", include("tolpa.campaigns.urls")),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler404 = "tolpa.web.views.not_found"
handler500 = "tolpa.web.views.server_error"
handler403 = "tolpa.web.views.forbidden"
handler400 = "tolpa.web.views.bad_request"
