"""The microtasks API: brands create projects, upload and launch batches, review answers
and download results; workers take the next task, submit, skip or release."""

import csv
import io
import json

from django.db import transaction
from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.microtasks import review, selectors, services
from tolpa.microtasks.models import Assignment, Project
from tolpa.microtasks.schemas import (
    AnswerIn,
    AppealIn,
    BatchOut,
    ProgressOut,
    ProjectIn,
    ProjectOut,
    RejectIn,
    ReviewOut,
    SubmittedOut,
    TaskOut,
)

router = Router(tags=["microtasks"])


def _project_out(project: Project) -> ProjectOut:
    return ProjectOut(
        slug=project.campaign.slug, title=project.campaign.title, status=project.campaign.status,
        template=project.template, labels=project.labels, fields=project.fields,
        currency=project.currency, reward=project.reward, overlap=project.overlap,
        max_overlap=project.max_overlap, target_confidence=project.target_confidence,
        lease_seconds=project.lease_seconds, method=project.method,
    )  # fmt: skip


def _managed(request, slug: str) -> Project:
    project = selectors.project_access(actor=request.user, slug=slug)
    if not services.is_manager(request.user, project):
        raise PermissionDeniedError()
    return project


def _review_out(assignment: Assignment) -> ReviewOut:
    return ReviewOut(
        assignment=assignment.pk, task=assignment.task.external_id,
        worker=assignment.worker.display_name, answer=assignment.answer, status=assignment.status,
        seconds=assignment.seconds, flagged_fast=assignment.flagged_fast,
        gold_correct=assignment.gold_correct, appeal=assignment.appeal,
    )  # fmt: skip


def _assignment_for_worker(request, assignment_id: int) -> Assignment:
    assignment = Assignment.objects.filter(pk=assignment_id, worker_id=request.user.pk).first()
    if assignment is None:
        raise NotFoundError()
    return assignment


# Brands ---------------------------------------------------------------------------------


@router.post("", response={201: ProjectOut})
def project_create(request, payload: ProjectIn):
    """A project with a template, reward (minor units) and quality rules, for your brand."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    with transaction.atomic():
        project = services.project_create(
            actor=request.user, organization=organization,
            **payload.dict(exclude={"organization_id"}),
        )  # fmt: skip
    return Status(201, _project_out(project))


@router.get("", response=list[ProjectOut], auth=optional_auth)
def project_list(request):
    """Projects with a live batch: work available for the crowd."""
    return [_project_out(p) for p in selectors.projects_open()[:100]]


@router.get("/{slug}", response=ProjectOut, auth=optional_auth)
def project_detail(request, slug: str):
    return _project_out(selectors.project_access(actor=request.user, slug=slug))


@router.post("/{slug}/batches", response={201: BatchOut})
def batch_upload(
    request,
    slug: str,
    file: File[UploadedFile],
    name: Form[str] = "",
    media: File[UploadedFile] = None,
):
    """Multipart: `file` is CSV or JSON (one row per task: the template's columns, optional
    `id` and `gold`); `media` an optional zip of files named in the media columns."""
    project = _managed(request, slug)
    with transaction.atomic():
        batch = services.batch_create(
            actor=request.user, project=project, name=name, upload=file, media=media
        )
    return Status(201, batch)


@router.get("/{slug}/batches", response=list[BatchOut])
def batch_list(request, slug: str):
    return list(_managed(request, slug).batches.all())


@router.post("/{slug}/batches/{batch_id}/launch", response=BatchOut)
def batch_launch(request, slug: str, batch_id: int):
    """Escrow the batch's budget from the brand wallet and open it to workers."""
    project = _managed(request, slug)
    batch = selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    with transaction.atomic():
        return services.batch_launch(actor=request.user, batch=batch)


@router.post("/{slug}/batches/{batch_id}/close", response=BatchOut)
def batch_close(request, slug: str, batch_id: int):
    project = _managed(request, slug)
    batch = selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    with transaction.atomic():
        return services.batch_close(actor=request.user, batch=batch)


