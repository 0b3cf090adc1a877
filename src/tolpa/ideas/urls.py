from django.urls import path

from tolpa.ideas import views
from tolpa.ideas import views_brand as brand

app_name = "ideas"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", brand.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/similar/", views.similar, name="similar"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/i/<int:number>/", views.idea, name="idea"),
    path("<slug:slug>/i/<int:number>/edit/", views.edit, name="edit"),
    path("<slug:slug>/i/<int:number>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/i/<int:number>/vote/", views.vote, name="vote"),
    path("<slug:slug>/i/<int:number>/follow/", views.follow, name="follow"),
    path("<slug:slug>/i/<int:number>/coauthors/", views.coauthor_invite, name="coauthor_invite"),
    path(
        "<slug:slug>/i/<int:number>/coauthors/accept/",
        views.coauthor_accept,
        name="coauthor_accept",
    ),
    path("<slug:slug>/i/<int:number>/status/", brand.status, name="status"),
    path("<slug:slug>/i/<int:number>/merge/", brand.merge, name="merge"),
    path("<slug:slug>/i/<int:number>/unmerge/", brand.unmerge, name="unmerge"),
    path("<slug:slug>/dashboard/", brand.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/launch/", brand.launch, name="launch"),
    path("<slug:slug>/dashboard/reviewers/", brand.reviewer_add, name="reviewer_add"),
    path("<slug:slug>/dashboard/ideas.csv", brand.export_csv, name="export"),
    path("<slug:slug>/review/", brand.review, name="review"),
    path("<slug:slug>/review/<int:number>/", brand.score, name="score"),
]
