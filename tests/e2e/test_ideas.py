"""Idea challenge end to end: a crowd member opens a live challenge, types a title like an
existing idea and sees it suggested, posts the idea anyway, votes for another one and
comments on it; the brand sets a status with a public answer, hides the comment with a
reason, and both show on the idea page."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.e2e.conftest import expect, log_in
from tolpa.ideas import services
from tolpa.ideas.models import Challenge

pytestmark = pytest.mark.e2e


def _live_challenge(owner, organization) -> Challenge:
    now = timezone.now()
    with transaction.atomic():
        challenge = services.challenge_create(
            actor=owner, organization=organization, title="How could our stores cut plastic?",
            submission_ends_at=now + timedelta(days=7), review_ends_at=now + timedelta(days=8),
            voting_ends_at=now + timedelta(days=9),
        )  # fmt: skip
        return services.challenge_launch(actor=owner, challenge=challenge)


def test_suggest_post_vote_and_answer(new_page, owner, organization, make_user):
    challenge = _live_challenge(owner, organization)
    slug = challenge.campaign.slug
    author = make_user(display_name="Ann Author")
    with transaction.atomic():
        first = services.idea_submit(
            actor=author, challenge=challenge, title="Refill stations for shampoo",
            body="Bring your own **bottle**.",
        )  # fmt: skip

    crowd = new_page("crowd")
    log_in(crowd, make_user(display_name="Carl Crowd").email)
    crowd.goto(f"/ideas/{slug}/")
    expect(crowd.locator("#challenge-stage")).to_have_text("Submission")
    form = crowd.locator("#idea-form")
    form.get_by_label("Title").press_sequentially("Refill station for shampoo", delay=20)
    expect(crowd.locator("#similar-ideas")).to_contain_text("#1 Refill stations for shampoo")
    form.get_by_label("Your idea").fill("Put a refill station next to the tills.")
    with crowd.expect_navigation():
        form.get_by_role("button", name="Post idea").click()
    expect(crowd).to_have_url(re.compile(rf"/ideas/{slug}/i/2/$"))
    expect(crowd.locator("ul.messages")).to_contain_text("Your idea is posted")

    crowd.goto(f"/ideas/{slug}/i/1/")
    vote = crowd.locator(f"#vote-{first.pk}")  # the row id, not the idea's number
    vote.get_by_role("button", name="Vote").click()
    expect(vote.locator("[data-votes]")).to_have_text("1")
    expect(vote.get_by_role("button")).to_contain_text("retract")
    comments = crowd.locator("#comments")
    comments.get_by_label("Comment").fill("Glass **bottles** would look better")
    comments.get_by_role("button", name="Post comment").click()
    expect(comments.locator("article.comment strong")).to_have_text("bottles")

    brand = new_page("brand")
    log_in(brand, owner.email)
    brand.goto(f"/ideas/{slug}/i/1/")
    status_form = brand.locator("#status-form")
    status_form.get_by_label("Status").select_option("accepted")
    status_form.get_by_label("Public answer").fill("We will pilot this in **May**.")
    with brand.expect_navigation():
        status_form.get_by_role("button", name="Save status").click()
    expect(brand.locator("ul.messages")).to_contain_text("Status updated.")
    comment = brand.locator("#comments article.comment").first
    comment.get_by_text("Hide", exact=True).click()
    comment.get_by_label("Public reason for hiding").fill("Off topic for this idea")
    comment.get_by_role("button", name="Hide comment").click()
    expect(brand.locator("#comments")).to_contain_text("Hidden by moderator: Off topic")

    crowd.reload()
    expect(crowd.locator("#idea-status")).to_have_text("Accepted")
    expect(crowd.locator("#brand-answer")).to_contain_text("We will pilot this in May.")
    expect(crowd.locator("#status-history")).to_contain_text("Accepted")
    expect(crowd.locator("#comments")).to_contain_text(
        "Hidden by moderator: Off topic for this idea"
    )
