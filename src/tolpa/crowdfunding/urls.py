from django.urls import path

from tolpa.crowdfunding import views

app_name = "crowdfunding"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/pledge/", views.pledge, name="pledge"),
    path("<slug:slug>/pledge/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/reward/", views.fulfilment, name="fulfilment"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/pledges.csv", views.pledges_csv, name="pledges_csv"),
    path(
        "<slug:slug>/dashboard/fulfilment/<int:pk>/",
        views.fulfilment_status,
        name="fulfilment_status",
    ),
]
