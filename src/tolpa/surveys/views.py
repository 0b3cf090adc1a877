"""Survey pages. Reads go through selectors (which decide who sees what: a respondent sees
only their own answers and code), writes through services inside a transaction; a service
error lands on its form or in a message, a permission or visibility failure becomes a 403/404."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tolpa.accounts.decorators import brand_required
from tolpa.errors import ServiceError
from tolpa.surveys import selectors, services
from tolpa.surveys.forms import AnswerForm, AwardForm, CodesForm, QuestionFormSet, SurveyForm
from tolpa.surveys.models import RewardMode, SurveyStatus
from tolpa.web.charts import bar_chart
from tolpa.web.service_errors import add_service_error, run_form_action

PAGE_SIZE = 20
TEXT_PREVIEW = 10


def index(request):
    page = Paginator(selectors.surveys_open(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/index.html", {"page": page})


def _formset_questions(formset) -> list[dict]:
    return [form.question() for form in formset if form.has_changed() and form.cleaned_data]


@brand_required
def create(request, organization):
    form = SurveyForm(request.POST or None)
    formset = QuestionFormSet(request.POST or None, prefix="questions")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    survey = services.survey_create(
                        actor=request.user, organization=organization, **form.cleaned_data,
                        questions=_formset_questions(formset),
                    )  # fmt: skip
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Draft saved. Check it, then launch."))
                return redirect("surveys:dashboard", slug=survey.campaign.slug)
    return render(request, "surveys/create.html", {
        "form": form, "formset": formset, "organization": organization,
    }, status=status)  # fmt: skip


def detail(request, slug: str):
    """The survey, its answer form and, once answered, the thanks with the reward or code."""
    survey = selectors.survey_access(actor=request.user, slug=slug)
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status = run_form_action(
            request, form,
            lambda _data: services.response_submit(actor=request.user, survey=survey,
                                                   answers=form.answers()),
        )  # fmt: skip
        if status is None:
            messages.success(request, _("Thank you for your answers!"))
            return redirect("surveys:detail", slug=slug)
        survey.refresh_from_db()
    response = selectors.response_of(actor=request.user, survey=survey)
    is_manager = services.is_manager(request.user, survey)
    return render(request, "surveys/detail.html", {
        "survey": survey, "campaign": survey.campaign, "form": form, "response": response,
        "code": selectors.code_of(response), "is_manager": is_manager,
        "problem": None if response or is_manager else services.respond_problem(survey, request.user),
    }, status=status or 200)  # fmt: skip


def _charts(results) -> list:
    for result in results:
        if not result.is_text:
            result.chart = bar_chart(
                [(f"{o} ({p}%)", n) for o, n, p in result.counts], label=result.question.prompt
            )
    return results


def _dashboard_action(request, survey):
    """Run the posted action; None on success, else the status to show the page with."""
    action = request.POST.get("action")
    actor = request.user
    if action == "launch":
        return run_form_action(request, None,
                               lambda _d: services.survey_launch(actor=actor, survey=survey)), None  # fmt: skip
    if action == "close":
        return run_form_action(request, None,
                               lambda _d: services.survey_close(actor=actor, survey=survey)), None  # fmt: skip
    if action == "codes":
        form = CodesForm(request.POST, request.FILES)
        return run_form_action(request, form, lambda d: services.codes_upload(
            actor=actor, survey=survey, text=d["codes"])), form  # fmt: skip
    if action == "award":
        form = AwardForm(request.POST)
        return run_form_action(request, form, lambda d: services.award_give(
            actor=actor, survey=survey, response_id=d["response"])), None  # fmt: skip
    return 400, None


@login_required
def dashboard(request, slug: str):
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    codes_form = CodesForm()
    status = 200
    if request.method == "POST":
        status, bound = _dashboard_action(request, survey)
        if status is None:
            messages.success(request, _("Saved."))
            return redirect("surveys:dashboard", slug=slug)
        codes_form = bound or codes_form
        survey.refresh_from_db()
    total, results = selectors.survey_results(survey=survey)
    for result in results:
        if result.is_text:
            answers = selectors.text_answers(survey=survey, question=result.question)
            result.preview, result.more = answers[:TEXT_PREVIEW], len(answers) > TEXT_PREVIEW
    return render(request, "surveys/dashboard.html", {
        "survey": survey, "campaign": survey.campaign, "total": total,
        "results": _charts(results), "codes_form": codes_form,
        "codes_left": selectors.codes_left(survey), "codes_total": survey.codes.count(),
        "budget": services.budget_of(survey), "cost": services.cost_per_response(survey),
        "award_open": services.award_open(survey), "is_code": survey.reward_mode == RewardMode.CODE,
        "is_draft": survey.status == SurveyStatus.DRAFT,
        "completion": round(100 * total / survey.max_responses, 1),
        "responses": _responses_page(survey, request.GET.get("page")),
    }, status=status)  # fmt: skip


def _responses_page(survey, number):
    page = Paginator(survey.responses.order_by("pk"), PAGE_SIZE).get_page(number)
    for response in page:
        response.summary = " · ".join(
            selectors.answer_text(value) for value in response.answers.values()
        )
    return page


@login_required
def text_answers(request, slug: str, question_id: int):
    """Every answer to one text question, a page at a time."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404
    answers = selectors.text_answers(survey=survey, question=question)
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render(request, "surveys/answers.html", {
        "survey": survey, "campaign": survey.campaign, "question": question, "page": page,
    })  # fmt: skip


@login_required
def results_csv(request, slug: str):
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{slug}.csv"'
    writer = csv.writer(response)
    for row in selectors.results_rows(survey=survey):
        writer.writerow(row)
    return response
