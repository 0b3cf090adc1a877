from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tolpa.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:login"),
        ),
        name="password_reset_confirm",
    ),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("email/send/", views.email_verification_send, name="email_verification_send"),
    path("email/verify/<str:token>/", views.email_verify, name="email_verify"),
    path("u/<int:pk>/", views.profile, name="profile"),
    path("brands/new/", views.organization_create, name="organization_create"),
    path("brands/switch/", views.organization_switch, name="organization_switch"),
    path("brands/<slug:slug>/", views.organization_detail, name="organization"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
