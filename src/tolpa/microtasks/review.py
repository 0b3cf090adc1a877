"""Review and pay: the brand (or the auto-approval job) approves an answer, which pays the
reward from the batch's escrow exactly once, or rejects it with a reason, which frees the
task for a new answer; a rejected worker may appeal once. Callers own the transaction."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ledger import services as ledger
from tolpa.microtasks.models import (
    Assignment,
    AssignmentStatus,
    Task,
    WorkerStat,
)
from tolpa.microtasks.services import PENDING_REVIEW, _manage, _own_assignment


def _reviewable(actor: User | None, assignment: Assignment) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__batch__project__campaign__organization", "worker")
        .get(pk=assignment.pk)
    )
    if actor is not None:
        _manage(actor, assignment.task.batch.project)
    return assignment


def _pay(assignment: Assignment) -> None:
    """Reward to the worker and fee to the platform, from the batch's escrow, once."""
    project = assignment.task.batch.project
    ledger.release_plus_fee(
        escrow=ledger.account_escrow(reference=assignment.task.batch.escrow_reference,
                                     currency=project.currency),
        payee=ledger.account_for_user(user=assignment.worker, currency=project.currency),
        amount=project.reward, key=f"microtasks:assignment:{assignment.pk}:pay",
        campaign_kind="microtasks",
        memo=_("Reward for a task in %(project)s") % {"project": project.campaign.title},
    )  # fmt: skip
    WorkerStat.objects.filter(project=project, worker=assignment.worker).update(
        earned=F("earned") + project.reward
    )


def approve(*, actor: User | None, assignment: Assignment) -> Assignment:
    """Pay an answer. `actor=None` is the auto-approval job."""
    assignment = _reviewable(actor, assignment)
    if assignment.status == AssignmentStatus.APPROVED:
        return assignment
    if assignment.status not in PENDING_REVIEW:
        raise ConflictError(_("Only an answer waiting for review can be approved."))
    _pay(assignment)
    assignment.status, assignment.reviewed_at = AssignmentStatus.APPROVED, timezone.now()
    assignment.paid_at = assignment.reviewed_at
    assignment.save(update_fields=["status", "reviewed_at", "paid_at"])
    return assignment


def reject(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Refuse an answer with a reason; the task gets a new answer in its place."""
    if not (reason or "").strip():
        raise InvalidInput(fields={"reason": [_("Say why the answer is rejected.")]})
    assignment = _reviewable(actor, assignment)
    if assignment.status not in PENDING_REVIEW:
        raise ConflictError(_("Only an answer waiting for review can be rejected."))
    first_time = assignment.status == AssignmentStatus.SUBMITTED
    assignment.status, assignment.reviewed_at = AssignmentStatus.REJECTED, timezone.now()
    assignment.reject_reason = reason.strip()[:300]
    assignment.save(update_fields=["status", "reviewed_at", "reject_reason"])
    if first_time:
        Task.objects.filter(pk=assignment.task_id).update(accepted=F("accepted") - 1, done=False)
    return assignment


def appeal(*, worker: User, assignment: Assignment, text: str) -> Assignment:
    """A rejected worker may appeal once; the brand then approves or keeps the rejection."""
    assignment = _own_assignment(worker, assignment)
    if assignment.status != AssignmentStatus.REJECTED or assignment.appeal:
        raise ConflictError(_("Only a rejected answer can be appealed, once."))
    if not (text or "").strip():
        raise InvalidInput(fields={"text": [_("Explain your appeal.")]})
    assignment.status, assignment.appeal = AssignmentStatus.APPEALED, text.strip()[:2000]
    assignment.save(update_fields=["status", "appeal"])
    return assignment
