from django.urls import path

from tolpa.community import views

app_name = "community"

urlpatterns = [
    path("community/<slug:slug>/comments/", views.thread, name="thread"),
    path("community/<slug:slug>/comments/new/", views.comment_post, name="post"),
    path("community/<slug:slug>/moderation/", views.moderation_log, name="moderation_log"),
    path("community/comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("community/comments/<int:pk>/report/", views.comment_report, name="report"),
    path("community/comments/<int:pk>/hide/", views.comment_hide, name="hide"),
    path("community/comments/<int:pk>/unhide/", views.comment_unhide, name="unhide"),
    path("community/comments/<int:pk>/appeal/", views.appeal_create, name="appeal"),
    path("community/comments/<int:pk>/appeal/decide/", views.appeal_decide, name="decide"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
