"""Open tenders with search and filters, a tender's page (with the proposal form), posting a
tender, and the two dashboards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.accounts.decorators import brand_required
from tolpa.campaigns import views as campaign_views
from tolpa.campaigns.registry import Kind
from tolpa.ledger.money import CURRENCIES
from tolpa.marketplace import selectors, services
from tolpa.marketplace.forms import ProposalForm, TenderForm
from tolpa.marketplace.models import ContractStatus, Tender
from tolpa.web.service_errors import run_form_action

PAGE_SIZE = 20


def index(request):
    filters = selectors.TenderFilters.from_params(request.GET)
    page = Paginator(selectors.tenders_search(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "marketplace/_results.html" if request.htmx else "marketplace/index.html"
    return render(request, template, {
        "page": page, "filters": filters, "currencies": list(CURRENCIES),
        "query": request.GET.urlencode(),
    })  # fmt: skip


@brand_required
def create(request, organization):
    form = TenderForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        created = {}
        status = run_form_action(request, form, lambda _data: created.setdefault(
            "tender", services.tender_create(actor=request.user, organization=organization,
                                             **form.service_kwargs())))  # fmt: skip
        if status is None:
            messages.success(request, _("Your tender is published."))
            return redirect("tenders:detail", slug=created["tender"].campaign.slug)
    return render(request, "marketplace/create.html", {
        "form": form, "organization": organization,
    }, status=status or 200)  # fmt: skip


def detail(request, slug: str):
    """The job, its budget and files, the brand's rating, and the proposal form (or your
    proposal once sent). A tender campaign made before this app existed keeps the plain page."""
    if not Tender.objects.filter(campaign__slug=slug, campaign__kind=Kind.TENDER).exists():
        return campaign_views.detail(request, slug)
    tender = selectors.tender_access(actor=request.user, slug=slug)
    campaign = tender.campaign
    form = ProposalForm(request.POST or None, currency=tender.currency)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        sent = {}
        status = run_form_action(request, form, lambda d: sent.setdefault(
            "proposal", services.proposal_submit(actor=request.user, tender=tender, **d)))  # fmt: skip
        if status is None:
            messages.success(request, _("Your proposal is sent. Only you and the brand see it."))
            return redirect("tenders:proposal", pk=sent["proposal"].pk)
        tender.refresh_from_db()
    is_brand = services.is_brand_member(request.user, campaign.organization_id)
    mine = selectors.proposal_of(actor=request.user, tender=tender)
    rating, rating_count = selectors.rating_of(
        selectors.reviews_of_brand(organization=campaign.organization)
    )
    return render(request, "marketplace/detail.html", {
        "tender": tender, "campaign": campaign, "form": form, "is_brand": is_brand, "mine": mine,
        "problem": None if mine or is_brand else services.submit_problem(tender, request.user),
        "rating": rating, "rating_count": rating_count,
    }, status=status or 200)  # fmt: skip


@brand_required
def brand_dashboard(request, organization):
    """The brand you act for: its tenders, contracts and what it spent."""
    contracts = selectors.contracts_of_brand(organization=organization)
    return render(request, "marketplace/brand_dashboard.html", {
        "organization": organization,
        "tenders": selectors.brand_tenders(organization=organization)[:50],
        "active": contracts.filter(status=ContractStatus.ACTIVE)[:50],
        "completed": contracts.filter(status=ContractStatus.COMPLETED)[:50],
        "spend": selectors.brand_spend(organization=organization),
    })  # fmt: skip


@login_required
def freelancer_dashboard(request):
    """Your proposals, contracts and earnings."""
    contracts = selectors.contracts_of_freelancer(user=request.user)
    rating, rating_count = selectors.rating_of(selectors.reviews_of_freelancer(user=request.user))
    return render(request, "marketplace/freelancer_dashboard.html", {
        "proposals": selectors.proposals_of_freelancer(user=request.user)[:50],
        "active": contracts.filter(status=ContractStatus.ACTIVE)[:50],
        "completed": contracts.filter(status=ContractStatus.COMPLETED)[:50],
        "earnings": selectors.freelancer_earnings(user=request.user),
        "rating": rating, "rating_count": rating_count,
    })  # fmt: skip
