"""The brand dashboard: upload, launch and close batches; per batch the progress with a
chart, the review queue and the aggregated results; downloads. Brand members only."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tolpa.errors import NotFoundError
from tolpa.microtasks import review, selectors, services
from tolpa.microtasks.forms import MAX_ID, BatchForm, ReviewForm
from tolpa.microtasks.importing import required_columns
from tolpa.microtasks.models import Assignment, Batch, Project
from tolpa.microtasks.views.common import project_for, require_manager
from tolpa.web.charts import bar_chart
from tolpa.web.service_errors import run_form_action

SHOWN_RESULTS = 50
SHOWN_REVIEWS = 100
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@login_required
def dashboard(request, slug: str):
    project = project_for(request, slug)
    require_manager(request, project)
    batch_form = BatchForm(auto_id="id_batch_%s")
    if request.method == "POST":
        action = request.POST.get("action", "")
        form, call, batch = _action(request, project, action)
        if call is None:
            return redirect("microtasks:dashboard", slug=slug)
        if action == "upload":
            batch_form = form
        status = run_form_action(request, form, call)
        if status is None:
            messages.success(request, _success(action))
            return redirect(_dashboard_url(project, batch))
        if form is not None and action in ("approve", "reject"):
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        selected = batch or _selected(request, project)
        return _render(request, project, batch_form, selected=selected, status=status)
    return _render(request, project, batch_form, selected=_selected(request, project))


def _dashboard_url(project: Project, batch: Batch | None) -> str:
    url = reverse("microtasks:dashboard", args=[project.campaign.slug])
    return f"{url}?batch={batch.pk}" if batch else url


def _selected(request, project: Project) -> Batch | None:
    raw = request.GET.get("batch", "")
    batches = project.batches.all()
    if raw.isdigit() and int(raw) <= MAX_ID:
        return batches.filter(pk=int(raw)).first()
    return batches.first()


def _success(action: str) -> str:
    return {
        "upload": _("Batch uploaded. Check it, then launch it."),
        "launch": _("The batch is live; its budget is held in escrow."),
        "close": _("The batch is closing; unused budget returns once every answer is reviewed."),
        "approve": _("Answer approved and paid."),
        "reject": _("Answer rejected; the task gets another answer."),
    }[action]


def _posted_batch(request, project: Project) -> Batch:
    raw = request.POST.get("batch", "")
    pk = int(raw) if raw.isdigit() and int(raw) <= MAX_ID else 0
    batch = project.batches.filter(pk=pk).first()
    if batch is None:
        raise NotFoundError(_("No such batch."))
    return batch


def _action(request, project: Project, action: str):
    """(bound form or None, service call, batch) for a POSTed action; call None if unknown."""
    actor = request.user
    if action == "upload":
        form = BatchForm(request.POST, request.FILES, auto_id="id_batch_%s")
        return form, lambda d: services.batch_create(
            actor=actor, project=project, name=d["name"], upload=d["file"], media=d["media"]
        ), None  # fmt: skip
    if action in ("launch", "close"):
        batch = _posted_batch(request, project)
        service = services.batch_launch if action == "launch" else services.batch_close
        return None, lambda _d: service(actor=actor, batch=batch), batch
    if action in ("approve", "reject"):
        form = ReviewForm(request.POST)
        raw = request.POST.get("assignment", "")
        pk = int(raw) if raw.isdigit() and int(raw) <= MAX_ID else 0
        assignment = Assignment.objects.filter(pk=pk, task__batch__project=project).first()
        if assignment is None:
            raise NotFoundError(_("No such answer."))

        def decide(data):
            if action == "approve":
                return review.approve(actor=actor, assignment=assignment)
            return review.reject(actor=actor, assignment=assignment, reason=data["reason"])

        return form, decide, assignment.task.batch
    return None, None, None


def _render(request, project: Project, batch_form, *, selected: Batch | None, status=200):
    batches = list(project.batches.all())
    context = {
        "project": project, "campaign": project.campaign, "batches": batches,
        "batch_form": batch_form, "selected": selected,
        "columns": ["id", *required_columns(project), "gold"],
        "cost_per_answer": services.cost_per_answer(project),
    }  # fmt: skip
    if selected is not None:
        per_day = selectors.answers_per_day(batch=selected)
        results = selectors.batch_results(batch=selected)
        context.update(
            progress=selectors.batch_progress(batch=selected),
            chart=bar_chart([(p.day.isoformat(), p.value) for p in per_day],
                            label=_("Answers per day")),
            reviews=list(selectors.review_queue(batch=selected)[:SHOWN_REVIEWS]),
            results=results, shown_results=results.tasks[:SHOWN_RESULTS],
        )  # fmt: skip
    return render(request, "microtasks/dashboard.html", context, status=status)


def _results_for(request, slug: str, batch_id: int):
    project = project_for(request, slug)
    require_manager(request, project)
    batch = selectors.batch_access(actor=request.user, project=project, batch_id=batch_id)
    return project, batch, selectors.batch_results(batch=batch)


def _cell(value) -> str:
    """A spreadsheet must not run a worker's text as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@login_required
def results_csv(request, slug: str, batch_id: int):
    project, batch, results = _results_for(request, slug, batch_id)
    columns = list(required_columns(project))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{slug}-{batch.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["task", *columns, "answer", "confidence", "method", "answers_count", "answers"]
    )
    for row in results.tasks:
        writer.writerow([
            _cell(row.task), *(_cell(row.data.get(c)) for c in columns), _cell(row.answer),
            "" if row.confidence is None else f"{row.confidence:.4f}", results.method,
            len(row.answers), _cell(" | ".join(a["answer"] for a in row.answers)),
        ])  # fmt: skip
    return response


@login_required
def results_json(request, slug: str, batch_id: int):
    _project, batch, results = _results_for(request, slug, batch_id)
    body = {
        "batch": batch.pk, "name": batch.name, "method": results.method,
        "tasks": [
            {"task": r.task, "data": r.data, "answer": r.answer, "confidence": r.confidence,
             "answers": r.answers}
            for r in results.tasks
        ],
        "workers": results.workers,
    }  # fmt: skip
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="results-{slug}-{batch.pk}.json"'
    return response
