"""For any sequence of publishing, buying (with retries), ordering, taking, delivering,
accepting, cancelling and the job's expiry and auto-accept, money is conserved: what buyers and brands paid equals what
authors earned plus fees plus what escrow still holds, and nothing is paid twice."""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.marketplace.shop.conftest import (
    FUNDS,
    brand_balance,
    call,
    fund,
    post_order,
    random_text,
    wallet,
)
from tolpa.errors import ServiceError
from tolpa.ledger import services as ledger
from tolpa.marketplace.shop import orders, services
from tolpa.marketplace.shop.models import Order, OrderStatus, Purchase, ShopText

PEOPLE = 3
person = st.integers(0, PEOPLE - 1)
price = st.integers(1, 5_000)
operation = st.one_of(
    st.tuples(st.just("publish"), person, price),
    st.tuples(st.just("buy"), person, st.integers(0, 5)),
    st.tuples(st.just("order"), st.just(0), price),
    st.tuples(st.just("take"), person, st.integers(0, 3)),
    st.tuples(st.just("deliver"), person, st.integers(0, 3)),
    st.tuples(st.just("accept"), st.just(0), st.integers(0, 3)),
    st.tuples(st.just("cancel"), st.just(0), st.integers(0, 3)),
    st.tuples(st.just("finish"), st.just(0), st.integers(0, 3)),
)
LATER = timedelta(days=400)  # past every deadline and auto-accept delay


@pytest.mark.django_db
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(operations=st.lists(operation, max_size=14))
def test_money_is_conserved(make_user, owner, brand, operations):
    with transaction.atomic():  # each example starts from the same funded brand
        _run(make_user, owner, brand, operations)
        transaction.set_rollback(True)


def _nth(queryset, n):
    rows = list(queryset.order_by("pk"))
    return rows[n % len(rows)] if rows else None


def _apply(owner, brand, people, step, name, who, value):
    actor = people[who]
    if name == "publish":
        body = random_text(step)
        call(services.text_publish, actor=actor, title=f"Text {step}", category="other",
             language="en", price=value, currency="USD", body=body)  # fmt: skip
    elif name == "buy" and (text := _nth(ShopText.objects.exclude(status="ordered"), value)):
        call(services.purchase_create, actor=actor, text_id=text.pk)
    elif name == "order":
        post_order(owner, brand, price=value, topic=f"Order {step}")
    elif order := _nth(Order.objects.all(), value):
        if name == "take":
            call(orders.order_take, actor=actor, order_id=order.pk)
        elif name == "deliver":
            call(orders.order_deliver, actor=actor, order_id=order.pk, body=random_text(step))
        elif name == "accept":
            call(orders.order_accept, actor=owner, order_id=order.pk)
        elif name == "cancel":
            call(orders.order_cancel, actor=owner, order_id=order.pk)
        elif name == "finish":
            call(orders.order_finish, order_id=order.pk, now=timezone.now() + LATER)


def _run(make_user, owner, brand, operations):
    fee_account = ledger.account_fee_income(currency="USD")
    fees_before = fee_account.balance
    brand_before = brand_balance(brand)
    people = [make_user() for _ in range(PEOPLE)]
    for p in people:
        fund(p)
    for step, (name, who, value) in enumerate(operations):
        with contextlib.suppress(ServiceError):
            _apply(owner, brand, people, step, name, who, value)
    purchases = list(Purchase.objects.select_related("text"))
    paid_by_buyers = sum(p.price for p in purchases)
    accepted = list(Order.objects.filter(status=OrderStatus.ACCEPTED))
    for p in people:  # each wallet: funds, less what they bought, plus what they earned
        spent = sum(x.price for x in purchases if x.buyer_id == p.pk)
        earned = sum(x.price - x.fee for x in purchases if x.text.author_id == p.pk) + sum(
            o.price - o.fee for o in accepted if o.author_id == p.pk
        )
        assert wallet(p) == FUNDS - spent + earned
    fee_account.refresh_from_db()
    fees = fee_account.balance - fees_before
    order_list = list(Order.objects.all())
    escrowed = sum(
        ledger.account_escrow(reference=o.escrow_reference, currency="USD").balance
        for o in order_list
    )
    brand_paid = brand_before - brand_balance(brand)
    earned = sum(p.price - p.fee for p in purchases) + sum(
        o.price - o.fee for o in order_list if o.status == OrderStatus.ACCEPTED
    )
    assert paid_by_buyers + brand_paid == earned + fees + escrowed
    for order in order_list:
        held = ledger.account_escrow(reference=order.escrow_reference, currency="USD").balance
        closed = order.status in (OrderStatus.ACCEPTED, OrderStatus.CANCELLED)
        assert held == (0 if closed else order.price)
    assert len({p.text_id for p in purchases}) == len(purchases)
