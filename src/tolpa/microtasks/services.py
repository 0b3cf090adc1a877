"""Microtask writes. The assignment rule that keeps overlap under any concurrency: a task row
is locked (FOR UPDATE SKIP LOCKED on PostgreSQL, IMMEDIATE transactions on SQLite) before
its live answers are counted (accepted answers plus unexpired leases), and an assignment is
unique per (task, worker). A submission after its lease expired is accepted only if the task
still has room without it; otherwise it is refused and nothing is paid. Callers own the
transaction."""

import random
import statistics
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.aggregation import aggregate
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Status
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.errors import fields_from_validation_error as _fields
from tolpa.ledger import services as ledger
from tolpa.ledger.money import validate_amount, validate_currency
from tolpa.microtasks.answers import answer_clean, answer_key, answers_match
from tolpa.microtasks.importing import read_rows
from tolpa.microtasks.models import (
    Assignment,
    AssignmentStatus,
    Batch,
    BatchStatus,
    Method,
    Project,
    Task,
    Template,
    WorkerStat,
)

LIVE_ANSWERS = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.APPEALED)
PENDING_REVIEW = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPEALED)
CANDIDATES_PER_TRY = 5
WAITS_FOR_BUSY_TASKS = 20
RESERVED_COLUMNS = {"id", "gold"}


class NoTaskError(ConflictError):
    code = "no_task"


class BlockedError(PermissionDeniedError):
    code = "blocked"


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc


def is_manager(actor: User, project: Project) -> bool:
    return (
        actor.is_authenticated
        and project.campaign.organization.memberships.filter(user=actor).exists()
    )


def _manage(actor: User, project: Project) -> None:
    membership_require(user=actor, organization=project.campaign.organization)


def cost_per_answer(project: Project) -> int:
    """What one paid answer costs the brand: the worker's reward plus the platform fee."""
    return project.reward + ledger.fee_for(campaign_kind="microtasks", amount=project.reward)


# Projects and batches -------------------------------------------------------------------


def project_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    template: str,
    currency: str,
    reward: int,
    overlap: int = 3,
    max_overlap: int | None = None,
    target_confidence: float | None = None,
    lease_seconds: int = 600,
    labels: list[str] | None = None,
    fields: list[str] | None = None,
    instructions: str = "",
    summary: str = "",
    days: int = 30,
    min_reputation: int = 0,
    languages: list[str] | None = None,
    countries: list[str] | None = None,
    gold_rate: float = 0.1,
    qualification_tasks: int = 0,
    min_gold_accuracy: float = 0.6,
    auto_approve_days: int = 3,
    method: str | None = None,
    language: str = "en",
    tags: list[str] | None = None,
) -> Project:
    membership_require(user=actor, organization=organization)
    currency = validate_currency(currency)
    validate_amount(reward, field="reward")
    if template not in Template.values:
        raise InvalidInput(fields={"template": [_("Unknown template.")]})
    labels = [str(label).strip() for label in labels or [] if str(label).strip()]
    fields = [str(name).strip() for name in fields or [] if str(name).strip()]
    if template == Template.CLASSIFY and not 2 <= len(set(labels)) == len(labels) <= 50:
        raise InvalidInput(fields={"labels": [_("Give 2 to 50 different labels.")]})
    if template == Template.RECORD and not 1 <= len(set(fields)) == len(fields) <= 30:
        raise InvalidInput(fields={"fields": [_("Name 1 to 30 different fields.")]})
    if set(fields) & RESERVED_COLUMNS:
        raise InvalidInput(fields={"fields": [_("The columns id and gold are reserved.")]})
    if isinstance(overlap, bool) or not isinstance(overlap, int) or not 1 <= overlap <= 50:
        raise InvalidInput(fields={"overlap": [_("Answers per task: 1 to 50.")]})
    max_overlap = overlap if max_overlap is None else max_overlap
    if not isinstance(max_overlap, int) or not overlap <= max_overlap <= 50:
        raise InvalidInput(fields={"max_overlap": [_("At least the overlap and at most 50.")]})
    if target_confidence is not None and not 0.5 <= target_confidence < 1:
        raise InvalidInput(fields={"target_confidence": [_("Between 0.5 and 0.99.")]})
    if target_confidence is not None and max_overlap == overlap:
        raise InvalidInput(
            fields={
                "max_overlap": [
                    _("To reach a target confidence, allow more answers than the overlap.")
                ]
            }
        )
    if not 0 <= gold_rate <= 0.5:
        raise InvalidInput(fields={"gold_rate": [_("Gold is at most half of the tasks.")]})
    if not 1 <= days <= 365:
        raise InvalidInput(fields={"days": [_("A project runs 1 to 365 days.")]})
    default_method = (
        Method.TEXT
        if template in (Template.CAPTION, Template.TRANSCRIBE, Template.PROOFREAD)
        else Method.MV
    )
    method = method or default_method
    if method not in Method.values or (method == Method.TEXT) != (default_method == Method.TEXT):
        raise InvalidInput(fields={"method": [_("This aggregation does not fit the template.")]})
    campaign = campaign_services.campaign_create(
        actor=actor, organization=organization, kind="microtasks", title=title, summary=summary,
        description=instructions, language=language, tags=tags,
        ends_at=timezone.now() + timedelta(days=days),
    )  # fmt: skip
    project = Project(
        campaign=campaign, template=template, labels=labels, fields=fields, currency=currency,
        reward=reward, overlap=overlap, max_overlap=max_overlap,
        target_confidence=target_confidence, lease_seconds=lease_seconds,
        min_reputation=min_reputation, languages=languages or [], countries=countries or [],
        gold_rate=gold_rate, qualification_tasks=qualification_tasks,
        min_gold_accuracy=min_gold_accuracy, auto_approve_days=auto_approve_days, method=method,
    )  # fmt: skip
    _clean(project)
    project.save()
    return project


