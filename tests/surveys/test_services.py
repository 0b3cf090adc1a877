from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.conftest import expire
from tests.surveys.conftest import (
    FEE,
    FUNDS,
    QUESTIONS,
    REWARD,
    answers_for,
    brand_balance,
    escrow_balance,
    respond,
    wallet,
)
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger.models import Transfer
from tolpa.surveys import services
from tolpa.surveys.models import DiscountCode, Response, SurveyStatus
from tolpa.surveys.tasks import close_due_surveys

pytestmark = pytest.mark.django_db


def test_launch_escrows_every_reward_with_fee_plus_the_award(make_survey, brand):
    survey = make_survey(max_responses=10, award=500)
    assert survey.budget == 10 * (REWARD + FEE) + 500
    assert escrow_balance(survey) == survey.budget
    assert brand_balance(brand) == FUNDS - survey.budget
    assert survey.campaign.status == "live"


def test_an_unfunded_brand_cannot_launch(make_survey, brand):
    with pytest.raises(ConflictError, match="Not enough money"):
        make_survey(max_responses=100_000)
    assert brand_balance(brand) == FUNDS


def test_reward_is_paid_once_and_a_repeat_refused(make_survey, make_user):
    survey = make_survey()
    person = make_user()
    response = respond(survey, person)
    assert wallet(person) == REWARD
    with pytest.raises(services.AlreadyAnsweredError):
        respond(survey, person)
    key = f"survey:{survey.pk}:response:{response.pk}:reward"
    assert Transfer.objects.filter(idempotency_key=key).count() == 1
    with transaction.atomic():  # a retried payment with the same key pays nothing more
        services._reward(survey, response, timezone.now())
    assert wallet(person) == REWARD
    assert Response.objects.count() == 1


def test_code_is_assigned_once_and_an_empty_bank_means_full(make_survey, make_user):
    survey = make_survey(reward_mode="code", reward=0, codes="AAA\nBBB\n")
    first, second, third = make_user(), make_user(), make_user()
    got = {respond(survey, p).code.code for p in (first, second)}
    assert got == {"AAA", "BBB"}
    assert services.respond_problem(survey, third) == "This survey is full."
    with pytest.raises(services.SurveyFullError):
        respond(survey, third)
    assert Response.objects.count() == 2
    assert DiscountCode.objects.filter(response__isnull=True).count() == 0


def test_full_survey_refuses_and_returns_the_unused_budget(make_survey, make_user, brand):
    survey = make_survey(max_responses=2)
    respond(survey, make_user())
    respond(survey, make_user())
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SETTLED
    with pytest.raises(ConflictError):
        respond(survey, make_user())
    assert escrow_balance(survey) == 0
    assert brand_balance(brand) == FUNDS - 2 * (REWARD + FEE)


def test_deadline_closes_and_returns_unused_budget_once(make_survey, make_user, brand):
    survey = make_survey(max_responses=10)
    respond(survey, make_user())
    expire(survey.campaign)
    with pytest.raises(ConflictError, match="closed"):
        respond(survey, make_user())
    assert close_due_surveys() == 1
    assert close_due_surveys() == 0
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SETTLED
    assert escrow_balance(survey) == 0
    assert brand_balance(brand) == FUNDS - (REWARD + FEE)


def test_award_is_kept_after_close_then_paid_once(make_survey, make_user, owner, brand):
    survey = make_survey(max_responses=5, award=1_000)
    person = make_user()
    response = respond(survey, person)
    with transaction.atomic():
        survey = services.survey_close(actor=owner, survey=survey)
    assert survey.status == SurveyStatus.CLOSED
    assert survey.campaign.status == "closed"  # discovery stops listing it at once
    assert escrow_balance(survey) == 1_000  # only the award is still held
    with transaction.atomic():
        services.award_give(actor=owner, survey=survey, response_id=response.pk)
    assert wallet(person) == REWARD + 1_000 - 100  # the award less the 10% fee
    with pytest.raises(ConflictError, match="already"), transaction.atomic():
        services.award_give(actor=owner, survey=survey, response_id=response.pk)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SETTLED
    assert brand_balance(brand) == FUNDS - (REWARD + FEE) - 1_000


def test_unclaimed_award_returns_after_the_window(make_survey, make_user, owner, brand):
    survey = make_survey(max_responses=5, award=1_000)
    with transaction.atomic():
        services.survey_close(actor=owner, survey=survey)
    assert close_due_surveys() == 0
    later = timezone.now() + services.AWARD_WINDOW + timedelta(seconds=1)
    with transaction.atomic():
        assert services.survey_finish(survey_id=survey.pk, now=later)
    assert brand_balance(brand) == FUNDS


def test_brand_cannot_answer_its_own_survey(make_survey, owner):
    survey = make_survey()
    with pytest.raises(PermissionDeniedError):
        respond(survey, owner)
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"q0": "Mint"}, 0),
        ({"q1": ["Shop", "Shop"]}, 1),
        ({"q2": 11}, 2),
        ({"q2": True}, 2),
        ({"q3": "x" * 201}, 3),
        ({"q3": "x" * 1_000_000}, 3),
        ({"q0": ""}, 0),
    ],
)
def test_bad_answers_are_refused_naming_the_question(make_survey, make_user, overrides, field):
    survey = make_survey()
    ids = [str(q.pk) for q in survey.questions.all()]
    person = make_user()
    answers = answers_for(survey, **{ids[int(k[1])]: v for k, v in overrides.items()})
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        services.response_submit(actor=person, survey=survey, answers=answers)
    assert list(caught.value.fields) == [f"question_{ids[field]}"]
    assert Response.objects.count() == 0
    assert wallet(person) == 0


def test_optional_questions_may_stay_blank(make_survey, make_user):
    survey = make_survey()
    ids = [str(q.pk) for q in survey.questions.all()]
    response = respond(survey, make_user(), **{ids[1]: [], ids[3]: ""})
    assert set(response.answers) == {ids[0], ids[2]}


def test_questions_are_checked_and_editable_only_while_draft(make_survey, owner):
    draft = make_survey(launch=False)
    bad = [{"kind": "single", "prompt": "Pick", "choices": ["A", "A"]}]
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        services.questions_set(actor=owner, survey=draft, questions=bad)
    assert "questions.0" in caught.value.fields
    with transaction.atomic():
        saved = services.questions_set(actor=owner, survey=draft, questions=QUESTIONS[:1])
    assert len(saved) == 1
    live = make_survey()
    with pytest.raises(ConflictError), transaction.atomic():
        services.questions_set(actor=owner, survey=live, questions=QUESTIONS[:1])
    assert live.questions.count() == len(QUESTIONS)


def test_codes_upload_refuses_duplicates_and_saves_nothing(make_survey, owner):
    survey = make_survey(launch=False, reward_mode="code", reward=0)
    with transaction.atomic():
        assert services.codes_upload(actor=owner, survey=survey, text="A1\n\n  B2  \n") == 2
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        services.codes_upload(actor=owner, survey=survey, text="C3\nC3\nA1\nD4")
    assert "C3" in caught.value.fields["codes"][0]
    assert "A1" in caught.value.fields["codes"][0]
    with pytest.raises(InvalidInput), transaction.atomic():
        services.codes_upload(actor=owner, survey=survey, text="x" * 65)
    assert sorted(survey.codes.values_list("code", flat=True)) == ["A1", "B2"]


def test_a_code_survey_needs_codes_to_launch(make_survey):
    with pytest.raises(InvalidInput, match="not valid"):
        make_survey(reward_mode="code", reward=0)
