"""Bad input in the browser gets a clear error and changes nothing."""

import pytest
from django.db import transaction

from tests.crowdfunding.conftest import balance
from tests.e2e.conftest import expect, log_in, sandbox_fund
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Pledge, Project

pytestmark = pytest.mark.e2e


@pytest.fixture
def project(owner, organization):
    with transaction.atomic():
        project = services.project_create(
            actor=owner, organization=organization, title="Solar lamps", goal=10_000,
            currency="USD", duration_days=30, story="Light for schools",
        )  # fmt: skip
        services.tier_create(
            actor=owner, project=project, title="Lamp", minimum=2_000, quantity_limit=2
        )
        services.project_launch(actor=owner, project=project)
    return project


def _pledge(page, amount: str, reward: str | None = None) -> None:
    form = page.locator("#pledge-form")
    form.get_by_label("Your pledge").fill(amount)
    if reward:
        form.get_by_label("Reward").select_option(label=reward)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _expect_untouched(page, project) -> None:
    expect(page.locator("#funding-stats")).to_contain_text("0.00 USD")
    expect(page.locator("#backers")).to_contain_text("Be the first to back this project.")
    expect(page.locator("main")).to_contain_text("2 of 2 left")
    expect(page.locator("#pledge-form button[type=submit]")).to_have_text("Pledge")
    assert not Pledge.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("amount", "reward", "error"),
    [
        ("5", "Lamp", "The pledge is below this reward's minimum."),
        ("abc", None, "Enter a number, such as 12.50."),
        ("1.999", None, "USD has 2 decimal places."),
        ("", None, "This field is required."),
        ("500", None, "Not enough money"),
    ],
)
def test_bad_pledge_shows_an_error_and_changes_nothing(
    page, project, make_user, amount, reward, error
):
    alice = make_user(email="alice@example.com", display_name="Alice Backer")
    sandbox_fund(alice, 10_000)
    log_in(page, alice.email)
    page.goto(project.campaign.get_absolute_url())
    _pledge(page, amount, reward)
    expect(page.locator("ul.messages .message.error")).to_contain_text(error)
    _expect_untouched(page, project)
    page.locator("header nav").get_by_role("link", name="Wallet").click()
    expect(page.locator("#balance")).to_have_text("100.00 USD")
    expect(page.locator("#statement tbody tr")).to_have_count(1)  # the top-up only
    assert balance(alice) == 10_000


def test_lowering_a_pledge_below_its_reward_is_refused(page, project, make_user):
    alice = make_user(email="alice@example.com", display_name="Alice Backer")
    sandbox_fund(alice, 10_000)
    log_in(page, alice.email)
    page.goto(project.campaign.get_absolute_url())
    _pledge(page, "30", "Lamp")
    expect(page.locator("#back-this")).to_contain_text("You pledged 30.00 USD. (Lamp)")
    # The form keeps the chosen reward; a lower amount is below its minimum.
    expect(page.locator("#pledge-form select[name=tier] option:checked")).to_have_text("Lamp")
    _pledge(page, "10")
    expect(page.locator("ul.messages .message.error")).to_contain_text(
        "The pledge is below this reward's minimum."
    )
    expect(page.locator("#back-this")).to_contain_text("You pledged 30.00 USD. (Lamp)")
    expect(page.locator("#funding-stats")).to_contain_text("30.00 USD")
    assert balance(alice) == 7_000

    # Cancelling instead returns the whole pledge and frees the reward.
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel my pledge").click()
    expect(page.locator("ul.messages")).to_contain_text(
        "Your pledge was cancelled and the money returned to your wallet."
    )
    expect(page.locator("#pledge-form button[type=submit]")).to_have_text("Pledge")
    expect(page.locator("main")).to_contain_text("2 of 2 left")
    expect(page.locator("#funding-stats")).to_contain_text("0.00 USD")
    assert balance(alice) == 10_000


def test_a_brand_cannot_back_its_own_campaign(page, project, owner):
    log_in(page, owner.email)
    page.goto(project.campaign.get_absolute_url())
    _pledge(page, "25")
    expect(page.locator("ul.messages .message.error")).to_contain_text(
        "A brand cannot back its own campaign."
    )
    _expect_untouched(page, project)


def test_bad_project_form_shows_field_errors_and_saves_nothing(page, owner, organization):
    log_in(page, owner.email)
    page.goto("/fund/new/")
    form = page.locator("main form")
    form.get_by_label("Title").fill("Broken numbers")
    form.get_by_label("Goal").fill("0")
    form.get_by_label("Duration (days)").fill("61")
    form.get_by_label("Spending plan").fill("no amount here")
    form.get_by_role("button", name="Save draft").click()

    expect(page.locator("main h1")).to_have_text("New crowdfunding campaign")
    errors = page.locator("main .field.has-error")
    expect(errors.filter(has=page.locator("#id_goal"))).to_contain_text(
        "The amount must be positive."
    )
    expect(errors.filter(has=page.locator("#id_duration_days"))).to_contain_text(
        "less than or equal to 60"
    )
    expect(errors.filter(has=page.locator("#id_spending_plan"))).to_contain_text(
        "Line 1 is not 'name: amount'."
    )
    # What was typed is kept, so it can be corrected.
    expect(form.get_by_label("Title")).to_have_value("Broken numbers")
    assert not Project.objects.exists()
