"""The surveys API: brands create, launch, fill the code bank, read results, give the award
and close; respondents read a survey (its questions only) and answer it once."""

from django.db import transaction
from ninja import Router, Status

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.errors import NotFoundError
from tolpa.surveys import selectors, services
from tolpa.surveys.models import Response, Survey
from tolpa.surveys.schemas import (
    AnswersIn,
    AwardIn,
    CodesIn,
    CodesOut,
    QuestionOut,
    QuestionsIn,
    ResponseOut,
    ResultsOut,
    SurveyIn,
    SurveyOut,
)

router = Router(tags=["surveys"])


def _question_out(question) -> QuestionOut:
    return QuestionOut(
        id=question.pk, position=question.position, kind=question.kind, prompt=question.prompt,
        required=question.required, choices=question.choices, scale_min=question.scale_min,
        scale_max=question.scale_max, low_label=question.low_label,
        high_label=question.high_label, max_length=question.max_length,
    )  # fmt: skip


def _survey_out(survey: Survey) -> SurveyOut:
    campaign = survey.campaign
    return SurveyOut(
        slug=campaign.slug, title=campaign.title, summary=campaign.summary, status=survey.status,
        currency=survey.currency, reward_mode=survey.reward_mode, reward=survey.reward,
        award=survey.award, max_responses=survey.max_responses,
        responses_count=survey.responses_count, ends_at=campaign.ends_at,
        questions=[_question_out(q) for q in survey.questions.all()],
    )  # fmt: skip


def _response_out(survey: Survey, response: Response, *, owner: bool = True) -> ResponseOut:
    """A response as its author sees it; the brand never gets the author's code."""
    return ResponseOut(
        id=response.pk, answers=response.answers, created_at=response.created_at,
        rewarded=response.rewarded_at is not None, reward=survey.reward, currency=survey.currency,
        code=selectors.code_of(response) if owner else "", awarded=response.awarded,
    )  # fmt: skip


@router.post("", response={201: SurveyOut})
def survey_create(request, payload: SurveyIn):
    """A draft survey with its questions for your brand; launching escrows the budget."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    with transaction.atomic():
        survey = services.survey_create(actor=request.user, organization=organization, **data)
    return Status(201, _survey_out(survey))


@router.get("", response=list[SurveyOut], auth=optional_auth)
def survey_list(request):
    """Live surveys open to answers."""
    surveys = selectors.surveys_open().prefetch_related("questions")[:100]
    return [_survey_out(s) for s in surveys]


@router.get("/{slug}", response=SurveyOut, auth=optional_auth)
def survey_detail(request, slug: str):
    """The survey and its questions, never anyone's answers."""
    return _survey_out(selectors.survey_access(actor=request.user, slug=slug))


@router.put("/{slug}/questions", response=list[QuestionOut])
def questions_set(request, slug: str, payload: QuestionsIn):
    """Replace the questions of a draft."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    questions = [q.dict() for q in payload.questions]
    with transaction.atomic():
        saved = services.questions_set(actor=request.user, survey=survey, questions=questions)
    return [_question_out(q) for q in saved]


@router.post("/{slug}/launch", response=SurveyOut)
def survey_launch(request, slug: str):
    """Escrow max responses × (reward + fee) plus the award from the brand wallet; go live."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        survey = services.survey_launch(actor=request.user, survey=survey)
    return _survey_out(survey)


@router.post("/{slug}/codes", response={201: CodesOut})
def codes_upload(request, slug: str, payload: CodesIn):
    """Add discount codes, one per line; any duplicate refuses the whole upload."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        added = services.codes_upload(actor=request.user, survey=survey, text=payload.codes)
    return Status(201, CodesOut(added=added, left=selectors.codes_left(survey)))


@router.post("/{slug}/responses", response={201: ResponseOut})
def response_submit(request, slug: str, payload: AnswersIn):
    """Answer once: `answers` maps question ids to a choice, a list of choices, a number or
    a text. The reward is paid (or a code given) at once."""
    survey = selectors.survey_access(actor=request.user, slug=slug)
    with transaction.atomic():
        response = services.response_submit(
            actor=request.user, survey=survey, answers=payload.answers
        )
    return Status(201, _response_out(survey, response))


@router.get("/{slug}/responses/me", response=ResponseOut)
def response_mine(request, slug: str):
    """Your own response, with your discount code if you got one."""
    survey = selectors.survey_access(actor=request.user, slug=slug)
    response = selectors.response_of(actor=request.user, survey=survey)
    if response is None:
        raise NotFoundError()
    return _response_out(survey, response)


@router.get("/{slug}/results", response=ResultsOut)
def survey_results(request, slug: str):
    """For the brand: per question how many answered and the count of each option."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    total, results = selectors.survey_results(survey=survey)
    return ResultsOut(
        responses=total, max_responses=survey.max_responses,
        questions=[{"id": r.question.pk, "prompt": r.question.prompt, "kind": r.question.kind,
                    "answered": r.answered,
                    "options": [{"option": o, "count": n, "percent": p} for o, n, p in r.counts]}
                   for r in results],
    )  # fmt: skip


@router.post("/{slug}/award", response=ResponseOut)
def award_give(request, slug: str, payload: AwardIn):
    """Give the best-feedback award to one response, once."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        response = services.award_give(
            actor=request.user, survey=survey, response_id=payload.response
        )
    return _response_out(survey, response, owner=False)


@router.post("/{slug}/close", response=SurveyOut)
def survey_close(request, slug: str):
    """Stop answers now; the unused budget returns to the brand wallet."""
    survey = selectors.survey_manage(actor=request.user, slug=slug)
    with transaction.atomic():
        survey = services.survey_close(actor=request.user, survey=survey)
    return _survey_out(survey)
