"""The worker flow: one task at a time in a panel that HTMX swaps after each answer, skip or
release, so a worker does many tasks without a full reload; every form also works as a
plain POST with a redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.errors import NotFoundError, PermissionDeniedError, ServiceError
from tolpa.microtasks import selectors, services
from tolpa.microtasks.forms import MAX_ID
from tolpa.microtasks.models import Assignment, Project, Template, WorkerStat
from tolpa.microtasks.views.common import project_for

AUDIO = (".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac", ".aac", ".opus")
VIDEO = (".mp4", ".webm", ".ogv", ".mov", ".m4v")


@login_required
def work(request, slug: str):
    project = project_for(request, slug)
    if request.method != "POST":
        return _show(request, project)
    assignment = _posted_assignment(request, project)
    if "give_back" in request.POST:
        skip = request.POST["give_back"] == "skip"
        error = _call(lambda: services.give_back(
            worker=request.user, assignment=assignment, skip=skip
        ))  # fmt: skip
        done = _("Task skipped; you will not see it again.") if skip else _("Task released.")
        return _after(request, project, error, (done, ""))
    answer = answer_from_post(project, request.POST)
    submitted = []
    error = _call(lambda: submitted.append(services.submit(
        worker=request.user, assignment=assignment, answer=answer
    )))  # fmt: skip
    if error is not None and error.status == 422:
        return _show(request, project, error=error, answer=answer)
    return _after(request, project, error, _feedback(submitted[0]) if submitted else ("", ""))


def _posted_assignment(request, project: Project) -> Assignment:
    raw = request.POST.get("assignment", "")
    pk = int(raw) if raw.isdigit() and int(raw) <= MAX_ID else 0
    assignment = Assignment.objects.filter(pk=pk, task__batch__project=project).first()
    if assignment is None:
        raise PermissionDeniedError(_("This task was not assigned to you."))
    return assignment


def _call(call) -> ServiceError | None:
    """Run a service call; its refusal is returned for the panel, except a permission or
    visibility failure, which becomes a 403 or 404 page."""
    try:
        with transaction.atomic():
            call()
    except (PermissionDeniedError, NotFoundError):
        raise
    except ServiceError as exc:
        return exc
    return None


def _feedback(assignment: Assignment) -> tuple[str, str]:
    """(text, kind): after a control task the worker learns whether they were right, never
    the expected answer."""
    if assignment.gold_correct is True:
        return _("Your answer to a control task was right."), "ok"
    if assignment.gold_correct is False:
        return _("Your answer to a control task was wrong. Read the instructions again."), "wrong"
    return _("Answer saved."), ""


def _after(request, project: Project, error: ServiceError | None, done: tuple[str, str]):
    """HTMX gets the next task's panel at once; a plain POST is redirected to it (PRG)."""
    if request.htmx:
        return _show(request, project, error=error, notice=("", "") if error else done)
    if error is not None:
        messages.error(request, error.summary())
    elif done[1] == "wrong":
        messages.warning(request, done[0])
    else:
        messages.success(request, done[0])
    return redirect("microtasks:work", slug=project.campaign.slug)


def _show(request, project: Project, *, error=None, notice=("", ""), answer=None):
    """The current task (a lease is taken if the worker has none). An HTMX request gets the
    panel only, with status 200 even for a refused answer, since HTMX does not swap error
    responses; a plain request gets the whole page with the error's status."""
    context = {"project": project, "campaign": project.campaign, "error": error,
               "notice": notice[0], "notice_kind": notice[1]}  # fmt: skip
    status = error.status if error is not None else 200
    try:
        with transaction.atomic():
            assignment = services.next_task(worker=request.user, project=project)
    except services.BlockedError as exc:
        context["stop"], context["blocked"] = exc.message, True
    except services.NoTaskError as exc:
        context["stop"] = exc.message
    else:
        context.update(_task_context(project, assignment, answer))
    stat = WorkerStat.objects.filter(project=project, worker=request.user).first()
    context["earned"] = stat.earned if stat else 0
    context["answered"] = stat.answered if stat else 0
    if request.htmx:
        return render(request, "microtasks/_task.html", context)
    return render(request, "microtasks/work.html", context, status=status)


def _task_context(project: Project, assignment: Assignment, answer: dict | None) -> dict:
    task = selectors.task_for_worker(assignment)
    data = task["data"]
    seconds_left = max(0, int((task["expires_at"] - timezone.now()).total_seconds()))
    context = {"task": task, "data": data, "seconds_left": seconds_left}
    if project.template == Template.TRANSCRIBE:
        context["media_kind"] = media_kind(data.get("media", ""))
    if project.template == Template.RECORD:
        given = (answer or {}).get("fields") or {}
        context["record"] = [
            (f"field_{i}", name, given.get(name, data.get(name, "")))
            for i, name in enumerate(project.fields)
        ]
    if project.template == Template.CLASSIFY:
        context["labels"] = [(str(i) if i <= 9 else "", label)
                             for i, label in enumerate(project.labels, start=1)]  # fmt: skip
    if project.is_text:
        given = (answer or {}).get("text")
        prefill = data.get("text", "") if project.template == Template.PROOFREAD else ""
        context["text"] = prefill if given is None else given
    return context


def media_kind(url: str) -> str:
    path = url.split("?", 1)[0].lower()
    if path.endswith(AUDIO):
        return "audio"
    if path.endswith(VIDEO):
        return "video"
    return "image"


def answer_from_post(project: Project, post) -> dict:
    """The answer shape `answers.answer_clean` expects, from the template's form fields."""
    if project.template == Template.CLASSIFY:
        return {"label": post.get("label", "")}
    if project.template == Template.COMPARE:
        return {"choice": post.get("choice", "")}
    if project.template == Template.RECORD:
        return {"fields": {name: post.get(f"field_{i}", "")
                           for i, name in enumerate(project.fields)}}  # fmt: skip
    return {"text": post.get("text", "")}
