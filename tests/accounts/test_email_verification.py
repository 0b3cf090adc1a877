"""Email confirmation: a signed link mailed at sign-up (and again on request, at most once a
minute) marks the address verified; internal idea challenges trust only verified domains."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tolpa.accounts import services
from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, RateLimitedError

pytestmark = pytest.mark.django_db(transaction=False)

LINK = re.compile(r"/accounts/email/verify/([^/\s]+)/")


def _signup(django_capture_on_commit_callbacks, email="new@acme.com") -> User:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        return services.user_signup(email=email, password=PASSWORD, display_name="New")


def _token_from_mail() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


def test_signup_mails_a_link_that_verifies_once(django_capture_on_commit_callbacks):
    user = _signup(django_capture_on_commit_callbacks)
    assert user.email_verified_at is None
    assert mail.outbox[-1].to == ["new@acme.com"]
    token = _token_from_mail()
    with transaction.atomic():
        verified = services.email_verify(token=token)
    first = verified.email_verified_at
    assert first is not None
    with transaction.atomic():
        again = services.email_verify(token=token)
    assert again.email_verified_at == first
    with pytest.raises(ConflictError):
        services.email_verification_send(user=again)


def test_bad_expired_and_foreign_tokens_change_nothing(
    django_capture_on_commit_callbacks, monkeypatch
):
    user = _signup(django_capture_on_commit_callbacks)
    token = _token_from_mail()
    for bad in ("", "nonsense", token[:-2] + "xx"):
        with pytest.raises(InvalidInput):
            services.email_verify(token=bad)
    later = (timezone.now() + services.EMAIL_LINK_LIFETIME + timedelta(minutes=1)).timestamp()
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later)
        with pytest.raises(InvalidInput, match="expired"):
            services.email_verify(token=token)
    other = signing.dumps(
        {"user": user.pk, "email": "someone@else.org"}, salt=services.EMAIL_LINK_SALT
    )
    with pytest.raises(InvalidInput):
        services.email_verify(token=other)
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_resend_is_limited_to_one_a_minute(django_capture_on_commit_callbacks):
    user = _signup(django_capture_on_commit_callbacks)
    with pytest.raises(RateLimitedError):
        services.email_verification_send(user=user)
    assert len(mail.outbox) == 1


def test_pages_confirm_by_post_and_refuse_bad_links(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"email": "ann@acme.com", "display_name": "Ann", "password1": PASSWORD,
             "password2": PASSWORD},
        )  # fmt: skip
    url = reverse("accounts:email_verify", args=[_token_from_mail()])
    page = client.get(url)
    assert page.status_code == 200
    assert User.objects.get().email_verified_at is None
    assert client.post(url).url == reverse("accounts:profile_edit")
    assert User.objects.get().email_verified_at is not None
    assert "confirmed" in client.get(reverse("accounts:profile_edit")).content.decode()
    bad = client.post(reverse("accounts:email_verify", args=["forged"]))
    assert bad.status_code == 400
    assert "not valid" in bad.content.decode()


def test_resend_button_sends_or_explains(client, make_user, django_capture_on_commit_callbacks):
    person = make_user()
    send = reverse("accounts:email_verification_send")
    assert client.post(send).url.startswith(reverse("accounts:login"))
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    assert len(mail.outbox) == 1
    page = client.post(send, follow=True).content.decode()
    assert "a minute ago" in page
    assert len(mail.outbox) == 1


def test_api_send_needs_login_and_verify_reports_bad_tokens(
    api_client, make_user, django_capture_on_commit_callbacks
):
    assert api_client.post("/me/email-verification").status_code == 401
    person = make_user()
    api_client.login(person)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post("/me/email-verification").status_code == 202
    assert api_client.post("/me/email-verification").status_code == 429
    assert api_client.post("/email-verification", {"token": "forged"}).status_code == 422
    assert api_client.post("/email-verification", {}).status_code == 422
    verified = api_client.post("/email-verification", {"token": _token_from_mail()})
    assert verified.json()["email_verified_at"] is not None
    assert api_client.get("/me").json()["email_verified_at"] is not None
