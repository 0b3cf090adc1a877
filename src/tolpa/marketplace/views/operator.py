"""The operators' dispute desk (staff accounts): open disputes oldest first, and one
dispute with both sides' story, the deliveries and the decision form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.marketplace import selectors, services
from tolpa.marketplace.forms import DecisionForm
from tolpa.marketplace.models import Dispute
from tolpa.web.service_errors import run_form_action


def _require_operator(request) -> None:
    if not services.is_operator(request.user):
        raise PermissionDenied


@login_required
def disputes(request):
    _require_operator(request)
    return render(request, "marketplace/disputes.html", {
        "open": selectors.disputes_open()[:200], "decided": selectors.disputes_decided()[:50],
    })  # fmt: skip


@login_required
def dispute(request, pk: int):
    _require_operator(request)
    item = (
        Dispute.objects.select_related(
            "milestone__contract__tender__campaign", "milestone__contract__freelancer",
            "milestone__contract__organization", "opened_by", "decided_by",
        ).filter(pk=pk).first()
    )  # fmt: skip
    if item is None:
        raise Http404
    milestone = item.milestone
    form = DecisionForm(request.POST or None, currency=milestone.contract.currency)
    status = 200
    if request.method == "POST":
        status = run_form_action(request, form, lambda d: services.dispute_decide(
            actor=request.user, milestone=milestone, **d))  # fmt: skip
        if status is None:
            messages.success(request, _("Decided. The money has moved."))
            return redirect("tenders:dispute", pk=pk)
    return render(request, "marketplace/dispute.html", {
        "dispute": item, "milestone": milestone, "contract": milestone.contract, "form": form,
        "deliveries": selectors.deliveries_of(milestone),
    }, status=status or 200)  # fmt: skip
