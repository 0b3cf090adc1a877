from django.urls import path

from tolpa.microtasks import views

app_name = "microtasks"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.create, name="create"),
    path("me/", views.mine, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/work/", views.work, name="work"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/batches/<int:batch_id>/results.csv", views.results_csv, name="results_csv"),
    path(
        "<slug:slug>/batches/<int:batch_id>/results.json", views.results_json, name="results_json"
    ),
]
