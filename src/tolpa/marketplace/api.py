"""The tenders API: brands post tenders, read and shortlist proposals, ask questions, award,
fund and accept milestones; freelancers send, edit and withdraw proposals and deliver;
either side disputes; operators decide; both sides review. Proposals answer 404 to anyone
but their author and the tender's brand; contracts to anyone but their two sides and
operators."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.errors import PermissionDeniedError
from tolpa.marketplace import selectors, services
from tolpa.marketplace.models import Contract, Milestone, Proposal, Tender
from tolpa.marketplace.schemas import (
    AwardIn,
    ContractOut,
    DecideIn,
    DeclineIn,
    DeliverIn,
    DisputeIn,
    DisputeOut,
    FeedbackIn,
    MessageIn,
    MessageOut,
    MilestoneIn,
    MilestoneOut,
    ProposalIn,
    ProposalOut,
    ReviewIn,
    ReviewOut,
    ShortlistIn,
    TenderIn,
    TenderOut,
)
from tolpa.marketplace.services import AUTO_RELEASE_AFTER

router = Router(tags=["tenders"])


def _tender_out(tender: Tender) -> TenderOut:
    campaign = tender.campaign
    return TenderOut(
        slug=campaign.slug, title=campaign.title, summary=campaign.summary,
        description=campaign.description, organization=campaign.organization.name,
        status=campaign.effective_status, is_open=campaign.is_open(), currency=tender.currency,
        budget_min=tender.budget_min, budget_max=tender.budget_max, fixed=tender.is_fixed,
        offer_deadline=campaign.ends_at, skills=[t.name for t in campaign.tags.all()],
        language=campaign.language, proposals_count=tender.proposals_count,
        attachments=[{"name": a.name, "kind": a.kind, "url": a.file.url}
                     for a in tender.attachments.all()],
    )  # fmt: skip


def _proposal_out(proposal: Proposal) -> ProposalOut:
    contract = getattr(proposal, "contract", None) if proposal.status == "awarded" else None
    return ProposalOut(
        id=proposal.pk, tender=proposal.tender.campaign.slug,
        freelancer={"id": proposal.freelancer_id, "name": proposal.freelancer.display_name},
        price=proposal.price, currency=proposal.tender.currency, days=proposal.days,
        cover_letter=proposal.cover_letter, portfolio_links=proposal.portfolio_links,
        status=proposal.status, shortlisted=proposal.shortlisted,
        decline_reason=proposal.decline_reason,
        created_at=proposal.created_at, updated_at=proposal.updated_at,
        contract_id=contract.pk if contract else None,
    )  # fmt: skip


def _milestone_out(milestone: Milestone) -> MilestoneOut:
    due = milestone.delivered_at + AUTO_RELEASE_AFTER if milestone.delivered_at else None
    return MilestoneOut(
        id=milestone.pk, position=milestone.position, title=milestone.title,
        amount=milestone.amount, due_date=milestone.due_date, status=milestone.status,
        funded_at=milestone.funded_at, delivered_at=milestone.delivered_at,
        auto_release_at=due if milestone.status == "delivered" else None,
        settled_at=milestone.settled_at, paid_amount=milestone.paid_amount,
        fee_amount=milestone.fee_amount, refunded_amount=milestone.refunded_amount,
        auto_released=milestone.auto_released,
    )  # fmt: skip


def _review_out(review) -> ReviewOut:
    return ReviewOut(side=review.side, author=review.author.display_name, rating=review.rating,
                     text=review.text, created_at=review.created_at)  # fmt: skip


def _contract_out(contract: Contract) -> ContractOut:
    return ContractOut(
        id=contract.pk, tender=contract.tender.campaign.slug, title=contract.tender.campaign.title,
        organization=contract.organization.name,
        freelancer={"id": contract.freelancer_id, "name": contract.freelancer.display_name},
        currency=contract.currency, price=contract.price, status=contract.status,
        created_at=contract.created_at, completed_at=contract.completed_at,
        milestones=[_milestone_out(m) for m in contract.milestones.all()],
        reviews=[_review_out(r) for r in contract.reviews.all()],
    )  # fmt: skip


def _dispute_out(dispute) -> DisputeOut:
    return DisputeOut(
        id=dispute.pk, milestone_id=dispute.milestone_id,
        contract_id=dispute.milestone.contract_id, by_brand=dispute.by_brand,
        reason=dispute.reason, opened_at=dispute.opened_at, decision=dispute.decision,
        freelancer_amount=dispute.freelancer_amount, brand_amount=dispute.brand_amount,
        decided_at=dispute.decided_at,
    )  # fmt: skip


def _contract_now(request, contract_id: int) -> ContractOut:
    return _contract_out(selectors.contract_access(actor=request.user, id=contract_id))


# Tenders -----------------------------------------------------------------------------------


@router.get("", response=list[TenderOut], auth=optional_auth)
def tender_list(
    request,
    q: str = "",
    skill: str = "",
    currency: str = "",
    budget_min: str = "",
    budget_max: str = "",
    status: str = "open",
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Tenders with filters: text, skill, currency, budget (major units, overlapping the
    tender's range) and status (`open`, `closed`, `all`)."""
    filters = selectors.TenderFilters.from_params(
        {"q": q, "skill": skill, "currency": currency, "budget_min": budget_min,
         "budget_max": budget_max, "status": status}
    )  # fmt: skip
    tenders = selectors.tenders_search(filters=filters).prefetch_related("attachments")
    return [_tender_out(t) for t in tenders[offset : offset + limit]]


