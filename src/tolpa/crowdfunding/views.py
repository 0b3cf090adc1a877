import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tolpa.accounts.decorators import brand_required
from tolpa.crowdfunding import selectors, services
from tolpa.crowdfunding.forms import (
    FulfilmentForm,
    FulfilmentStatusForm,
    PledgeForm,
    ProjectForm,
    SpendingForm,
    TierForm,
    UpdateForm,
)
from tolpa.crowdfunding.models import Fulfilment
from tolpa.errors import PermissionDeniedError, ServiceError
from tolpa.web.charts import bar_chart, line_chart
from tolpa.web.service_errors import add_service_error


def _manager_or_403(request, project):
    if not selectors.is_manager(actor=request.user, project=project):
        raise PermissionDeniedError()


@brand_required
def create(request, organization):
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                project = services.project_create(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Draft saved. Add reward tiers, then launch."))
            return redirect("crowdfunding:dashboard", slug=project.campaign.slug)
    return render(request, "crowdfunding/create.html", {"form": form, "organization": organization})


def detail(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    pledge = selectors.pledge_of(actor=request.user, project=project)
    initial = {
        "amount": "",
        "tier": pledge.tier_id if pledge else None,
        "anonymous": pledge.anonymous if pledge else False,
    }
    funding = selectors.funding_over_time(project=project)
    return render(request, "crowdfunding/detail.html", {
        "project": project,
        "campaign": project.campaign,
        "pledge": pledge,
        "pledge_form": PledgeForm(project=project, initial=initial),
        "tiers": project.tiers.all(),
        "backers": selectors.backers_public(project=project)[:50],
        "updates": selectors.updates_visible(actor=request.user, project=project),
        "spending": selectors.spending_summary(project=project),
        "chart": line_chart([(p.day.isoformat(), p.value) for p in funding], label=_("Money pledged over time")),
        "is_manager": selectors.is_manager(actor=request.user, project=project),
        "fulfilment_form": FulfilmentForm(initial=_fulfilment_initial(pledge)),
    })  # fmt: skip


def _fulfilment_initial(pledge) -> dict:
    fulfilment = getattr(pledge, "fulfilment", None) if pledge else None
    return {"address": fulfilment.address, "choice": fulfilment.choice} if fulfilment else {}


@login_required
@require_POST
def pledge(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    form = PledgeForm(request.POST, project=project)
    if form.is_valid() and form.cleaned_data["amount"]:
        try:
            with transaction.atomic():
                services.pledge_set(
                    actor=request.user, project=project, amount=form.cleaned_data["amount"],
                    tier_id=form.cleaned_data["tier"], anonymous=form.cleaned_data["anonymous"],
                )  # fmt: skip
        except ServiceError as exc:
            messages.error(request, exc.summary())
        else:
            messages.success(request, _("Thank you! Your pledge is held until the deadline."))
    else:
        messages.error(
            request, " ".join(" ".join(e) for e in form.errors.values()) or _("Enter an amount.")
        )
    return redirect(project.campaign)


@login_required
@require_POST
def cancel(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    try:
        with transaction.atomic():
            services.pledge_cancel(actor=request.user, project=project)
    except ServiceError as exc:
        messages.error(request, exc.summary())
    else:
        messages.success(
            request, _("Your pledge was cancelled and the money returned to your wallet.")
        )
    return redirect(project.campaign)


@login_required
@require_POST
def fulfilment(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    form = FulfilmentForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.fulfilment_answer(actor=request.user, project=project, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.summary())
        else:
            messages.success(request, _("Thanks, your reward details are saved."))
    return redirect(project.campaign)


@login_required
def dashboard(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    _manager_or_403(request, project)
    # Three forms on one page share field names; each gets its own ids so labels name their field.
    ids = {"tier": "id_tier_%s", "update": "id_update_%s", "spending": "id_spending_%s"}
    forms = {
        "tier_form": TierForm(currency=project.currency, auto_id=ids["tier"]),
        "update_form": UpdateForm(auto_id=ids["update"]),
        "spending_form": SpendingForm(project=project, auto_id=ids["spending"]),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "tier":
            forms["tier_form"] = form = TierForm(
                request.POST, currency=project.currency, auto_id=ids["tier"]
            )
            call = lambda data: services.tier_create(actor=request.user, project=project, **data)  # noqa: E731
        elif action == "update":
            forms["update_form"] = form = UpdateForm(request.POST, auto_id=ids["update"])
            call = lambda data: services.update_post(actor=request.user, project=project, **data)  # noqa: E731
        elif action == "spending":
            forms["spending_form"] = form = SpendingForm(
                request.POST, request.FILES, project=project, auto_id=ids["spending"]
            )
            call = lambda data: services.spending_record(  # noqa: E731
                actor=request.user,
                project=project,
                currency=project.currency,
                category_id=data.pop("category"),
                **data,
            )
        elif action == "launch":
            form, call = (
                None,
                lambda _data: services.project_launch(actor=request.user, project=project),
            )
        else:
            return redirect("crowdfunding:dashboard", slug=slug)
        if form is None or form.is_valid():
            try:
                with transaction.atomic():
                    call(dict(form.cleaned_data) if form else {})
            except ServiceError as exc:
                if form is None:
                    messages.error(request, exc.summary())
                else:
                    add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("crowdfunding:dashboard", slug=slug)
    per_day = selectors.pledges_per_day(project=project)
    return render(request, "crowdfunding/dashboard.html", {
        "project": project, "campaign": project.campaign, **forms,
        "per_day_chart": bar_chart([(p.day.isoformat(), p.value) for p in per_day], label=_("Pledges per day")),
        "tiers": selectors.tier_breakdown(project=project),
        "spending": selectors.spending_summary(project=project),
        "report": selectors.settlement_report(project=project)[:200],
        "updates": project.updates.all(),
        "status_form": FulfilmentStatusForm(),
    })  # fmt: skip


@login_required
@require_POST
def fulfilment_status(request, slug: str, pk: int):
    project = selectors.project_access(actor=request.user, slug=slug)
    _manager_or_403(request, project)
    fulfilment_row = get_object_or_404(Fulfilment, pk=pk, pledge__project=project)
    form = FulfilmentStatusForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            services.fulfilment_set_status(
                actor=request.user, fulfilment=fulfilment_row, status=form.cleaned_data["status"]
            )
    return redirect("crowdfunding:dashboard", slug=slug)


@login_required
def pledges_csv(request, slug: str):
    project = selectors.project_access(actor=request.user, slug=slug)
    _manager_or_403(request, project)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pledges-{slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["pledge", "backer", "email", "tier", "amount_minor", "currency", "status", "created_utc",
                     "address", "choice", "fulfilment"])  # fmt: skip
    for row in (
        selectors.settlement_report(project=project)
        .select_related("fulfilment")
        .iterator(chunk_size=1000)
    ):
        fulfil = getattr(row, "fulfilment", None)
        writer.writerow([
            row.pk, row.backer.display_name, row.backer.email, row.tier.title if row.tier else "", row.amount,
            project.currency, row.status, row.created_at.isoformat(), fulfil.address if fulfil else "",
            fulfil.choice if fulfil else "", fulfil.status if fulfil else "",
        ])  # fmt: skip
    return response