def batch_create(*, actor: User, project: Project, name: str, upload, media=None) -> Batch:
    """Read every row first; a bad row saves nothing."""
    _manage(actor, project)
    rows = read_rows(project, upload, media)
    gold_needed = project.qualification_tasks
    gold_rows = sum(row.gold_answer is not None for row in rows)
    if gold_rows < gold_needed:
        raise InvalidInput(
            fields={"file": [_("The qualification needs %(n)s gold rows.") % {"n": gold_needed}]}
        )
    batch = Batch(project=project, name=(name or "").strip()[:120] or _("Batch"),
                  tasks_count=len(rows), gold_count=gold_rows)  # fmt: skip
    _clean(batch)
    batch.save()
    Task.objects.bulk_create(
        (
            Task(batch=batch, external_id=row.external_id, data=row.data,
                 is_gold=row.gold_answer is not None, gold_answer=row.gold_answer,
                 answers_needed=project.gold_answers_cap if row.gold_answer else project.overlap)
            for row in rows
        ),
        batch_size=2000,
    )  # fmt: skip
    return batch


def _budget(project: Project, batch: Batch) -> int:
    regular = batch.tasks_count - batch.gold_count
    answers = regular * project.max_overlap + batch.gold_count * project.gold_answers_cap
    return answers * cost_per_answer(project)


def batch_launch(*, actor: User, batch: Batch) -> Batch:
    """Escrow every answer the batch may pay for (gold included, up to its cap); what is not
    spent goes back when the batch closes."""
    project = batch.project
    _manage(actor, project)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ConflictError(_("Only a draft batch can be launched."))
    if batch.tasks_count == batch.gold_count:
        raise InvalidInput(_("A batch needs tasks that are not gold."))
    budget = _budget(project, batch)
    ledger.hold(
        source=ledger.account_for_organization(organization=project.campaign.organization,
                                               currency=project.currency),
        escrow=ledger.account_escrow(reference=batch.escrow_reference, currency=project.currency),
        amount=budget, key=f"{batch.escrow_reference}:budget",
        memo=_("Budget of %(batch)s") % {"batch": batch.name},
    )  # fmt: skip
    campaign = project.campaign
    campaign.refresh_from_db()  # an earlier batch may have launched it since it was loaded
    if campaign.status == Status.DRAFT:
        campaign_services.campaign_launch(actor=actor, campaign=campaign)
    elif not campaign.is_open():
        raise ConflictError(_("The project has ended."))
    batch.status, batch.budget, batch.launched_at = BatchStatus.LIVE, budget, timezone.now()
    batch.save(update_fields=["status", "budget", "launched_at"])
    return batch


