"""For any sequence of responses, retried submits and payments, an early close and the award,
money is conserved and nobody is paid twice."""

import contextlib

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.surveys.conftest import REWARD, brand_balance, escrow_balance, respond, wallet
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ledger import services as ledger
from tolpa.surveys import services
from tolpa.surveys.models import Response

PEOPLE = 4
AWARD = 300
operation = st.one_of(
    st.tuples(st.just("respond"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("retry_pay"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("award"), st.integers(0, PEOPLE - 1)),
    st.just(("close", 0)),
    st.just(("finish", 0)),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(operations=st.lists(operation, max_size=12), max_responses=st.integers(1, 3))
def test_money_is_conserved_and_nobody_paid_twice(
    make_survey, make_user, owner, brand, operations, max_responses
):
    with transaction.atomic():  # each example starts from the same funded brand
        _run(make_survey, make_user, owner, brand, operations, max_responses)
        transaction.set_rollback(True)


def _apply(survey, owner, person, name: str) -> None:
    response = Response.objects.filter(survey=survey, respondent=person).first()
    if name == "respond":
        respond(survey, person)
    elif name == "retry_pay" and response:
        with transaction.atomic():
            services._reward(survey, response, timezone.now())
    elif name == "award":
        with transaction.atomic():
            services.award_give(actor=owner, survey=survey,
                                response_id=response.pk if response else 0)  # fmt: skip
    elif name == "close":
        with transaction.atomic():
            services.survey_close(actor=owner, survey=survey)
    elif name == "finish":
        with transaction.atomic():
            services.survey_finish(survey_id=survey.pk)


def _run(make_survey, make_user, owner, brand, operations, max_responses):
    fee_account = ledger.account_fee_income(currency="USD")
    fees_before = fee_account.balance
    brand_before = brand_balance(brand)
    survey = make_survey(max_responses=max_responses, award=AWARD)
    held = survey.budget
    people = [make_user() for _ in range(PEOPLE)]
    for name, who in operations:
        with contextlib.suppress(ConflictError, InvalidInput):
            _apply(survey, owner, people[who], name)
    escrow = escrow_balance(survey)
    paid = sum(wallet(p) for p in people)
    fee_account.refresh_from_db()
    fees = fee_account.balance - fees_before
    refunded = brand_balance(brand) - (brand_before - held)
    assert escrow + paid + fees + refunded == held
    assert escrow >= 0
    responses = list(Response.objects.filter(survey=survey).select_related("respondent"))
    assert len(responses) <= max_responses
    for response in responses:
        award = AWARD - AWARD // 10 if response.awarded else 0
        assert wallet(response.respondent) == REWARD + award
