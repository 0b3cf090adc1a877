from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.ideas.conftest import png
from tolpa.ideas import reviews, services
from tolpa.ideas.models import Challenge, Idea

pytestmark = pytest.mark.django_db


def _url(name, challenge, *args):
    return reverse(f"ideas:{name}", args=[challenge.campaign.slug, *args])


def test_pages_render(client, challenge, user, post_idea, owner, make_user):
    idea = post_idea(challenge, user, tags=["refill"])
    assert client.get(reverse("ideas:list")).status_code == 200
    client.force_login(make_user())
    page = client.get(_url("detail", challenge))
    assert page.status_code == 200
    assert idea.title in page.content.decode()
    assert 'hx-trigger="keyup changed delay:300ms"' in page.content.decode()
    for sort in ("top", "trending", "new", "bogus"):
        assert (
            client.get(
                _url("detail", challenge), {"sort": sort, "q": "refill", "tag": "refill"}
            ).status_code
            == 200
        )
    assert client.get(_url("idea", challenge, 1)).status_code == 200
    client.logout()
    assert client.get(_url("dashboard", challenge)).status_code == 302
    client.force_login(user)
    assert client.get(_url("dashboard", challenge)).status_code == 403
    assert client.get(_url("review", challenge)).status_code == 403
    client.force_login(owner)
    assert client.get(_url("dashboard", challenge)).status_code == 200
    csv = client.get(_url("export", challenge)).content.decode()
    assert "number,title" in csv
    assert idea.title in csv


def test_campaign_url_points_here(challenge):
    assert challenge.campaign.get_absolute_url() == _url("detail", challenge)


