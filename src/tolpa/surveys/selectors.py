"""Survey reads, each deciding who may see what: anyone sees a live survey's questions, a
respondent only their own response and code, the brand its results."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from tolpa.accounts.models import User
from tolpa.campaigns.models import Status
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.surveys.models import (
    CHOICE_KINDS,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from tolpa.surveys.services import is_manager


def surveys_open() -> QuerySet[Survey]:
    return (
        Survey.objects.filter(status=SurveyStatus.LIVE, campaign__status=Status.LIVE)
        .select_related("campaign__organization")
        .order_by("-campaign__starts_at", "-pk")
    )


def survey_access(*, actor: User, slug: str) -> Survey:
    """A survey the actor may see: a draft only by its brand (others get 404)."""
    survey = (
        Survey.objects.select_related("campaign__organization").filter(campaign__slug=slug).first()
    )
    if survey is None or (survey.status == SurveyStatus.DRAFT and not is_manager(actor, survey)):
        raise NotFoundError()
    return survey


def survey_manage(*, actor: User, slug: str) -> Survey:
    survey = survey_access(actor=actor, slug=slug)
    if not is_manager(actor, survey):
        raise PermissionDeniedError()
    return survey


def response_of(*, actor: User, survey: Survey) -> Response | None:
    if not actor.is_authenticated:
        return None
    return Response.objects.filter(survey=survey, respondent=actor).select_related("code").first()


def code_of(response: Response | None) -> str:
    code = getattr(response, "code", None) if response else None
    return code.code if code else ""


def codes_left(survey: Survey) -> int:
    return survey.codes.filter(response__isnull=True).count()


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


def _options(question: Question) -> list[str]:
    if question.kind in CHOICE_KINDS:
        return list(question.choices)
    if question.kind == QuestionKind.SCALE:
        return [str(v) for v in question.scale_values]
    return []


def survey_results(*, survey: Survey) -> tuple[int, list[QuestionResult]]:
    """The response count and, per question, how many answered and the count and share of
    each option (shares of those who answered it). One pass over the answers."""
    questions = list(survey.questions.all())
    results = {str(q.pk): QuestionResult(question=q) for q in questions}
    tallies = {key: dict.fromkeys(_options(r.question), 0) for key, r in results.items()}
    total = 0
    for answers in survey.responses.values_list("answers", flat=True).iterator(chunk_size=1000):
        total += 1
        for key, value in answers.items():
            if key not in results:
                continue
            results[key].answered += 1
            for option in value if isinstance(value, list) else [value]:
                if str(option) in tallies[key]:
                    tallies[key][str(option)] += 1
    for key, result in results.items():
        base = result.answered or 1
        result.counts = [(o, n, round(100 * n / base, 1)) for o, n in tallies[key].items()]
    return total, list(results.values())


def text_answers(*, survey: Survey, question: Question) -> list[tuple[int, str]]:
    """(response id, text) of every answer to a text question, oldest first."""
    key = str(question.pk)
    return [
        (pk, answers[key])
        for pk, answers in survey.responses.values_list("pk", "answers").iterator(chunk_size=1000)
        if answers.get(key)
    ]


def answer_text(value) -> str:
    """An answer as one line: multiple choices joined by "; "."""
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would run as a formula."""
    text = answer_text(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def results_rows(*, survey: Survey):
    """The CSV: a header, then one row per response and one column per question."""
    questions = list(survey.questions.all())
    yield ["response", "submitted_utc", *(csv_cell(q.prompt) for q in questions)]
    for response in survey.responses.order_by("pk").iterator(chunk_size=1000):
        yield [
            response.pk,
            response.created_at.isoformat(),
            *(csv_cell(response.answers.get(str(q.pk), "")) for q in questions),
        ]