def batch_close(*, actor: User, batch: Batch) -> Batch:
    """Stop handing out tasks; the batch closes (returning unused budget) once every answer
    is reviewed."""
    _manage(actor, batch.project)
    updated = Batch.objects.filter(pk=batch.pk, status=BatchStatus.LIVE).update(
        status=BatchStatus.CLOSING
    )
    if not updated:
        raise ConflictError(_("Only a live batch can be closed."))
    batch.refresh_from_db()
    batch_finish(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def batch_finish(*, batch_id: int) -> bool:
    """Close a closing batch once nothing waits for review or runs under a lease; return the
    unused budget exactly once. Idempotent."""
    batch = Batch.objects.select_for_update().select_related("project__campaign").get(pk=batch_id)
    if batch.status != BatchStatus.CLOSING:
        return False
    now = timezone.now()
    busy = Assignment.objects.filter(task__batch=batch).filter(
        Q(status__in=PENDING_REVIEW) | Q(status=AssignmentStatus.LEASED, expires_at__gt=now)
    )
    if busy.exists():
        return False
    project = batch.project
    ledger.escrow_return_rest(
        escrow=ledger.account_escrow(reference=batch.escrow_reference, currency=project.currency),
        payer=ledger.account_for_organization(organization=project.campaign.organization,
                                              currency=project.currency),
        key=f"{batch.escrow_reference}:unused",
        memo=_("Unused budget of %(batch)s") % {"batch": batch.name},
    )  # fmt: skip
    batch.status, batch.closed_at = BatchStatus.CLOSED, now
    batch.save(update_fields=["status", "closed_at"])
    return True


# Workers --------------------------------------------------------------------------------


def worker_stat(project: Project, worker: User, *, lock: bool = False) -> WorkerStat:
    WorkerStat.objects.get_or_create(project=project, worker=worker)
    stats = WorkerStat.objects.filter(project=project, worker=worker)
    return (stats.select_for_update() if lock else stats).get()


def eligibility_problem(project: Project, worker: User) -> str | None:
    """Why this worker may not take tasks here, or None."""
    if not worker.is_authenticated:
        return _("Log in to work on tasks.")
    if is_manager(worker, project):
        return _("A brand does not work on its own tasks.")
    if worker.reputation < project.min_reputation:
        return _("This project needs a reputation of %(n)s.") % {"n": project.min_reputation}
    if project.languages and not set(project.languages) & set(worker.languages or []):
        return _("This project needs one of these languages: %(l)s.") % {
            "l": ", ".join(project.languages)
        }
    if project.countries and worker.country not in project.countries:
        return _("This project is open to workers in: %(c)s.") % {"c": ", ".join(project.countries)}
    stat = WorkerStat.objects.filter(project=project, worker=worker).first()
    if stat and stat.blocked:
        return _(
            "Your answers to control tasks were too often wrong; this project is closed to you."
        )
    return None


def _live_count(task: Task, now: datetime, *, excluding: int | None = None) -> int:
    live = task.assignments.filter(
        Q(status__in=LIVE_ANSWERS) | Q(status=AssignmentStatus.LEASED, expires_at__gt=now)
    )
    if excluding:
        live = live.exclude(pk=excluding)
    return live.count()


def _task_kinds(project: Project, stat: WorkerStat) -> tuple[bool, ...]:
    """Gold first while qualifying; otherwise gold at the project's rate, falling back to a
    regular task. Never gold alone when regular work has run out: that would pay for checks
    with nothing left to check."""
    if stat.gold_answered < project.qualification_tasks:
        return (True,)
    if random.random() < project.gold_rate:  # noqa: S311 - mixing, not security
        return (True, False)
    return (False,)


def _candidates(project: Project, worker: User, *, gold: bool, now: datetime):
    """Open tasks this worker never had whose answers plus live leases leave room, fullest
    first (so tasks finish)."""
    taken = Assignment.objects.filter(worker=worker, task__batch__project=project).values("task_id")
    leases = (
        Assignment.objects.filter(task=OuterRef("pk"), status=AssignmentStatus.LEASED, expires_at__gt=now)
        .values("task").annotate(n=Count("pk")).values("n")
    )  # fmt: skip
    return (
        Task.objects.filter(batch__project=project, batch__status=BatchStatus.LIVE, done=False,
                            is_gold=gold, accepted__lt=F("answers_needed"))
        .exclude(pk__in=taken)
        .annotate(leases=Coalesce(Subquery(leases), 0))
        .filter(answers_needed__gt=F("accepted") + F("leases"))
        .order_by("-accepted", "pk")
    )  # fmt: skip


def _lease(project: Project, worker: User, task: Task, now: datetime) -> Assignment | None:
    """A lease on a locked task, or None when its live answers and leases fill it."""
    if _live_count(task, now) >= task.answers_needed:
        return None
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                task=task, worker=worker, leased_at=now,
                expires_at=now + timedelta(seconds=project.lease_seconds),
            )  # fmt: skip
    except IntegrityError:
        return None


