import random
import string
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.contests.conftest import deposit
from tolpa.ledger import services as ledger
from tolpa.marketplace.shop import orders, services

PRICE = 2_000  # 20.00 USD; the shop keeps 15%
FEE = 300
FUNDS = 100_000

COFFEE = (
    "Coffee is one of the most popular drinks in the world. Every morning millions of people "
    "start their day with a cup of freshly brewed coffee. The beans are grown in tropical "
    "countries such as Brazil, Vietnam and Colombia, then roasted to bring out their aroma. A "
    "good barista knows that the grind size, the water temperature and the brewing time all "
    "change the taste of the final cup."
)
CYCLING = (
    "Cycling to work is good for your health and for the city. A bicycle takes little space, "
    "makes no noise and costs almost nothing to maintain. In many European cities there are "
    "dedicated lanes that make the trip safe even in rush hour. Start with short distances, buy "
    "a good lock and a helmet, and you will soon wonder why you ever sat in traffic jams."
)


def random_text(seed: int, words: int = 60) -> str:
    """A text of made-up words: unrelated to every other seed's text."""
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(words)
    )


def wallet(user, currency="USD") -> int:
    return ledger.account_for_user(user=user, currency=currency).balance


def brand_balance(organization) -> int:
    return ledger.account_for_organization(organization=organization, currency="USD").balance


def fee_balance() -> int:
    return ledger.account_fee_income(currency="USD").balance


def fund(user, amount=FUNDS) -> None:
    deposit(ledger.account_for_user(user=user, currency="USD"), amount)


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.com", display_name="Anna Author")


@pytest.fixture
def buyer(make_user):
    person = make_user(email="buyer@example.com", display_name="Boris Buyer")
    fund(person)
    return person


@pytest.fixture
def staff(make_user):
    return make_user(email="moderator@example.com", display_name="Mona Moderator", is_staff=True)


@pytest.fixture
def brand(organization):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), FUNDS)
    return organization


def publish(author, body=COFFEE, **fields):
    options = {"title": "Coffee basics", "category": "food", "language": "en",
               "price": PRICE, "currency": "USD", "body": body, **fields}  # fmt: skip
    with transaction.atomic():
        return services.text_publish(actor=author, **options)


def buy(person, text):
    with transaction.atomic():
        return services.purchase_create(actor=person, text_id=text.pk)


def post_order(owner, organization, **fields):
    options = {"topic": "Ten tips for a cosy cafe", "category": "food", "language": "en",
               "words": 50, "price": PRICE, "currency": "USD",
               "deadline": timezone.now() + timedelta(days=3), **fields}  # fmt: skip
    with transaction.atomic():
        return orders.order_create(actor=owner, organization=organization, **options)


def call(function, **kwargs):
    with transaction.atomic():
        return function(**kwargs)