@router.get("/{slug}/batches/{batch_id}/progress", response=ProgressOut)
def batch_progress(request, slug: str, batch_id: int):
    project = _managed(request, slug)
    progress = selectors.batch_progress(
        batch=selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    )
    eta = progress.eta.total_seconds() if progress.eta else None
    return ProgressOut(**{**progress.__dict__, "eta_seconds": eta})


@router.get("/{slug}/batches/{batch_id}/results")
def batch_results(request, slug: str, batch_id: int, format: str = "json"):
    """Aggregated answer and confidence per task, raw answers and worker skills; `format=csv`
    gives one row per task."""
    project = _managed(request, slug)
    batch = selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    results = selectors.batch_results(batch=batch)
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["task", "answer", "confidence", "answers", "method"])
        for row in results.tasks:
            writer.writerow([row.task, row.answer or "", "" if row.confidence is None else f"{row.confidence:.4f}",
                             len(row.answers), results.method])  # fmt: skip
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="results-{batch.pk}.csv"'
        return response
    payload = {
        "method": results.method,
        "tasks": [row.__dict__ for row in results.tasks],
        "workers": results.workers,
    }
    return HttpResponse(json.dumps(payload, ensure_ascii=False), content_type="application/json")


@router.get("/{slug}/batches/{batch_id}/review", response=list[ReviewOut])
def review_queue(request, slug: str, batch_id: int):
    project = _managed(request, slug)
    batch = selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    return [_review_out(a) for a in selectors.review_queue(batch=batch)[:500]]


def _brand_assignment(request, slug: str, assignment_id: int) -> Assignment:
    project = _managed(request, slug)
    assignment = Assignment.objects.filter(pk=assignment_id, task__batch__project=project).first()
    if assignment is None:
        raise NotFoundError()
    return assignment


@router.post("/{slug}/answers/{assignment_id}/approve", response=ReviewOut)
def approve(request, slug: str, assignment_id: int):
    """Pay the answer from the batch's escrow (once, however often this is called)."""
    assignment = _brand_assignment(request, slug, assignment_id)
    with transaction.atomic():
        return _review_out(review.approve(actor=request.user, assignment=assignment))


@router.post("/{slug}/answers/{assignment_id}/reject", response=ReviewOut)
def reject(request, slug: str, assignment_id: int, payload: RejectIn):
    assignment = _brand_assignment(request, slug, assignment_id)
    with transaction.atomic():
        return _review_out(
            review.reject(actor=request.user, assignment=assignment, reason=payload.reason)
        )


# Workers --------------------------------------------------------------------------------


@router.post("/{slug}/next", response=TaskOut)
def next_task(request, slug: str):
    """Your current task, or a new one (409 `no_task` when none is left, 403 `blocked`)."""
    project = selectors.project_access(actor=request.user, slug=slug)
    with transaction.atomic():
        assignment = services.next_task(worker=request.user, project=project)
    return selectors.task_for_worker(assignment)


@router.post("/assignments/{assignment_id}/submit", response=SubmittedOut)
def submit(request, assignment_id: int, payload: AnswerIn):
    assignment = _assignment_for_worker(request, assignment_id)
    with transaction.atomic():
        assignment = services.submit(
            worker=request.user, assignment=assignment, answer=payload.answer
        )
    return SubmittedOut(assignment=assignment.pk, status=assignment.status,
                        flagged_fast=assignment.flagged_fast, control_task_correct=assignment.gold_correct)  # fmt: skip


@router.post("/assignments/{assignment_id}/release", response={204: None})
def release(request, assignment_id: int, skip: bool = False):
    """Give the task back; `skip=true` also means "never show me this task again"."""
    assignment = _assignment_for_worker(request, assignment_id)
    with transaction.atomic():
        services.give_back(worker=request.user, assignment=assignment, skip=skip)
    return Status(204, None)


@router.post("/assignments/{assignment_id}/appeal", response=SubmittedOut)
def appeal(request, assignment_id: int, payload: AppealIn):
    assignment = _assignment_for_worker(request, assignment_id)
    with transaction.atomic():
        assignment = review.appeal(worker=request.user, assignment=assignment, text=payload.text)
    return SubmittedOut(assignment=assignment.pk, status=assignment.status,
                        flagged_fast=assignment.flagged_fast, control_task_correct=assignment.gold_correct)  # fmt: skip
