from django.urls import path

from tolpa.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/results.csv", views.results_csv, name="results_csv"),
    path(
        "<slug:slug>/dashboard/answers/<int:question_id>/",
        views.text_answers,
        name="text_answers",
    ),
]
