import pytest
from django.db import transaction

from tests.contests.conftest import deposit
from tolpa.ledger import services as ledger
from tolpa.surveys import services
from tolpa.surveys.models import Survey

REWARD = 100  # 1.00 USD per response; the brand pays 10% on top
FEE = 10
FUNDS = 1_000_000

QUESTIONS = [
    {"kind": "single", "prompt": "Favourite flavour?", "choices": ["Vanilla", "Caramel"]},
    {"kind": "multiple", "prompt": "Where do you buy?", "choices": ["Shop", "Online", "Market"],
     "required": False},
    {"kind": "scale", "prompt": "How likely to recommend?", "scale_max": 10,
     "low_label": "Never", "high_label": "Surely"},
    {"kind": "text", "prompt": "What would you change?", "max_length": 200, "required": False},
]  # fmt: skip


def wallet(user) -> int:
    return ledger.account_for_user(user=user, currency="USD").balance


def brand_balance(organization) -> int:
    return ledger.account_for_organization(organization=organization, currency="USD").balance


def escrow_balance(survey: Survey) -> int:
    return ledger.account_escrow(reference=survey.escrow_reference, currency="USD").balance


def fee_balance() -> int:
    return ledger.account_fee_income(currency="USD").balance


def answers_for(survey: Survey, **overrides) -> dict:
    ids = [str(q.pk) for q in survey.questions.all()]
    answers = dict(zip(ids, ["Vanilla", ["Shop", "Online"], 9, "Less sugar"], strict=True))
    answers.update(overrides)
    return answers


@pytest.fixture
def brand(organization):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), FUNDS)
    return organization


@pytest.fixture
def make_survey(owner, brand):
    def make(*, launch=True, codes="", **fields):
        options = {"title": "Taste test", "currency": "USD", "reward": REWARD,
                   "max_responses": 10, "questions": QUESTIONS, **fields}  # fmt: skip
        with transaction.atomic():
            survey = services.survey_create(actor=owner, organization=brand, **options)
            if launch:
                if codes:
                    services.codes_upload(actor=owner, survey=survey, text=codes)
                survey = services.survey_launch(actor=owner, survey=survey)
        return survey

    return make


def respond(survey, person, **overrides):
    with transaction.atomic():
        return services.response_submit(
            actor=person, survey=survey, answers=answers_for(survey, **overrides)
        )
