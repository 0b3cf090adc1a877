"""Award, contracts and milestones. Each milestone has its own escrow: the brand funds it
(a hold), the freelancer delivers, the brand accepts (a release less the platform fee) or asks
for changes; a delivery left unanswered for 14 days is released by the job. Every money move
has a key naming the milestone and its leg, and every state change runs under the contract's
and the milestone's row locks, so an accept racing the job (or itself) pays once.
Callers own the transaction."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.accounts.services import membership_require
from tolpa.campaigns.models import Status
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ideas.files import check_attachment, stored_name
from tolpa.ledger import services as ledger
from tolpa.ledger.money import format_minor, validate_amount
from tolpa.marketplace.models import (
    AUTO_RELEASE_DAYS,
    FINAL_STATUSES,
    Contract,
    ContractStatus,
    Delivery,
    Milestone,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
)
from tolpa.marketplace.services import notices
from tolpa.marketplace.services.common import (
    KIND,
    brand_wallet,
    contract_lock,
    escrow_of,
    freelancer_wallet,
    milestone_lock,
    require_brand,
    require_freelancer,
)

AUTO_RELEASE_AFTER = timedelta(days=AUTO_RELEASE_DAYS)
MAX_MILESTONES = 50


class MilestoneNotFundedError(ConflictError):
    code = "milestone_not_funded"


class MilestoneFrozenError(ConflictError):
    code = "milestone_disputed"


# Award and milestones -------------------------------------------------------------------------


def _clean_milestone(*, title, amount, due_date) -> dict:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(
            fields={"title": [_("Give the milestone a title (up to 200 characters).")]}
        )
    amount = validate_amount(amount, field="amount")
    if isinstance(due_date, datetime) or not isinstance(due_date, date):
        raise InvalidInput(fields={"due_date": [_("Give a due date.")]})
    if due_date < timezone.now().date():
        raise InvalidInput(fields={"due_date": [_("The due date is in the past.")]})
    return {"title": title, "amount": amount, "due_date": due_date}


def _over_price_error(total: int, contract: Contract) -> InvalidInput:
    message = _("The milestones would add up to %(total)s, more than the contract's %(price)s.") % {
        "total": format_minor(total, contract.currency),
        "price": format_minor(contract.price, contract.currency),
    }
    return InvalidInput(message, fields={"amount": [message]})


def proposal_award(
    *, actor: User, proposal: Proposal, milestones: list[dict] | None = None
) -> Contract:
    """Hire the proposal's author: a contract at the proposed price with the given milestones
    (title, amount, due_date), or one milestone for the whole price due after the proposed
    timeline. Several proposals of one tender may be awarded."""
    campaign = proposal.tender.campaign
    membership_require(user=actor, organization=campaign.organization)
    proposal = Proposal.objects.select_for_update().select_related("tender").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ConflictError(
            _("This proposal is %(status)s; only a submitted proposal can be awarded.")
            % {"status": proposal.get_status_display().lower()}
        )
    if campaign.status not in (Status.LIVE, Status.CLOSED, Status.SETTLED):
        raise ConflictError(_("This tender is not published."))
    today = timezone.now().date()
    if milestones:
        if len(milestones) > MAX_MILESTONES:
            raise InvalidInput(
                fields={"milestones": [_("At most %(n)s milestones.") % {"n": MAX_MILESTONES}]}
            )
        cleaned = [_clean_milestone(**spec) for spec in milestones]
    else:
        cleaned = [{"title": _("The whole job"), "amount": proposal.price,
                    "due_date": today + timedelta(days=proposal.days)}]  # fmt: skip
    contract = Contract(
        proposal=proposal, tender=proposal.tender, organization=campaign.organization,
        freelancer_id=proposal.freelancer_id, currency=proposal.tender.currency,
        price=proposal.price,
    )  # fmt: skip
    total = sum(spec["amount"] for spec in cleaned)
    if total > contract.price:
        raise _over_price_error(total, contract)
    contract.save()
    Milestone.objects.bulk_create(
        Milestone(contract=contract, position=n, **spec) for n, spec in enumerate(cleaned, 1)
    )
    proposal.status = ProposalStatus.AWARDED
    proposal.save(update_fields=["status", "updated_at"])
    notices.awarded(contract)
    return contract


def milestone_add(*, actor: User, contract: Contract, title: str, amount, due_date) -> Milestone:
    """Another milestone; all of them together never exceed the contract price."""
    require_brand(actor, contract)
    spec = _clean_milestone(title=title, amount=amount, due_date=due_date)
    contract = contract_lock(contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        raise ConflictError(_("This contract is completed."))
    existing = contract.milestones.aggregate(total=Sum("amount"))["total"] or 0
    if existing + spec["amount"] > contract.price:
        raise _over_price_error(existing + spec["amount"], contract)
    count = contract.milestones.count()
    if count >= MAX_MILESTONES:
        raise ConflictError(_("At most %(n)s milestones.") % {"n": MAX_MILESTONES})
    position = (
        contract.milestones.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return Milestone.objects.create(contract=contract, position=position, **spec)


def milestone_remove(*, actor: User, milestone: Milestone) -> None:
    """Drop a milestone nobody has funded yet."""
    require_brand(actor, milestone.contract)
    milestone = milestone_lock(milestone.pk)
    if milestone.status != MilestoneStatus.PENDING:
        raise ConflictError(_("Only a milestone that is not funded can be removed."))
    milestone.delete()
    _complete_if_done(milestone.contract, timezone.now())


def _complete_if_done(contract: Contract, now: datetime) -> None:
    """The contract completes once every milestone is paid or refunded (the caller holds the
    contract's lock, so two milestones settling at once still complete it)."""
    statuses = list(contract.milestones.values_list("status", flat=True))
    if statuses and all(status in FINAL_STATUSES for status in statuses):
        contract.status, contract.completed_at = ContractStatus.COMPLETED, now
        contract.save(update_fields=["status", "completed_at"])


# Money -----------------------------------------------------------------------------------------


def pay_freelancer(milestone: Milestone, amount: int) -> None:
    """Release `amount` of the milestone's escrow to the freelancer less the fee, once."""
    contract = milestone.contract
    ledger.release(
        escrow=escrow_of(milestone), payee=freelancer_wallet(contract), amount=amount,
        key=f"{milestone.escrow_reference}:payee", campaign_kind=KIND,
        memo=_("Milestone %(title)s of %(tender)s") % {"title": milestone.title[:80],
                                                       "tender": contract.tender.campaign.title[:80]},
    )  # fmt: skip
    milestone.paid_amount = amount
    milestone.fee_amount = ledger.fee_for(campaign_kind=KIND, amount=amount)


def refund_brand(milestone: Milestone, amount: int) -> None:
    contract = milestone.contract
    ledger.refund(
        escrow=escrow_of(milestone), payer=brand_wallet(contract), amount=amount,
        key=f"{milestone.escrow_reference}:refund",
        memo=_("Refund of milestone %(title)s") % {"title": milestone.title[:80]},
    )  # fmt: skip
    milestone.refunded_amount = amount


def settle(milestone: Milestone, status: str, now: datetime) -> None:
    milestone.status, milestone.settled_at = status, now
    milestone.save(
        update_fields=["status", "settled_at", "paid_amount", "fee_amount", "refunded_amount",
                       "auto_released"]
    )  # fmt: skip
    _complete_if_done(milestone.contract, now)


def milestone_fund(*, actor: User, milestone: Milestone) -> Milestone:
    """Hold the milestone's amount from the brand wallet in its escrow. Funding again is a
    no-op: the hold has one key, and a funded milestone is returned as it is."""
    require_brand(actor, milestone.contract)
    milestone = milestone_lock(milestone.pk)
    if milestone.status != MilestoneStatus.PENDING:
        return milestone
    contract = milestone.contract
    if contract.status != ContractStatus.ACTIVE:
        raise ConflictError(_("This contract is completed."))
    try:
        ledger.hold(
            source=brand_wallet(contract), escrow=escrow_of(milestone), amount=milestone.amount,
            key=f"{milestone.escrow_reference}:fund",
            memo=_("Escrow for milestone %(title)s") % {"title": milestone.title[:80]},
        )  # fmt: skip
    except ledger.InsufficientFundsError as exc:
        raise ledger.InsufficientFundsError(
            _("Not enough money in the brand wallet: this milestone needs %(amount)s.")
            % {"amount": format_minor(milestone.amount, contract.currency)}
        ) from exc
    milestone.status, milestone.funded_at = MilestoneStatus.FUNDED, timezone.now()
    milestone.save(update_fields=["status", "funded_at"])
    notices.funded(milestone)
    return milestone


def _refuse_unless_held(milestone: Milestone) -> None:
    if milestone.status == MilestoneStatus.PENDING:
        raise MilestoneNotFundedError(_("This milestone is not funded yet: fund it first."))
    if milestone.status == MilestoneStatus.DISPUTED:
        raise MilestoneFrozenError(
            _("This milestone is disputed: its escrow is frozen until an operator decides.")
        )
    if milestone.is_final:
        raise ConflictError(_("This milestone is settled already."))


def milestone_deliver(*, actor: User, milestone: Milestone, message: str, upload=None) -> Delivery:
    """Hand in the work of a funded milestone; the brand has 14 days to answer."""
    require_freelancer(actor, milestone.contract)
    message = (message or "").strip()
    if not message:
        raise InvalidInput(fields={"message": [_("Describe what you deliver.")]})
    if len(message) > 10_000:
        raise InvalidInput(fields={"message": [_("At most 10,000 characters.")]})
    kind = None
    if upload is not None:
        try:
            kind = check_attachment(upload)
        except ValidationError as exc:
            raise InvalidInput(fields={"file": list(exc.messages)}) from exc
    milestone = milestone_lock(milestone.pk)
    _refuse_unless_held(milestone)
    if milestone.status == MilestoneStatus.DELIVERED:
        raise ConflictError(_("This milestone is delivered and waits for the brand's answer."))
    delivery = Delivery(milestone=milestone, message=message)
    if upload is not None:
        name, display = stored_name(upload, kind)
        upload.seek(0)
        delivery.file_name = display
        delivery.file.save(name, upload, save=False)
    delivery.save()
    milestone.status, milestone.delivered_at = MilestoneStatus.DELIVERED, timezone.now()
    milestone.save(update_fields=["status", "delivered_at"])
    notices.delivered(milestone)
    return delivery


def _answer_last_delivery(milestone: Milestone, answer: str, feedback: str, now: datetime) -> None:
    milestone.deliveries.filter(answer="").update(answer=answer, feedback=feedback, answered_at=now)


def milestone_accept(*, actor: User, milestone: Milestone) -> Milestone:
    """Pay a funded milestone to the freelancer less the fee (the brand may pay before a
    delivery, as on Upwork). Unfunded, disputed or settled milestones are refused."""
    require_brand(actor, milestone.contract)
    milestone = milestone_lock(milestone.pk)
    _refuse_unless_held(milestone)
    now = timezone.now()
    pay_freelancer(milestone, milestone.amount)
    _answer_last_delivery(milestone, Delivery.Answer.ACCEPTED, "", now)
    settle(milestone, MilestoneStatus.RELEASED, now)
    notices.released(milestone, automatically=False)
    return milestone


def milestone_request_changes(*, actor: User, milestone: Milestone, feedback: str) -> Milestone:
    """Send a delivery back with what to change; the work goes on, the money stays held."""
    require_brand(actor, milestone.contract)
    feedback = (feedback or "").strip()
    if not feedback:
        raise InvalidInput(fields={"feedback": [_("Say what should change.")]})
    if len(feedback) > 4000:
        raise InvalidInput(fields={"feedback": [_("At most 4,000 characters.")]})
    milestone = milestone_lock(milestone.pk)
    _refuse_unless_held(milestone)
    if milestone.status != MilestoneStatus.DELIVERED:
        raise ConflictError(_("Nothing is delivered yet."))
    _answer_last_delivery(milestone, Delivery.Answer.CHANGES, feedback, timezone.now())
    milestone.status, milestone.delivered_at = MilestoneStatus.FUNDED, None
    milestone.save(update_fields=["status", "delivered_at"])
    notices.changes_requested(milestone, feedback)
    return milestone


def auto_release_due(*, now: datetime | None = None):
    """Ids of delivered milestones the brand left unanswered for 14 days."""
    now = now or timezone.now()
    return Milestone.objects.filter(
        status=MilestoneStatus.DELIVERED, delivered_at__lte=now - AUTO_RELEASE_AFTER
    ).values_list("pk", flat=True)


def milestone_auto_release(*, milestone_id: int, now: datetime | None = None) -> bool:
    """The job's step: pay a delivery left unanswered for 14 days. Re-checked under the lock,
    so a dispute, an accept or another run in between makes it a no-op (False)."""
    now = now or timezone.now()
    milestone = milestone_lock(milestone_id)
    if (
        milestone.status != MilestoneStatus.DELIVERED
        or milestone.delivered_at > now - AUTO_RELEASE_AFTER
    ):
        return False
    pay_freelancer(milestone, milestone.amount)
    milestone.auto_released = True
    _answer_last_delivery(milestone, Delivery.Answer.ACCEPTED, "", now)
    settle(milestone, MilestoneStatus.RELEASED, now)
    notices.released(milestone, automatically=True)
    return True