def test_create_page(client, owner, organization):
    client.force_login(owner)
    assert client.get(reverse("ideas:create")).status_code == 200
    now = timezone.now()
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "What should we brew next?", "audience": "public",
        "submission_ends_at": (now + timedelta(days=2)).strftime(fmt),
        "review_ends_at": (now + timedelta(days=3)).strftime(fmt),
        "voting_ends_at": (now + timedelta(days=4)).strftime(fmt),
        "vote_while_submitting": "on",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Taste", "criteria-0-weight": "5",
        "criteria-1-name": "", "criteria-1-weight": "1",
    }  # fmt: skip
    response = client.post(reverse("ideas:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = Challenge.objects.get(campaign__title="What should we brew next?")
    assert [(c.name, c.weight) for c in challenge.criteria.all()] == [("Taste", 5)]
    bad = client.post(
        reverse("ideas:create"), {**data, "review_ends_at": data["submission_ends_at"]}
    )
    assert bad.status_code == 422
    assert Challenge.objects.count() == 1
    assert client.post(_url("launch", challenge)).status_code == 302
    challenge.campaign.refresh_from_db()
    assert challenge.campaign.status == "live"


def test_submit_form_and_script_is_sanitised(client, challenge, user):
    client.force_login(user)
    body = "Hello <script>alert('x')</script> **bold** [x](javascript:alert(1))"
    response = client.post(_url("submit", challenge), {"title": "Safe?", "body": body})
    assert response.status_code == 302
    page = client.get(_url("idea", challenge, 1)).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;" in page
    assert "<strong>bold</strong>" in page


@pytest.mark.parametrize(
    ("data", "field_text"),
    [({"title": "T", "body": ""}, "This field is required"),
     ({"title": "T", "body": "x" * 1_048_576}, "at most 20000"),
     ({"title": "", "body": "b"}, "This field is required")],
)  # fmt: skip
def test_submit_form_bad_input(client, challenge, user, data, field_text):
    client.force_login(user)
    response = client.post(_url("submit", challenge), data)
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert not Idea.objects.exists()


def test_wrong_attachment_type_is_refused_with_a_message(client, challenge, user):
    client.force_login(user)
    fake = SimpleUploadedFile("evil.pdf.png", b"#!/bin/sh\nrm -rf /", content_type="image/png")
    response = client.post(
        _url("submit", challenge), {"title": "T", "body": "B", "attachments": [fake]}
    )
    assert response.status_code == 422
    assert "Attach an image (PNG, JPEG, WebP or GIF) or a PDF" in response.content.decode()
    assert not Idea.objects.exists()
    ok = client.post(_url("submit", challenge), {"title": "T", "body": "B", "attachments": [png()]})
    assert ok.status_code == 302
    assert Idea.objects.get().attachments.get().kind == "image"


def test_htmx_vote_toggle_and_similar(client, challenge, user, post_idea, make_user):
    post_idea(challenge, user, title="Refill stations for shampoo")
    client.force_login(make_user())
    response = client.post(_url("vote", challenge, 1), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "retract" in response.content.decode()
    response = client.post(
        _url("vote", challenge, 1), {"action": "retract"}, headers={"HX-Request": "true"}
    )
    assert ">0<" in response.content.decode()
    similar = client.get(_url("similar", challenge), {"title": "refill station shampoo"})
    assert "Refill stations for shampoo" in similar.content.decode()
    assert client.get(_url("similar", challenge), {"title": "zz"}).content.decode().strip() == ""


def test_merged_idea_redirects_and_says_so(client, challenge, owner, user, post_idea, make_user):
    post_idea(challenge, user, title="Keep")
    post_idea(challenge, make_user(), title="Dupe")
    client.force_login(owner)
    response = client.post(_url("merge", challenge, 2), {"target": 1})
    assert response.status_code == 302
    page = client.get(_url("idea", challenge, 2), follow=True)
    assert page.redirect_chain[-1][0].endswith(_url("idea", challenge, 1))
    assert "Idea #2 was merged into this one." in page.content.decode()
    assert client.post(_url("merge", challenge, 1), {"target": 77}).status_code == 422
    dashboard = client.get(_url("dashboard", challenge)).content.decode()
    assert "Unmerge" in dashboard
    assert client.post(_url("unmerge", challenge, 2)).status_code == 302
    assert Idea.objects.get(number=2).merged_into is None


def test_status_with_answer_shows_on_idea_page(client, challenge, owner, user, post_idea):
    post_idea(challenge, user)
    client.force_login(owner)
    bad = client.post(_url("status", challenge, 1), {"status": "declined", "answer": ""})
    assert bad.status_code == 422
    assert "Say why the idea is declined." in bad.content.decode()
    client.post(_url("status", challenge, 1), {"status": "accepted", "answer": "We will pilot it."})
    client.logout()
    page = client.get(_url("idea", challenge, 1)).content.decode()
    assert "We will pilot it." in page
    assert "Accepted" in page


def test_scores_private_to_brand_and_own_reviewer(
    client, challenge, owner, user, post_idea, make_user
):
    idea = post_idea(challenge, user)
    services.status_set(actor=owner, idea=idea, status="shortlisted")
    first, second = make_user(), make_user()
    r1 = reviews.reviewer_add(actor=owner, challenge=challenge, email=first.email)
    reviews.reviewer_add(actor=owner, challenge=challenge, email=second.email)
    impact, feasibility = challenge.criteria.all()
    client.force_login(first)
    response = client.post(_url("score", challenge, 1), {
        f"i1-c{impact.pk}": "4", f"i1-c{feasibility.pk}": "2",
    })  # fmt: skip
    assert response.status_code == 302
    assert reviews.scores_of(reviewer=r1) == {(idea.pk, impact.pk): 4, (idea.pk, feasibility.pk): 2}
    own = client.get(_url("review", challenge)).content.decode()
    assert 'value="4" selected' in own
    for viewer in (second, user, None):
        if viewer:
            client.force_login(viewer)
        else:
            client.logout()
        pages = [client.get(_url("idea", challenge, 1)), client.get(_url("detail", challenge))]
        if viewer == second:
            pages.append(client.get(_url("review", challenge)))
        for page in pages:
            assert 'value="4" selected' not in page.content.decode()
            assert "3.5" not in page.content.decode()
        assert client.get(_url("dashboard", challenge)).status_code in (302, 403)
        assert client.get(_url("export", challenge)).status_code in (302, 403)
    client.force_login(owner)
    assert "3.5" in client.get(_url("dashboard", challenge)).content.decode()


def test_internal_challenge_pages_are_404_to_outsiders(
    client, internal, owner, post_idea, make_user
):
    post_idea(internal, make_user(email="ann@acme.com", email_verified_at=timezone.now()))
    pages = [_url("detail", internal), _url("idea", internal, 1), _url("similar", internal),
             _url("dashboard", internal), _url("review", internal), _url("export", internal)]  # fmt: skip
    posts = [_url("submit", internal), _url("vote", internal, 1), _url("follow", internal, 1),
             _url("status", internal, 1), _url("merge", internal, 1), _url("launch", internal)]  # fmt: skip
    client.force_login(make_user(email="eve@other.org"))
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"title": "t", "body": "b"}).status_code == 404, url
    assert internal.campaign.title not in client.get(reverse("ideas:list")).content.decode()
    client.force_login(make_user(email="unconfirmed@acme.com"))
    assert client.get(_url("detail", internal)).status_code == 404
    client.force_login(make_user(email="carl@acme.com", email_verified_at=timezone.now()))
    assert client.get(_url("detail", internal)).status_code == 200
    assert internal.campaign.title in client.get(reverse("ideas:list")).content.decode()


def test_internal_challenge_hidden_from_discovery_and_campaign_pages(
    client, internal, challenge, make_user
):
    client.force_login(make_user(email="eve@other.org"))
    discover = client.get(reverse("campaigns:discover")).content.decode()
    assert challenge.campaign.title in discover
    assert internal.campaign.title not in discover
    from tolpa.campaigns.selectors import campaign_visible

    outsider, insider = (
        make_user(email="x@other.org"),
        make_user(email="y@acme.com", email_verified_at=timezone.now()),
    )
    assert not campaign_visible(actor=outsider, campaign=internal.campaign)
    assert campaign_visible(actor=insider, campaign=internal.campaign)


def test_challenge_page_queries_do_not_grow_with_ideas(
    client, challenge, user, post_idea, make_user, django_assert_max_num_queries
):
    for n in range(12):
        post_idea(challenge, user, title=f"Idea number {n}", tags=["t"])
    client.force_login(make_user())
    with django_assert_max_num_queries(14):
        assert client.get(_url("detail", challenge), {"sort": "trending"}).status_code == 200


def test_attachments_are_served_through_the_ideas_access_check(
    client, internal, post_idea, make_user
):
    insider = make_user(email="ann@acme.com", email_verified_at=timezone.now())
    idea = post_idea(internal, insider, attachments=[png()])
    file = idea.attachments.get()
    url = reverse("ideas:attachment", args=[internal.campaign.slug, idea.number, file.pk])
    client.force_login(insider)
    page = client.get(_url("idea", internal, idea.number)).content.decode()
    assert f'src="{url}"' in page
    assert file.file.url not in page
    served = client.get(url)
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert client.get(url.replace(f"/{file.pk}/", f"/{file.pk + 1}/")).status_code == 404
    client.force_login(make_user(email="eve@elsewhere.org"))
    assert client.get(url).status_code == 404
