"""The deal pages: the brand's list of proposals, one proposal with its private thread, and
the contract with its milestones. Each page's POST names an `action`; the service decides
whether the actor may do it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.marketplace import selectors, services
from tolpa.marketplace.forms import (
    DeclineForm,
    DeliveryForm,
    DisputeForm,
    FeedbackForm,
    MessageForm,
    MilestoneForm,
    ProposalForm,
    ReviewForm,
    major_units,
)
from tolpa.marketplace.models import AUTO_RELEASE_DAYS, Delivery, ProposalStatus
from tolpa.marketplace.services import AUTO_RELEASE_AFTER
from tolpa.web.service_errors import run_form_action


@login_required
def tender_proposals(request, slug: str):
    """For the brand: every live proposal, shortlisted first, then cheapest."""
    tender = selectors.tender_manage(actor=request.user, slug=slug)
    shortlisted_only = request.GET.get("shortlisted") == "1"
    if request.method == "POST" and request.POST.get("action") == "close":
        status = run_form_action(request, None, lambda _d: services.tender_close(
            actor=request.user, tender=tender))  # fmt: skip
        if status is None:
            messages.success(request, _("The tender no longer takes proposals."))
        return redirect("tenders:proposals", slug=slug)
    return render(request, "marketplace/proposals.html", {
        "tender": tender, "campaign": tender.campaign, "shortlisted_only": shortlisted_only,
        "proposals": selectors.proposals_for_brand(tender=tender, shortlisted_only=shortlisted_only),
    })  # fmt: skip


def _proposal_action(request, proposal, action):
    """Run one posted action; returns (status or None, the bound form to show again)."""
    actor = request.user
    if action == "message":
        form = MessageForm(request.POST)
        return run_form_action(request, form, lambda d: services.message_post(
            actor=actor, proposal=proposal, body=d["body"])), form  # fmt: skip
    if action == "edit":
        form = ProposalForm(request.POST, currency=proposal.tender.currency)
        return run_form_action(request, form, lambda d: services.proposal_edit(
            actor=actor, proposal=proposal, **d)), form  # fmt: skip
    if action == "withdraw":
        return run_form_action(request, None, lambda _d: services.proposal_withdraw(
            actor=actor, proposal=proposal)), None  # fmt: skip
    if action in ("shortlist", "unshortlist"):
        return run_form_action(request, None, lambda _d: services.proposal_shortlist(
            actor=actor, proposal=proposal, shortlisted=action == "shortlist")), None  # fmt: skip
    if action == "award":
        return run_form_action(request, None, lambda _d: services.proposal_award(
            actor=actor, proposal=proposal)), None  # fmt: skip
    if action == "decline":
        form = DeclineForm(request.POST)
        return run_form_action(request, form, lambda d: services.proposal_decline(
            actor=actor, proposal=proposal, reason=d["reason"])), form  # fmt: skip
    return 400, None


@login_required
def proposal(request, pk: int):
    """One proposal: its terms and private thread; the author edits or withdraws it, the
    brand shortlists, asks, awards or declines."""
    item = selectors.proposal_access(actor=request.user, id=pk)
    message_form, decline_form = MessageForm(), DeclineForm()
    edit_form = ProposalForm(currency=item.tender.currency, initial={
        "price": major_units(item.price, item.tender.currency), "days": item.days, "cover_letter": item.cover_letter,
        "portfolio_links": "\n".join(item.portfolio_links),
    })  # fmt: skip
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        status, bound = _proposal_action(request, item, action)
        if status is None:
            contract = selectors.contract_of_proposal(item) if action == "award" else None
            if contract:
                messages.success(request, _("Awarded. Fund the first milestone to start the work."))
                return redirect("tenders:contract", pk=contract.pk)
            messages.success(request, _("Saved."))
            return redirect("tenders:proposal", pk=pk)
        if action == "message":
            message_form = bound
        elif action == "decline":
            decline_form = bound
        elif action == "edit":
            edit_form = bound
        item = selectors.proposal_access(actor=request.user, id=pk)
    is_brand = services.is_brand_member(request.user, item.tender.campaign.organization_id)
    return render(request, "marketplace/proposal.html", {
        "proposal": item, "tender": item.tender, "campaign": item.tender.campaign,
        "is_brand": is_brand, "is_author": request.user.pk == item.freelancer_id,
        "thread": item.messages.select_related("author"), "message_form": message_form,
        "decline_form": decline_form,
        "edit_form": edit_form, "can_change": item.status == ProposalStatus.SUBMITTED
        and item.tender.campaign.is_open(),
        "contract": selectors.contract_of_proposal(item),
    }, status=status or 200)  # fmt: skip


def _milestone_action(request, contract, action):
    actor = request.user
    milestone = None
    if request.POST.get("milestone"):
        try:
            milestone = contract.milestones.filter(pk=int(request.POST["milestone"])).first()
        except ValueError:
            milestone = None
        if milestone is None:
            raise Http404
        milestone.contract = contract
    simple = {
        "fund": services.milestone_fund,
        "accept": services.milestone_accept,
        "remove": services.milestone_remove,
    }
    if action in simple and milestone is not None:
        return run_form_action(request, None, lambda _d: simple[action](
            actor=actor, milestone=milestone)), None  # fmt: skip
    if action == "add":
        form = MilestoneForm(request.POST, currency=contract.currency)
        return run_form_action(request, form, lambda d: services.milestone_add(
            actor=actor, contract=contract, **d)), form  # fmt: skip
    if action == "deliver" and milestone is not None:
        form = DeliveryForm(request.POST, request.FILES)
        return run_form_action(request, form, lambda d: services.milestone_deliver(
            actor=actor, milestone=milestone, message=d["message"], upload=d["file"])), form  # fmt: skip
    if action == "changes" and milestone is not None:
        form = FeedbackForm(request.POST)
        return run_form_action(request, form, lambda d: services.milestone_request_changes(
            actor=actor, milestone=milestone, feedback=d["feedback"])), form  # fmt: skip
    if action == "dispute" and milestone is not None:
        form = DisputeForm(request.POST)
        return run_form_action(request, form, lambda d: services.dispute_open(
            actor=actor, milestone=milestone, reason=d["reason"])), form  # fmt: skip
    if action == "review":
        form = ReviewForm(request.POST)
        return run_form_action(request, form, lambda d: services.review_leave(
            actor=actor, contract=contract, rating=d["rating"], text=d["text"])), form  # fmt: skip
    return 400, None


@login_required
def contract(request, pk: int):
    """The contract: milestones with what each side may do now, deliveries, disputes and,
    once completed, the reviews."""
    item = selectors.contract_access(actor=request.user, id=pk)
    forms = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        status, bound = _milestone_action(request, item, action)
        if status is None:
            messages.success(request, _("Saved."))
            return redirect("tenders:contract", pk=pk)
        forms[action] = bound
        forms["failed_milestone"] = request.POST.get("milestone", "")
        item = selectors.contract_access(actor=request.user, id=pk)
    is_brand = services.is_brand_member(request.user, item.organization_id)
    is_freelancer = request.user.pk == item.freelancer_id
    milestones = list(
        item.milestones.order_by("position")
        .select_related("dispute")
        .prefetch_related("deliveries")
    )
    for milestone in milestones:
        milestone.contract = item
        milestone.auto_release_at = (
            milestone.delivered_at + AUTO_RELEASE_AFTER if milestone.delivered_at else None
        )
    side = services.review_side(request.user, item)
    reviews = list(item.reviews.select_related("author"))
    return render(request, "marketplace/contract.html", {
        "contract": item, "campaign": item.tender.campaign, "milestones": milestones,
        "is_brand": is_brand, "is_freelancer": is_freelancer, "reviews": reviews,
        "can_review": item.status == "completed" and side
        and not any(r.side == side for r in reviews),
        "milestone_form": forms.get("add") or MilestoneForm(currency=item.currency),
        "delivery_form": forms.get("deliver") or DeliveryForm(),
        "feedback_form": forms.get("changes") or FeedbackForm(),
        "dispute_form": forms.get("dispute") or DisputeForm(),
        "review_form": forms.get("review") or ReviewForm(),
        "failed_milestone": forms.get("failed_milestone", ""),
        "allocated": sum(m.amount for m in milestones), "auto_release_days": AUTO_RELEASE_DAYS,
    }, status=status or 200)  # fmt: skip


@login_required
def delivery_file(request, pk: int):
    """A delivered file, for the two sides of the contract and operators only."""
    delivery = Delivery.objects.filter(pk=pk).select_related("milestone").first()
    if delivery is None or not delivery.file:
        raise Http404
    selectors.contract_access(actor=request.user, id=delivery.milestone.contract_id)
    return FileResponse(
        delivery.file.open("rb"), as_attachment=True, filename=delivery.file_name or "delivery"
    )
