"""Parallel purchases and takes on real parallel connections (PostgreSQL; SQLite serializes
writers)."""

import pytest
from django.db import connection

from tests.concurrency import run_in_parallel
from tests.marketplace.shop.conftest import (
    FEE,
    FUNDS,
    PRICE,
    buy,
    call,
    fund,
    post_order,
    publish,
    wallet,
)
from tolpa.ledger.models import Transfer
from tolpa.marketplace.shop import orders, services
from tolpa.marketplace.shop.models import Order, Purchase, RightsTransfer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_eight_buyers_at_once_one_text_sold_once(author, make_user):
    text = publish(author)
    buyers = [make_user() for _ in range(8)]
    for person in buyers:
        fund(person)
    queue = iter(buyers)
    results = run_in_parallel(lambda: buy(next(queue), text), 8)
    sold = [r for r in results if isinstance(r, Purchase)]
    refused = [r for r in results if isinstance(r, services.NotForSaleError)]
    assert (len(sold), len(refused)) == (1, 7), results
    assert Purchase.objects.count() == RightsTransfer.objects.count() == 1
    assert Transfer.objects.filter(idempotency_key__startswith="shop:text:").count() == 1
    assert wallet(author) == PRICE - FEE
    assert sorted(wallet(p) for p in buyers) == [FUNDS - PRICE] + [FUNDS] * 7


def test_one_buyer_clicking_six_times_pays_once(author, buyer):
    text = publish(author)
    results = run_in_parallel(lambda: buy(buyer, text), 6)
    assert all(isinstance(r, Purchase) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert wallet(buyer) == FUNDS - PRICE


def test_six_authors_take_one_order_one_wins(owner, brand, make_user):
    order = post_order(owner, brand)
    authors = iter([make_user() for _ in range(6)])
    results = run_in_parallel(
        lambda: call(orders.order_take, actor=next(authors), order_id=order.pk), 6
    )
    taken = [r for r in results if isinstance(r, Order)]
    assert len(taken) == 1, results
    assert all(
        isinstance(r, orders.OrderTakenError) for r in results if not isinstance(r, Order)
    ), results
    assert Order.objects.get().author == taken[0].author


def test_near_copies_sent_at_once_only_one_is_listed(make_user):
    from tests.marketplace.shop.conftest import COFFEE
    from tolpa.marketplace.shop.models import ShopText, TextStatus
    from tolpa.marketplace.shop.texts import DuplicateTextError

    variants = iter(COFFEE.replace("cup", f"cup {n}") for n in range(5))
    authors = iter([make_user() for _ in range(5)])
    results = run_in_parallel(lambda: publish(next(authors), body=next(variants)), 5)
    assert sum(isinstance(r, ShopText) for r in results) == 1, results
    assert all(isinstance(r, DuplicateTextError) for r in results if not isinstance(r, ShopText))
    assert ShopText.objects.filter(status=TextStatus.LISTED).count() == 1
