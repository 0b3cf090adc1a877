"""Microtask reads: what a worker may see of a task (never a gold answer), a batch's
progress, and its results aggregated with `tolpa.aggregation`."""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.utils import timezone

from tolpa.accounts.models import User
from tolpa.aggregation import aggregate
from tolpa.errors import NotFoundError
from tolpa.microtasks.answers import answer_key
from tolpa.microtasks.models import (
    Assignment,
    AssignmentStatus,
    Batch,
    BatchStatus,
    Project,
    WorkerStat,
)
from tolpa.microtasks.services import LIVE_ANSWERS, cost_per_answer, is_manager
from tolpa.web.daily import DayCount, count_per_day


def projects_open() -> QuerySet[Project]:
    return (
        Project.objects.filter(batches__status=BatchStatus.LIVE)
        .select_related("campaign__organization")
        .distinct()
        .order_by("-campaign__starts_at")
    )


def project_access(*, actor: User, slug: str) -> Project:
    project = (
        Project.objects.select_related("campaign__organization").filter(campaign__slug=slug).first()
    )
    if project is None:
        raise NotFoundError()
    if project.campaign.status == "draft" and not is_manager(actor, project):
        raise NotFoundError()
    return project


def batch_access(*, actor: User, project: Project, batch_id: int) -> Batch:
    batch = project.batches.filter(pk=batch_id).first()
    if batch is None or not is_manager(actor, project):
        raise NotFoundError()
    return batch


def task_for_worker(assignment: Assignment) -> dict:
    """The task as a worker sees it: its data, never whether it is gold or its answer."""
    return {"assignment": assignment.pk, "task": assignment.task.external_id,
            "data": assignment.task.data, "expires_at": assignment.expires_at}  # fmt: skip


@dataclass(frozen=True)
class Progress:
    tasks: int
    done: int
    in_progress: int
    remaining: int
    answers: int
    pending_review: int
    spent: int
    budget: int
    median_seconds: float | None
    eta: timedelta | None


def batch_progress(*, batch: Batch) -> Progress:
    now = timezone.now()
    regular = batch.tasks.filter(is_gold=False)
    done = regular.filter(done=True).count()
    in_progress = Assignment.objects.filter(
        task__batch=batch, status=AssignmentStatus.LEASED, expires_at__gt=now
    ).count()
    answers = Assignment.objects.filter(task__batch=batch, status__in=LIVE_ANSWERS)
    paid = answers.filter(status=AssignmentStatus.APPROVED).count()
    latest = answers.exclude(seconds=None).order_by("-submitted_at")
    seconds = list(latest.values_list("seconds", flat=True)[:5000])  # the latest 5,000 answers
    median = statistics.median(seconds) if seconds else None
    total = batch.tasks_count - batch.gold_count
    eta = None
    if batch.launched_at and done and done < total:
        elapsed = now - batch.launched_at
        eta = elapsed * (total - done) / done
    return Progress(
        tasks=total, done=done, in_progress=in_progress, remaining=total - done,
        answers=answers.count(), pending_review=answers.filter(status__in=("submitted", "appealed")).count(),
        spent=paid * cost_per_answer(batch.project), budget=batch.budget, median_seconds=median, eta=eta,
    )  # fmt: skip


def answers_per_day(*, batch: Batch) -> list[DayCount]:
    return count_per_day(Assignment.objects.filter(task__batch=batch), "submitted_at")


@dataclass(frozen=True)
class TaskResult:
    task: str
    data: dict
    answer: str | None
    confidence: float | None
    answers: list[dict]


@dataclass(frozen=True)
class Results:
    method: str
    tasks: list[TaskResult]
    workers: list[dict]


def batch_results(*, batch: Batch) -> Results:
    """Aggregate every regular task's live answers with the project's method; gold answers
    seed the workers' skills."""
    project = batch.project
    rows = list(
        Assignment.objects.filter(task__batch=batch, status__in=LIVE_ANSWERS)
        .values_list("task_id", "task__is_gold", "task__gold_answer", "worker_id", "worker__display_name", "answer")
        .order_by("task_id", "pk")
    )  # fmt: skip
    by_task: dict[int, list[dict]] = {}
    for task_id, _gold, _gold_answer, _worker_id, name, answer in rows:
        by_task.setdefault(task_id, []).append(
            {"worker": name, "answer": answer_key(project, answer)}
        )
    labels = {}
    skills = []
    if rows:
        gold = {t: answer_key(project, g) for t, is_gold, g, *_rest in rows if is_gold}
        result = aggregate(
            [r[0] for r in rows], [r[3] for r in rows], [answer_key(project, r[5]) for r in rows],
            method=project.method, gold=gold or None,
        )  # fmt: skip
        labels = {
            int(t): (str(label), float(c))
            for t, label, c in zip(result.tasks, result.labels, result.confidence, strict=True)
        }
        names = {r[3]: r[4] for r in rows}
        stats = {s.worker_id: s for s in WorkerStat.objects.filter(project=project)}
        for worker_id, skill in zip(result.workers.tolist(), result.skills.tolist(), strict=True):
            stat = stats.get(worker_id)
            accuracy = None if stat is None else stat.gold_accuracy
            skills.append({
                "worker": names[worker_id], "skill": round(skill, 3),
                "gold_accuracy": None if accuracy is None else round(accuracy, 3),
                "blocked": bool(stat and stat.blocked),
            })  # fmt: skip
        skills.sort(key=lambda row: -row["skill"])
    tasks = [
        TaskResult(task.external_id, task.data, *labels.get(task.pk, (None, None)), by_task.get(task.pk, []))
        for task in batch.tasks.filter(is_gold=False).order_by("pk")
    ]  # fmt: skip
    return Results(method=project.method, tasks=tasks, workers=skills)


def review_queue(*, batch: Batch) -> QuerySet[Assignment]:
    """Answers waiting for the brand, flagged and appealed first."""
    return (
        Assignment.objects.filter(task__batch=batch, status__in=("submitted", "appealed"))
        .select_related("task", "worker")
        .order_by(
            Case(When(status=AssignmentStatus.APPEALED, then=0), default=1),
            "-flagged_fast",
            "submitted_at",
        )
    )


def worker_summary(*, worker: User) -> dict:
    """A worker's earnings and open work across projects."""
    assignments = Assignment.objects.filter(worker=worker)
    return assignments.aggregate(
        answered=Count("pk", filter=Q(status__in=LIVE_ANSWERS)),
        approved=Count("pk", filter=Q(status=AssignmentStatus.APPROVED)),
        pending=Count("pk", filter=Q(status__in=("submitted", "appealed"))),
        rejected=Count("pk", filter=Q(status=AssignmentStatus.REJECTED)),
    ) | {
        "earned": WorkerStat.objects.filter(worker=worker).aggregate(total=Sum("earned"))["total"]
        or 0
    }