def _lease_first(project: Project, worker: User, tasks, now: datetime) -> Assignment | None:
    """A lease on the first of `tasks` (a locking query) with room. The locks taken on tasks
    found full are given back (savepoint rollback), so the request never sits on one row
    while it waits for another: no deadlock between workers."""
    savepoint = transaction.savepoint()
    for task in tasks:
        lease = _lease(project, worker, task, now)
        if lease:
            transaction.savepoint_commit(savepoint)
            return lease
    transaction.savepoint_rollback(savepoint)
    return None


def next_task(*, worker: User, project: Project) -> Assignment:
    """The worker's current lease, or a new one on a task they never had, never beyond the
    task's overlap counting live leases. Free tasks come first; when every open task is held
    by a request in flight (a submit holding the last one, say), it waits for them one at a
    time rather than say "no task" because a task was busy for a moment. Each failed wait
    means another worker filled that task, so a few suffice."""
    problem = eligibility_problem(project, worker)
    if problem:
        raise BlockedError(problem)
    now = timezone.now()
    current = (
        Assignment.objects.filter(worker=worker, task__batch__project=project,
                                  status=AssignmentStatus.LEASED, expires_at__gt=now)
        .select_related("task").first()
    )  # fmt: skip
    if current:
        return current
    kinds = _task_kinds(project, worker_stat(project, worker))
    for gold in kinds:
        free = _candidates(project, worker, gold=gold, now=now).select_for_update(
            skip_locked=True, of=("self",)
        )
        lease = _lease_first(project, worker, free[:CANDIDATES_PER_TRY], now)
        if lease:
            return lease
    waits = WAITS_FOR_BUSY_TASKS if connection.features.has_select_for_update_skip_locked else 0
    for gold in kinds:
        for _attempt in range(waits):
            first = _candidates(project, worker, gold=gold, now=now).values_list("pk").first()
            if first is None:
                break
            busy = Task.objects.select_for_update().filter(pk=first[0], done=False)
            lease = _lease_first(project, worker, busy, now)
            if lease:
                return lease
    raise NoTaskError(_("No task is available for you right now. Check back later."))


def _own_assignment(worker: User, assignment: Assignment) -> Assignment:
    locked = (
        Assignment.objects.select_for_update()
        .select_related("task__batch__project__campaign")
        .filter(pk=assignment.pk, worker_id=worker.pk if worker.is_authenticated else None)
        .first()
    )
    if locked is None:
        raise PermissionDeniedError(_("This task was not assigned to you."))
    return locked


def _median_seconds(project: Project) -> float | None:
    """The median time of the project's latest 200 answers, kept for a minute: the flag
    needs a typical pace, not an exact one, and sorting every answer on every submit grew
    with the batch (bench/microtasks.py)."""
    key = f"microtasks:median:{project.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    recent = list(
        Assignment.objects.filter(task__batch__project=project, seconds__isnull=False)
        .order_by("-submitted_at").values_list("seconds", flat=True)[:200]
    )  # fmt: skip
    if len(recent) < 10:
        return None
    median = statistics.median(recent)
    cache.set(key, median, timeout=60)
    return median