@router.post("", response={201: TenderOut})
def tender_create(request, payload: TenderIn):
    """Post a tender for your brand (published at once unless `publish` is false)."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    with transaction.atomic():
        tender = services.tender_create(actor=request.user, organization=organization, **data)
    return Status(201, _tender_out(tender))


# Contracts, milestones, disputes (before /{slug}, which would swallow these paths) ---------


@router.get("/contracts", response=list[ContractOut])
def contract_list(request):
    """Contracts you work on or your brands hired for, newest first."""
    contracts = selectors.contracts_of(actor=request.user).prefetch_related(
        "milestones", "reviews__author"
    )[:100]
    return [_contract_out(c) for c in contracts]


@router.get("/contracts/{int:contract_id}", response=ContractOut)
def contract_detail(request, contract_id: int):
    return _contract_now(request, contract_id)


@router.post("/contracts/{int:contract_id}/milestones", response={201: MilestoneOut})
def milestone_add(request, contract_id: int, payload: MilestoneIn):
    """Add a milestone; all milestones together never exceed the contract price."""
    contract = selectors.contract_access(actor=request.user, id=contract_id)
    with transaction.atomic():
        milestone = services.milestone_add(actor=request.user, contract=contract, **payload.dict())
    return Status(201, _milestone_out(milestone))


@router.post("/contracts/{int:contract_id}/reviews", response={201: ReviewOut})
def review_leave(request, contract_id: int, payload: ReviewIn):
    """Once the contract is completed, each side reviews the other once."""
    contract = selectors.contract_access(actor=request.user, id=contract_id)
    with transaction.atomic():
        review = services.review_leave(actor=request.user, contract=contract, **payload.dict())
    return Status(201, _review_out(review))


def _milestone(request, milestone_id: int) -> Milestone:
    return selectors.milestone_access(actor=request.user, id=milestone_id)


@router.post("/milestones/{int:milestone_id}/fund", response=ContractOut)
def milestone_fund(request, milestone_id: int):
    """Hold the milestone's amount from the brand wallet in escrow; again is a no-op."""
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        services.milestone_fund(actor=request.user, milestone=milestone)
    return _contract_now(request, milestone.contract_id)


@router.post("/milestones/{int:milestone_id}/deliver", response=ContractOut)
def milestone_deliver(request, milestone_id: int, payload: DeliverIn):
    """The freelancer hands in a funded milestone (files go through the contract page)."""
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        services.milestone_deliver(actor=request.user, milestone=milestone, message=payload.message)
    return _contract_now(request, milestone.contract_id)


@router.post("/milestones/{int:milestone_id}/accept", response=ContractOut)
def milestone_accept(request, milestone_id: int):
    """Release the milestone to the freelancer less the platform fee, once."""
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        services.milestone_accept(actor=request.user, milestone=milestone)
    return _contract_now(request, milestone.contract_id)


@router.post("/milestones/{int:milestone_id}/request-changes", response=ContractOut)
def milestone_request_changes(request, milestone_id: int, payload: FeedbackIn):
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        services.milestone_request_changes(
            actor=request.user, milestone=milestone, feedback=payload.feedback
        )
    return _contract_now(request, milestone.contract_id)


@router.post("/milestones/{int:milestone_id}/dispute", response={201: DisputeOut})
def dispute_open(request, milestone_id: int, payload: DisputeIn):
    """Either side freezes a funded milestone until an operator decides."""
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        dispute = services.dispute_open(
            actor=request.user, milestone=milestone, reason=payload.reason
        )
    return Status(201, _dispute_out(dispute))


@router.post("/milestones/{int:milestone_id}/decide", response=DisputeOut)
def dispute_decide(request, milestone_id: int, payload: DecideIn):
    """Operators only: release, refund, or split (the two amounts add up to the escrow)."""
    milestone = _milestone(request, milestone_id)
    with transaction.atomic():
        dispute = services.dispute_decide(actor=request.user, milestone=milestone, **payload.dict())
    return _dispute_out(dispute)


@router.get("/disputes", response=list[DisputeOut])
def dispute_list(request):
    """Operators only: disputes waiting for a decision, oldest first."""
    if not services.is_operator(request.user):
        raise PermissionDeniedError(_("Only operators see disputes."))
    return [_dispute_out(d) for d in selectors.disputes_open()[:200]]


# Proposals -----------------------------------------------------------------------------------


