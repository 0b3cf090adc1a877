import pytest

from tolpa.web.markdown import render_markdown


def test_markdown_renders_and_strips_dangerous_html():
    html = render_markdown("**hi** <script>x()</script> [a](http://example.com) ![i](javascript:1)")
    assert "<strong>hi</strong>" in html
    assert "<script>" not in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'href="javascript' not in html
    assert 'src="javascript' not in html


def test_markdown_handles_empty():
    assert render_markdown("") == ""


@pytest.mark.django_db
def test_404_page_has_no_traceback(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_api_404_uses_error_shape(client):
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


@pytest.mark.django_db
def test_health(client):
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.django_db
def test_admin_pages_render_for_operator(admin_client, make_campaign):
    make_campaign()
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/organization/",
        "/admin/campaigns/campaign/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/invitation/",
        "/admin/accounts/membership/",
        "/admin/campaigns/tag/",
        "/admin/campaigns/campaign/?q=logo&kind__exact=contest",
    ):
        assert admin_client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_demo_command_is_idempotent():
    from django.core.management import call_command

    from tolpa.accounts.models import User
    from tolpa.campaigns.models import Campaign

    call_command("demo")
    counts = (User.objects.count(), Campaign.objects.count())
    call_command("demo")
    assert (User.objects.count(), Campaign.objects.count()) == counts
    assert Campaign.objects.filter(status="live").count() == 6