def submit(*, worker: User, assignment: Assignment, answer: dict) -> Assignment:
    """Take a worker's answer. Gold answers are checked at once (and may block the worker);
    an answer much faster than the project's median is flagged for review."""
    assignment = _own_assignment(worker, assignment)
    task = Task.objects.select_for_update().get(pk=assignment.task_id)
    project = assignment.task.batch.project
    cleaned = answer_clean(project, answer)
    now = timezone.now()
    if assignment.status not in (AssignmentStatus.LEASED, AssignmentStatus.EXPIRED):
        raise ConflictError(_("This task is already answered or was given back."))
    late = assignment.status == AssignmentStatus.EXPIRED or assignment.expires_at <= now
    if late and (
        task.done or _live_count(task, now, excluding=assignment.pk) >= task.answers_needed
    ):
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.EXPIRED)
        raise ConflictError(_("Your time for this task ran out and others answered it."))
    seconds = (now - assignment.leased_at).total_seconds()
    median = _median_seconds(project)
    assignment.answer, assignment.submitted_at, assignment.seconds = cleaned, now, seconds
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.flagged_fast = median is not None and seconds < project.fast_ratio * median
    stat = worker_stat(project, worker, lock=True)
    stat.answered += 1
    if task.is_gold:
        assignment.gold_correct = answers_match(project, cleaned, task.gold_answer)
        stat.gold_answered += 1
        stat.gold_correct += int(assignment.gold_correct)
        if (stat.gold_answered >= max(project.gold_answers_before_block, project.qualification_tasks)
                and stat.gold_accuracy < project.min_gold_accuracy):  # fmt: skip
            stat.blocked = True
    stat.save()
    assignment.save()
    task.accepted += 1
    task.save(update_fields=["accepted"])
    _maybe_finish(task, project)
    return assignment


def _maybe_finish(task: Task, project: Project) -> None:
    """A task is done at its overlap unless the brand asked for a target confidence and the
    answers so far fall short: then it asks for one more, up to the cap."""
    if task.is_gold or task.accepted < task.answers_needed:
        return
    unsure = (
        project.target_confidence
        and task.answers_needed < project.max_overlap
        and task_confidence(task, project) < project.target_confidence
    )
    if unsure:
        Task.objects.filter(pk=task.pk).update(answers_needed=F("answers_needed") + 1)
        return
    Task.objects.filter(pk=task.pk).update(done=True)


def task_confidence(task: Task, project: Project) -> float:
    rows = list(task.assignments.filter(status__in=LIVE_ANSWERS).values_list("worker_id", "answer"))
    method = "text" if project.is_text else "mv"
    result = aggregate([task.pk] * len(rows), [w for w, _a in rows],
                       [answer_key(project, a) for _w, a in rows], method=method)  # fmt: skip
    return float(result.confidence[0])


def give_back(*, worker: User, assignment: Assignment, skip: bool = False) -> None:
    """Release a lease so the task returns to the pool (the worker may get it again later);
    a skip keeps the row, so the task is never offered to this worker again."""
    assignment = _own_assignment(worker, assignment)
    if assignment.status != AssignmentStatus.LEASED:
        raise ConflictError(_("Only a task in progress can be given back."))
    if skip:
        assignment.status = AssignmentStatus.SKIPPED
        assignment.save(update_fields=["status"])
    else:
        assignment.delete()


# Jobs -----------------------------------------------------------------------------------


def leases_expire(*, now: datetime | None = None) -> int:
    """Mark lapsed leases; the tasks were back in the pool the moment they lapsed."""
    now = now or timezone.now()
    return Assignment.objects.filter(status=AssignmentStatus.LEASED, expires_at__lte=now).update(
        status=AssignmentStatus.EXPIRED
    )


def approvals_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = []
    for project in Project.objects.filter(
        batches__status__in=(BatchStatus.LIVE, BatchStatus.CLOSING)
    ).distinct():
        cutoff = now - timedelta(days=project.auto_approve_days)
        due += list(
            Assignment.objects.filter(task__batch__project=project, status=AssignmentStatus.SUBMITTED,
                                      submitted_at__lte=cutoff).values_list("pk", flat=True)
        )  # fmt: skip
    return due


def batches_done(*, now: datetime | None = None) -> int:
    """A live batch whose every regular task is done, or whose project ended, starts closing."""
    now = now or timezone.now()
    closing = 0
    for batch in Batch.objects.filter(status=BatchStatus.LIVE).select_related("project__campaign"):
        unfinished = batch.tasks.filter(done=False, is_gold=False).exists()
        if not unfinished or batch.project.campaign.ends_at <= now:
            closing += Batch.objects.filter(pk=batch.pk, status=BatchStatus.LIVE).update(
                status=BatchStatus.CLOSING
            )
    return closing
