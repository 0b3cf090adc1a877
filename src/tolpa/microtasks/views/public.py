"""The pages anyone may reach: open projects, the project page, the brand's create form and
a worker's own answers with earnings and appeals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.accounts.decorators import brand_required
from tolpa.errors import NotFoundError, PermissionDeniedError, ServiceError
from tolpa.microtasks import review, selectors, services
from tolpa.microtasks.forms import AppealForm, ProjectForm
from tolpa.microtasks.models import (
    Assignment,
    AssignmentStatus,
    BatchStatus,
    Task,
    Template,
    WorkerStat,
)
from tolpa.microtasks.views.common import project_for
from tolpa.web.service_errors import add_service_error

PAGE_SIZE = 20
MY_ANSWERS = 100


def index(request):
    template = request.GET.get("template", "")
    template = template if template in Template.values else ""
    projects = selectors.projects_open()
    if template:
        projects = projects.filter(template=template)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    left = _tasks_left([project.pk for project in page])
    for project in page:
        project.tasks_left = left.get(project.pk, 0)
    return render(request, "microtasks/index.html", {
        "page": page, "template": template, "templates": Template.choices,
    })  # fmt: skip


def _tasks_left(project_ids: list[int]) -> dict[int, int]:
    """Regular tasks still open in live batches, per project, in one query."""
    rows = (
        Task.objects.filter(batch__project__in=project_ids, batch__status=BatchStatus.LIVE,
                            done=False, is_gold=False)
        .values("batch__project").annotate(n=Count("pk"))
    )  # fmt: skip
    return {row["batch__project"]: row["n"] for row in rows}


@brand_required
def create(request, organization):
    form = ProjectForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    project = services.project_create(
                        actor=request.user, organization=organization, **form.service_arguments()
                    )
            except ServiceError as exc:
                add_service_error(form, exc, aliases={"lease_seconds": "lease_minutes"})
                status = exc.status
            else:
                messages.success(request, _("Project saved. Upload a batch of tasks, then launch."))
                return redirect("microtasks:dashboard", slug=project.campaign.slug)
    return render(request, "microtasks/create.html", {
        "form": form, "organization": organization,
    }, status=status)  # fmt: skip


def detail(request, slug: str):
    project = project_for(request, slug)
    is_manager = services.is_manager(request.user, project)
    problem = None if is_manager else services.eligibility_problem(project, request.user)
    return render(request, "microtasks/detail.html", {
        "project": project, "campaign": project.campaign, "is_manager": is_manager,
        "problem": problem,
        "tasks_left": _tasks_left([project.pk]).get(project.pk, 0),
        "stat": project.worker_stats.filter(worker_id=request.user.pk).first(),
    })  # fmt: skip


@login_required
def mine(request):
    """The worker's answers; a POST here is an appeal of a rejected one."""
    status = 200
    failed_form = None
    if request.method == "POST":
        failed_form, status = _appeal(request)
        if failed_form is None:
            messages.success(request, _("Your appeal was sent to the brand."))
            return redirect("microtasks:mine")
    answers = list(
        Assignment.objects.filter(worker=request.user)
        .exclude(status__in=(AssignmentStatus.LEASED, AssignmentStatus.SKIPPED))
        .select_related("task__batch__project__campaign")
        .order_by("-submitted_at", "-pk")[:MY_ANSWERS]
    )
    for answer in answers:
        if answer.status == AssignmentStatus.REJECTED and not answer.appeal:
            answer.appeal_form = (
                failed_form
                if failed_form is not None and failed_form.data.get("assignment") == str(answer.pk)
                else AppealForm(
                    initial={"assignment": answer.pk}, auto_id=f"id_appeal{answer.pk}_%s"
                )
            )
    return render(request, "microtasks/mine.html", {
        "answers": answers, "summary": selectors.worker_summary(worker=request.user),
        "earnings": _earnings(request.user),
    }, status=status)  # fmt: skip


def _earnings(worker) -> list:
    return list(
        WorkerStat.objects.filter(worker=worker)
        .select_related("project__campaign")
        .order_by("-earned")
    )


def _appeal(request) -> tuple[AppealForm | None, int]:
    """(None, 200) when the appeal is in; else the bound form with its error and status."""
    pk = request.POST.get("assignment", "")
    form = AppealForm(request.POST, auto_id=f"id_appeal{pk if pk.isdigit() else ''}_%s")
    if not form.is_valid():
        return form, 400
    try:
        with transaction.atomic():
            review.appeal(
                worker=request.user,
                assignment=Assignment(pk=form.cleaned_data["assignment"]),
                text=form.cleaned_data["text"],
            )
    except (PermissionDeniedError, NotFoundError):
        raise
    except ServiceError as exc:
        add_service_error(form, exc)
        return form, exc.status
    return None, 200
