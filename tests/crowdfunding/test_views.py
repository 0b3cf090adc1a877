import pytest
from django.urls import reverse

from tests.crowdfunding.conftest import balance, end_now
from tolpa.crowdfunding import services
from tolpa.crowdfunding.models import Project

pytestmark = pytest.mark.django_db


def test_brand_creates_adds_tier_and_launches(client, owner, organization):
    client.force_login(owner)
    response = client.post(reverse("crowdfunding:create"), {
        "title": "Board game", "goal": "5000", "currency": "USD", "duration_days": 20,
        "funding_model": "all_or_nothing", "language": "en", "spending_plan": "Printing: 3000\nShipping: 2000",
    })  # fmt: skip
    project = Project.objects.get()
    assert response.url == reverse("crowdfunding:dashboard", args=[project.campaign.slug])
    assert project.goal == 500_000
    assert [c.planned for c in project.spending_plan.all()] == [300_000, 200_000]
    dashboard = reverse("crowdfunding:dashboard", args=[project.campaign.slug])
    client.post(
        dashboard, {"action": "tier", "title": "Copy", "minimum": "40", "quantity_limit": "100"}
    )
    client.post(dashboard, {"action": "launch"})
    project.campaign.refresh_from_db()
    assert project.campaign.status == "live"
    assert project.tiers.get().minimum == 4_000


@pytest.mark.parametrize(
    "data", [{"duration_days": 61}, {"goal": "0"}, {"goal": "12.345"}, {"spending_plan": "oops"}]
)
def test_create_bad_input(client, owner, organization, data):
    client.force_login(owner)
    body = {"title": "X", "goal": "100", "currency": "USD", "duration_days": 20, "funding_model": "flexible",
            "language": "en", **data}  # fmt: skip
    response = client.post(reverse("crowdfunding:create"), body)
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_detail_page_shows_progress_tiers_and_pledge_flow(client, project, backer):
    alice = backer(display_name="Alice Backer")
    client.force_login(alice)
    url = project.campaign.get_absolute_url()
    lamp = project.tiers.get(title="Lamp").pk
    client.post(
        reverse("crowdfunding:pledge", args=[project.campaign.slug]), {"amount": "25", "tier": lamp}
    )
    page = client.get(url).content.decode()
    assert "25.00 USD" in page
    assert "1 of 2 left" in page
    assert "Alice Backer" in page
    assert "<svg" in page
    refused = client.post(reverse("crowdfunding:pledge", args=[project.campaign.slug]), {"amount": "1", "tier": lamp},
                          follow=True)  # fmt: skip
    assert "minimum" in refused.content.decode()
    client.post(reverse("crowdfunding:cancel", args=[project.campaign.slug]))
    assert balance(alice) == 10_000


def test_anonymous_backer_hidden(client, project, backer):
    services.pledge_set(
        actor=backer(display_name="Hidden Person"), project=project, amount=500, anonymous=True
    )
    page = client.get(project.campaign.get_absolute_url()).content.decode()
    assert "Hidden Person" not in page
    assert "Anonymous" in page


def test_dashboard_is_for_the_brand_only(client, project, user, owner):
    url = reverse("crowdfunding:dashboard", args=[project.campaign.slug])
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("crowdfunding:pledges_csv", args=[project.campaign.slug])).status_code
        == 403
    )
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_csv_export_and_settlement_report(client, project, owner, backer):
    services.pledge_set(actor=backer(), project=project, amount=10_000)
    end_now(project)
    services.project_settle(project_id=project.pk)
    client.force_login(owner)
    body = client.get(
        reverse("crowdfunding:pledges_csv", args=[project.campaign.slug])
    ).content.decode()
    assert body.splitlines()[1].split(",")[6] == "charged"
    assert (
        "Charged"
        in client.get(
            reverse("crowdfunding:dashboard", args=[project.campaign.slug])
        ).content.decode()
    )


def test_discovery_links_to_crowdfunding_page(client, project):
    assert project.campaign.get_absolute_url() in client.get("/").content.decode()


def test_generic_form_redirects_crowdfunding_to_its_own_page(client, owner, organization):
    client.force_login(owner)
    assert client.get(reverse("campaigns:create") + "?kind=crowdfunding").url == reverse(
        "crowdfunding:create"
    )


def test_detail_query_count(client, project, backer, django_assert_max_num_queries):
    for _ in range(5):
        services.pledge_set(actor=backer(), project=project, amount=600)
    with django_assert_max_num_queries(20):
        client.get(project.campaign.get_absolute_url())
