from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.contests.conftest import deposit
from tolpa.ledger import services as ledger
from tolpa.marketplace import services
from tolpa.marketplace.models import Milestone, Tender

FUNDS = 1_000_000
PRICE = 50_000  # 500.00 USD
FEE_BP = 1000  # TOLPA_FEE_TENDER_BP default


def wallet(user, currency="USD") -> int:
    return ledger.account_for_user(user=user, currency=currency).balance


def brand_balance(organization, currency="USD") -> int:
    return ledger.account_for_organization(organization=organization, currency=currency).balance


def escrow_balance(milestone: Milestone) -> int:
    return ledger.account_escrow(reference=milestone.escrow_reference, currency="USD").balance


def fee_balance() -> int:
    return ledger.account_fee_income(currency="USD").balance


@pytest.fixture
def brand(organization):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), FUNDS)
    return organization


@pytest.fixture
def freelancer(make_user):
    return make_user(email="freelancer@example.com", display_name="Fay Freelancer")


@pytest.fixture
def operator(make_user):
    return make_user(email="operator@example.com", display_name="Olga Operator", is_staff=True)


@pytest.fixture
def make_tender(owner, brand):
    def make(**fields) -> Tender:
        options = {
            "title": "Translate our site into Vietnamese",
            "description": "Forty pages, a glossary is attached.",
            "currency": "USD",
            "budget_min": 30_000,
            "budget_max": 80_000,
            "offer_deadline": timezone.now() + timedelta(days=7),
            "skills": ["translation", "vietnamese"],
            **fields,
        }
        with transaction.atomic():
            return services.tender_create(actor=owner, organization=brand, **options)

    return make


def propose(tender, person, *, price=PRICE, days=10, letter="I translate for a living."):
    with transaction.atomic():
        return services.proposal_submit(
            actor=person, tender=tender, price=price, days=days, cover_letter=letter,
            portfolio_links=["https://example.com/work"],
        )  # fmt: skip


def award(owner, proposal, milestones=None):
    with transaction.atomic():
        return services.proposal_award(actor=owner, proposal=proposal, milestones=milestones)


def call(function, **kwargs):
    with transaction.atomic():
        return function(**kwargs)


@pytest.fixture
def contract(make_tender, owner, freelancer):
    """An awarded contract of 500.00 USD in two milestones, 200.00 and 300.00."""
    tender = make_tender()
    proposal = propose(tender, freelancer)
    today = timezone.now().date()
    return award(owner, proposal, [
        {"title": "First half", "amount": 20_000, "due_date": today + timedelta(days=5)},
        {"title": "Second half", "amount": 30_000, "due_date": today + timedelta(days=10)},
    ])  # fmt: skip


def milestones(contract) -> list[Milestone]:
    return list(contract.milestones.order_by("position"))
