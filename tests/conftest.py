import io
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tolpa.accounts import services as account_services
from tolpa.accounts.models import User
from tolpa.campaigns import services as campaign_services

PASSWORD = "Correct-Horse-42-Battery"


def _backend_lines():
    from django.conf import settings

    db = settings.DATABASES["default"]
    test_name = (db.get("TEST") or {}).get("NAME") or db["NAME"]
    return [
        f"tolpa database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or test_name})",
        f"tolpa redis: {settings.REDIS_URL or 'not configured (jobs in-process)'}",
    ]


def pytest_report_header(config):
    return _backend_lines()


def pytest_terminal_summary(terminalreporter):
    for line in _backend_lines():
        terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # rate-limit counters must not leak from one test into the next


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(email=None, display_name=None, password=PASSWORD, **extra) -> User:
        n = next(counter)
        return User.objects.create_user(
            email or f"user{n}@example.com",
            password,
            display_name=display_name or f"User {n}",
            **extra,
        )

    return make


@pytest.fixture
def user(make_user):
    return make_user(email="crowd@example.com", display_name="Crowd Member")


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.com", display_name="Brand Owner")


@pytest.fixture
def organization(owner):
    return account_services.organization_create(owner=owner, name="Acme Brand")


@pytest.fixture
def other_organization(make_user):
    stranger = make_user(email="stranger-owner@example.com")
    return account_services.organization_create(owner=stranger, name="Other Brand")


@pytest.fixture
def make_campaign(organization, owner):
    def make(
        *,
        launch=True,
        kind="tender",
        title="Logo for a bakery",
        days=5,
        org=None,
        actor=None,
        **extra,
    ):
        org = org or organization
        actor = actor or org.memberships.first().user
        with transaction.atomic():
            campaign = campaign_services.campaign_create(
                actor=actor,
                organization=org,
                kind=kind,
                title=title,
                ends_at=timezone.now() + timedelta(days=days),
                **extra,
            )
            if launch:
                campaign = campaign_services.campaign_launch(actor=actor, campaign=campaign)
        return campaign

    return make


@pytest.fixture
def api_client(client):
    """A Django test client that speaks JSON."""

    class JsonClient:
        def __init__(self, inner):
            self.inner = inner
            self.headers = {}

        def login(self, user):
            self.inner.force_login(user)

        def use_token(self, secret):
            self.headers = {"Authorization": f"Bearer {secret}"}

        def _call(self, method, path, data=None):
            kwargs = {"headers": self.headers}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            return getattr(self.inner, method)(f"/api/v1{path}", **kwargs)

        def get(self, path, **params):
            return self.inner.get(f"/api/v1{path}", params, headers=self.headers)

        def post(self, path, data=None):
            return self._call("post", path, data if data is not None else {})

        def patch(self, path, data):
            return self._call("patch", path, data)

        def delete(self, path):
            return self._call("delete", path)

    return JsonClient(client)


def png_bytes(size=(8, 8), image_format="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def expire(campaign) -> None:
    """Move a campaign's window into the past without running any job."""
    from tolpa.campaigns.models import Campaign

    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(seconds=1)
    )
    campaign.refresh_from_db()
