from django.urls import path

from tolpa.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.discover, name="discover"),
    path("brand/campaigns/", views.brand_campaigns, name="brand_list"),
    path("brand/campaigns/new/", views.campaign_create, name="create"),
    path("c/<slug:slug>/", views.detail, name="detail"),
    path("c/<slug:slug>/launch/", views.launch, name="launch"),
    path("c/<slug:slug>/cancel/", views.cancel, name="cancel"),
]