@router.get("/proposals/mine", response=list[ProposalOut])
def proposal_mine(request):
    """Your proposals on every tender, newest first."""
    return [_proposal_out(p) for p in selectors.proposals_of_freelancer(user=request.user)[:200]]


@router.get("/proposals/{int:proposal_id}", response=ProposalOut)
def proposal_detail(request, proposal_id: int):
    return _proposal_out(selectors.proposal_access(actor=request.user, id=proposal_id))


@router.patch("/proposals/{int:proposal_id}", response=ProposalOut)
def proposal_edit(request, proposal_id: int, payload: ProposalIn):
    """The author changes the terms before the offer deadline."""
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    with transaction.atomic():
        proposal = services.proposal_edit(actor=request.user, proposal=proposal, **payload.dict())
    return _proposal_out(selectors.proposal_access(actor=request.user, id=proposal.pk))


@router.post("/proposals/{int:proposal_id}/withdraw", response=ProposalOut)
def proposal_withdraw(request, proposal_id: int):
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    with transaction.atomic():
        services.proposal_withdraw(actor=request.user, proposal=proposal)
    return _proposal_out(selectors.proposal_access(actor=request.user, id=proposal.pk))


@router.post("/proposals/{int:proposal_id}/shortlist", response=ProposalOut)
def proposal_shortlist(request, proposal_id: int, payload: ShortlistIn):
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    with transaction.atomic():
        services.proposal_shortlist(
            actor=request.user, proposal=proposal, shortlisted=payload.shortlisted
        )
    return _proposal_out(selectors.proposal_access(actor=request.user, id=proposal.pk))


@router.post("/proposals/{int:proposal_id}/decline", response=ProposalOut)
def proposal_decline(request, proposal_id: int, payload: DeclineIn):
    """Say no to a submitted proposal; its author is told, with the reason if given."""
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    with transaction.atomic():
        services.proposal_decline(actor=request.user, proposal=proposal, reason=payload.reason)
    return _proposal_out(selectors.proposal_access(actor=request.user, id=proposal.pk))


@router.get("/proposals/{int:proposal_id}/messages", response=list[MessageOut])
def message_list(request, proposal_id: int):
    """The private thread between the brand and the proposal's author."""
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    return [
        MessageOut(id=m.pk, author=m.author.display_name, from_brand=m.from_brand, body=m.body,
                   created_at=m.created_at)
        for m in proposal.messages.select_related("author")
    ]  # fmt: skip


@router.post("/proposals/{int:proposal_id}/messages", response={201: MessageOut})
def message_post(request, proposal_id: int, payload: MessageIn):
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    with transaction.atomic():
        message = services.message_post(actor=request.user, proposal=proposal, body=payload.body)
    return Status(201, MessageOut(id=message.pk, author=request.user.display_name,
                                  from_brand=message.from_brand, body=message.body,
                                  created_at=message.created_at))  # fmt: skip


@router.post("/proposals/{int:proposal_id}/award", response={201: ContractOut})
def proposal_award(request, proposal_id: int, payload: AwardIn):
    """Hire the author: a contract at the proposed price with the given milestones."""
    proposal = selectors.proposal_access(actor=request.user, id=proposal_id)
    milestones = [m.dict() for m in payload.milestones]
    with transaction.atomic():
        contract = services.proposal_award(
            actor=request.user, proposal=proposal, milestones=milestones
        )
    return Status(201, _contract_now(request, contract.pk))


# One tender ----------------------------------------------------------------------------------


@router.get("/{slug}", response=TenderOut, auth=optional_auth)
def tender_detail(request, slug: str):
    return _tender_out(selectors.tender_access(actor=request.user, slug=slug))


@router.post("/{slug}/publish", response=TenderOut)
def tender_publish(request, slug: str):
    tender = selectors.tender_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        tender = services.tender_publish(actor=request.user, tender=tender)
    return _tender_out(tender)


@router.post("/{slug}/close", response=TenderOut)
def tender_close(request, slug: str):
    """Stop taking proposals now; those already in may still be awarded."""
    tender = selectors.tender_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        tender = services.tender_close(actor=request.user, tender=tender)
    return _tender_out(tender)


@router.get("/{slug}/proposals", response=list[ProposalOut])
def proposal_list(request, slug: str, shortlisted: bool = False):
    """For the brand: every live proposal, shortlisted first, then cheapest."""
    tender = selectors.tender_manage(actor=request.user, slug=slug)
    proposals = selectors.proposals_for_brand(tender=tender, shortlisted_only=shortlisted)
    return [_proposal_out(p) for p in proposals[:500]]


@router.post("/{slug}/proposals", response={201: ProposalOut})
def proposal_submit(request, slug: str, payload: ProposalIn):
    """Send a proposal before the offer deadline (one live proposal per person)."""
    tender = selectors.tender_access(actor=request.user, slug=slug)
    with transaction.atomic():
        proposal = services.proposal_submit(actor=request.user, tender=tender, **payload.dict())
    return Status(201, _proposal_out(selectors.proposal_access(actor=request.user, id=proposal.pk)))
