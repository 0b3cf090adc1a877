import pytest
from django.urls import reverse

from tolpa.community import services
from tolpa.community.models import Comment, Notification

pytestmark = pytest.mark.django_db


def test_campaign_pages_show_the_thread(client, campaign, post, user):
    post(user, "Looks **great**")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'id="comments"' in page
    assert "<strong>great</strong>" in page
    assert "Log in to comment" in page
    assert 'id="comment-form"' not in page
    client.force_login(user)
    assert 'id="comment-form"' in client.get(campaign.get_absolute_url()).content.decode()


def test_every_campaign_kind_includes_the_thread():
    from pathlib import Path

    import tolpa

    root = Path(tolpa.__file__).parent
    for app in ("campaigns", "crowdfunding", "contests", "microtasks"):
        text = (root / app / "templates" / app / "detail.html").read_text()
        assert '{% include "community/_thread.html" with campaign=campaign %}' in text


def test_post_with_a_normal_form_redirects_back(client, campaign, user):
    client.force_login(user)
    response = client.post(reverse("community:post", args=[campaign.slug]), {"body": "Hello"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{campaign.get_absolute_url()}#comment-{comment.pk}"


def test_post_with_htmx_returns_the_section(client, campaign, user):
    client.force_login(user)
    url = reverse("community:post", args=[campaign.slug])
    response = client.post(url, {"body": "Via HTMX"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="card comments" id="comments">')
    assert "Via HTMX" in html
    bad = client.post(url, {"body": "x" * 10_001}, headers={"HX-Request": "true"})
    assert "at most 10000 characters" in bad.content.decode()
    assert Comment.objects.count() == 1


def test_bad_post_without_js_shows_a_message_and_saves_nothing(client, campaign, user):
    client.force_login(user)
    response = client.post(
        reverse("community:post", args=[campaign.slug]), {"body": "  "}, follow=True
    )
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_post_goes_to_login(client, campaign):
    response = client.post(reverse("community:post", args=[campaign.slug]), {"body": "hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Comment.objects.exists()


def test_hide_through_the_page_and_the_moderation_log(
    client, campaign, post, user, owner, make_user
):
    comment = post(user, "Spammy text")
    client.force_login(make_user())
    forbidden = client.post(reverse("community:hide", args=[comment.pk]), {"reason": "spam"})
    assert forbidden.status_code == 403
    client.force_login(owner)
    client.post(reverse("community:hide", args=[comment.pk]), {"reason": "Advertising"})
    client.logout()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Hidden by moderator: Advertising" in page
    assert "Spammy text" not in page
    log = client.get(reverse("community:moderation_log", args=[campaign.slug])).content.decode()
    assert "Advertising" in log
    assert "Brand Owner" in log
    assert f"#comment-{comment.pk}" in log


def test_bell_and_notifications_page(client, post, user, owner, django_assert_max_num_queries):
    root = post(user, "Question?")
    post(owner, "Answer", parent=root)
    client.force_login(user)
    page = client.get(reverse("community:notifications")).content.decode()
    assert 'id="notification-bell"' in page
    assert '<span class="count">1</span>' in page
    assert "New reply to your comment" in page
    client.post(reverse("community:notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_thread_queries_do_not_grow_with_comments(
    client, campaign, post, make_user, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(campaign.get_absolute_url())
        return len(ctx.captured_queries)

    root = post(make_user(), "first @User 1")
    few = count_queries()
    for n in range(8):
        reply = post(make_user(), f"reply {n}", parent=root)
        services.comment_edit(actor=reply.author, comment_id=reply.pk, body=f"edited {n}")
    assert count_queries() == few


def test_anonymous_pages_add_no_notification_query(client, campaign, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(campaign.get_absolute_url())
    assert not any("community_notification" in q["sql"] for q in ctx.captured_queries)
