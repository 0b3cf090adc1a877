from django.urls import path

from tolpa.contests import views

app_name = "contests"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/nda/", views.nda_accept, name="nda"),
    path("<slug:slug>/enter/", views.enter, name="enter"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/vote/pair/", views.pair_vote, name="pair_vote"),
    path("<slug:slug>/winners/", views.winners, name="winners"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/entries/<int:number>/", views.entry, name="entry"),
    path("<slug:slug>/awards/<int:pk>/", views.award, name="award"),
]
