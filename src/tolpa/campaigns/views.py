from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from tolpa.accounts.decorators import brand_required
from tolpa.accounts.selectors import organization_access
from tolpa.campaigns import selectors, services
from tolpa.campaigns.registry import Kind, plugin_for
from tolpa.campaigns.selectors import DiscoveryFilters, Sort
from tolpa.errors import ServiceError

PAGE_SIZE = 12


def discover(request):
    filters = DiscoveryFilters.from_params(request.GET)
    page = Paginator(selectors.campaign_list_discover(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "filters": filters,
        "page": page,
        "kinds": Kind.choices,
        "sorts": [
            (Sort.ENDING_SOON, _("Ending soon")),
            (Sort.NEWEST, _("Newest")),
            (Sort.POPULAR, _("Most participants")),
        ],
    }
    template = "campaigns/_results.html" if request.htmx else "campaigns/discover.html"
    return render(request, template, context)


def detail(request, slug: str):
    campaign = selectors.campaign_access(actor=request.user, slug=slug)
    is_member = (
        request.user.is_authenticated
        and campaign.organization.memberships.filter(user=request.user).exists()
    )
    return render(request, "campaigns/detail.html", {"campaign": campaign, "is_member": is_member})


@brand_required
def brand_campaigns(request, organization):
    campaigns = selectors.campaign_list_for_organization(organization=organization)
    return render(
        request, "campaigns/brand_list.html", {"organization": organization, "campaigns": campaigns}
    )


KIND_PITCHES = {
    Kind.CONTEST: _lazy("Designers and video makers compete for prizes held in escrow."),
    Kind.CROWDFUNDING: _lazy("Backers pledge toward a goal; all or nothing."),
    Kind.MICROTASKS: _lazy("Pay the crowd per task, with gold questions and review."),
    Kind.IDEAS: _lazy("Ask a question and let people post, vote and discuss ideas."),
    Kind.SURVEY: _lazy("Collect feedback and survey answers, with rewards."),
    Kind.TENDER: _lazy("Pick the best offer and pay by milestones held in escrow."),
}


@brand_required
def campaign_create(request, organization):
    """Each kind has its own create page; this one lets the brand pick the kind."""
    plugin = plugin_for(request.GET.get("kind", ""))
    if plugin is not None:
        return redirect(plugin.create_url_name)
    choices = [
        (label, KIND_PITCHES.get(value, ""), reverse(plugin_for(value).create_url_name))
        for value, label in Kind.choices
        if plugin_for(value) is not None
    ]
    return render(
        request, "campaigns/create.html", {"choices": choices, "organization": organization}
    )


def _lifecycle_action(request, slug: str, action, success: str):
    campaign = selectors.campaign_access(actor=request.user, slug=slug)
    organization_access(actor=request.user, id=campaign.organization_id)
    try:
        with transaction.atomic():
            action(actor=request.user, campaign=campaign)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(campaign)


@login_required
@require_POST
def launch(request, slug: str):
    return _lifecycle_action(request, slug, services.campaign_launch, _("The campaign is live."))


@login_required
@require_POST
def cancel(request, slug: str):
    return _lifecycle_action(
        request, slug, services.campaign_cancel, _("The campaign was cancelled.")
    )
