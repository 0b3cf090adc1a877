"""Parallel submits on real parallel connections (PostgreSQL; SQLite serializes writers)."""

import pytest
from django.db import connection

from tests.concurrency import run_in_parallel
from tests.surveys.conftest import REWARD, respond, wallet
from tolpa.ledger.models import Transfer
from tolpa.surveys import services
from tolpa.surveys.models import DiscountCode, Response

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_six_parallel_submits_by_one_person_pay_once(make_survey, make_user):
    survey = make_survey()
    person = make_user()
    results = run_in_parallel(lambda: respond(survey, person), 6)
    assert sum(isinstance(r, Response) for r in results) == 1, results
    assert all(
        isinstance(r, services.AlreadyAnsweredError) for r in results if not isinstance(r, Response)
    ), results
    assert Response.objects.count() == 1
    assert Transfer.objects.filter(idempotency_key__endswith=":reward").count() == 1
    assert wallet(person) == REWARD


def test_eight_respondents_five_codes(make_survey, make_user):
    survey = make_survey(reward_mode="code", reward=0, codes="\n".join(f"C{i}" for i in range(5)))
    people = iter([make_user() for _ in range(8)])
    results = run_in_parallel(lambda: respond(survey, next(people)), 8)
    given = [r for r in results if isinstance(r, Response)]
    refused = [r for r in results if isinstance(r, services.SurveyFullError)]
    assert (len(given), len(refused)) == (5, 3), results
    codes = DiscountCode.objects.filter(response__isnull=False)
    assert sorted(codes.values_list("code", flat=True)) == [f"C{i}" for i in range(5)]
    assert len({c.response_id for c in codes}) == 5
