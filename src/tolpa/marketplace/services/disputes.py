"""Disputes: either side freezes a funded milestone; an operator (staff) decides to release,
refund or split it, the parts adding up to the escrow exactly, through the ledger once.
Callers own the transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.money import format_minor
from tolpa.marketplace.models import Dispute, DisputeDecision, Milestone, MilestoneStatus
from tolpa.marketplace.services import notices
from tolpa.marketplace.services.common import (
    escrow_of,
    is_brand_member,
    is_operator,
    milestone_lock,
)
from tolpa.marketplace.services.contracts import pay_freelancer, refund_brand, settle


def dispute_open(*, actor: User, milestone: Milestone, reason: str) -> Dispute:
    contract = milestone.contract
    by_brand = is_brand_member(actor, contract.organization_id)
    if not by_brand and (not actor.is_authenticated or actor.pk != contract.freelancer_id):
        raise PermissionDeniedError(_("Only the two sides of the contract may open a dispute."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": [_("Explain what went wrong.")]})
    if len(reason) > 4000:
        raise InvalidInput(fields={"reason": [_("At most 4,000 characters.")]})
    milestone = milestone_lock(milestone.pk)
    if milestone.status not in (MilestoneStatus.FUNDED, MilestoneStatus.DELIVERED):
        if milestone.status == MilestoneStatus.DISPUTED:
            raise ConflictError(_("This milestone is already disputed."))
        raise ConflictError(_("Only a funded milestone that is not settled can be disputed."))
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                milestone=milestone, opened_by=actor, by_brand=by_brand, reason=reason,
                previous_status=milestone.status,
            )  # fmt: skip
    except IntegrityError as exc:
        raise ConflictError(_("This milestone was disputed before.")) from exc
    milestone.status = MilestoneStatus.DISPUTED
    milestone.save(update_fields=["status"])
    notices.dispute_opened(milestone, by_brand=by_brand, reason=reason)
    return dispute


def _amounts(
    decision: str, held: int, currency: str, freelancer_amount, brand_amount
) -> tuple[int, int]:
    if decision == DisputeDecision.RELEASE:
        return held, 0
    if decision == DisputeDecision.REFUND:
        return 0, held
    if decision != DisputeDecision.SPLIT:
        raise InvalidInput(fields={"decision": [_("Choose release, refund or split.")]})
    parts = (freelancer_amount, brand_amount)
    if any(isinstance(p, bool) or not isinstance(p, int) or p <= 0 for p in parts):
        raise InvalidInput(
            fields={"freelancer_amount": [_("A split gives each side a positive whole amount.")]}
        )
    if sum(parts) != held:
        message = _("The two parts must add up to the escrow, %(held)s.") % {
            "held": format_minor(held, currency)
        }
        raise InvalidInput(message, fields={"freelancer_amount": [message]})
    return freelancer_amount, brand_amount


def dispute_decide(
    *,
    actor: User,
    milestone: Milestone,
    decision: str,
    freelancer_amount: int | None = None,
    brand_amount: int | None = None,
    note: str = "",
) -> Dispute:
    """Pay the escrow out as the operator decides; a second decision is refused."""
    if not is_operator(actor):
        raise PermissionDeniedError(_("Only an operator decides disputes."))
    note = (note or "").strip()[:4000]
    milestone = milestone_lock(milestone.pk)
    if milestone.status != MilestoneStatus.DISPUTED:
        raise ConflictError(_("This milestone is not under dispute."))
    escrow = ledger.accounts_lock(account_ids=[escrow_of(milestone).pk])
    held = next(iter(escrow.values())).balance
    if held != milestone.amount:
        raise ConflictError(
            _("The escrow holds %(held)s, not the milestone's amount; ask an engineer.")
            % {"held": format_minor(held, milestone.contract.currency)}
        )
    to_freelancer, to_brand = _amounts(
        decision, held, milestone.contract.currency, freelancer_amount, brand_amount
    )
    if to_freelancer:
        pay_freelancer(milestone, to_freelancer)
    if to_brand:
        refund_brand(milestone, to_brand)
    now = timezone.now()
    dispute = milestone.dispute
    dispute.decision, dispute.note = decision, note
    dispute.freelancer_amount, dispute.brand_amount = to_freelancer, to_brand
    dispute.decided_by, dispute.decided_at = actor, now
    dispute.save(update_fields=["decision", "note", "freelancer_amount", "brand_amount",
                                "decided_by", "decided_at"])  # fmt: skip
    status = {
        DisputeDecision.RELEASE: MilestoneStatus.RELEASED,
        DisputeDecision.REFUND: MilestoneStatus.REFUNDED,
        DisputeDecision.SPLIT: MilestoneStatus.SPLIT,
    }[decision]
    settle(milestone, status, now)
    notices.dispute_decided(milestone, dispute)
    return dispute
