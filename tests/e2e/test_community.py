"""Discussion end to end: a crowd member comments on a campaign page, the brand replies
with its badge, the brand hides the first comment with a reason, another visitor sees the
reason instead of the text, and the public moderation log lists the decision."""

import pytest

from tests.e2e.conftest import expect, log_in

pytestmark = pytest.mark.e2e


def test_comment_reply_hide_and_log(new_page, make_campaign, user, owner, make_user):
    campaign = make_campaign(title="Name our bakery")
    visitor = make_user(email="visitor@example.com", display_name="Visitor")

    crowd = new_page("crowd")
    log_in(crowd, user.email)
    crowd.goto(campaign.get_absolute_url())
    section = crowd.locator("#comments")
    section.get_by_label("Comment").fill("How about **Crumb & Co**?")
    section.get_by_role("button", name="Post comment").click()
    expect(section.locator("article.comment strong")).to_have_text("Crumb & Co")

    brand = new_page("brand")
    log_in(brand, owner.email)
    brand.goto(campaign.get_absolute_url())
    first = brand.locator("#comments article.comment").first
    first.get_by_text("Reply", exact=True).click()
    first.get_by_label("Your reply").fill("Thanks, we love it!")
    first.get_by_role("button", name="Post reply").click()
    reply = brand.locator("#comments article.comment.depth-1")
    expect(reply).to_contain_text("Thanks, we love it!")
    expect(reply.locator(".badge-brand")).to_have_text("Brand")

    first = brand.locator("#comments article.comment").first
    first.get_by_text("Hide", exact=True).click()
    first.get_by_label("Public reason for hiding").fill("Trademark of another bakery")
    first.get_by_role("button", name="Hide comment").click()
    expect(brand.locator("#comments")).to_contain_text(
        "Hidden by moderator: Trademark of another bakery"
    )

    other = new_page("visitor")
    log_in(other, visitor.email)
    other.goto(campaign.get_absolute_url())
    thread = other.locator("#comments")
    expect(thread).to_contain_text("Hidden by moderator: Trademark of another bakery")
    expect(thread).not_to_contain_text("Crumb & Co")
    expect(thread).to_contain_text("Thanks, we love it!")

    other.get_by_role("link", name="Public moderation log").click()
    row = other.locator("#moderation-log tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Brand Owner")
    expect(row).to_contain_text("Hidden")
    expect(row).to_contain_text("Trademark of another bakery")
