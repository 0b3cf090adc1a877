"""The shop tells each side what happened: an author of a sale and of a moderation decision,
a brand of its order being taken and delivered, the author of changes, acceptance and a
cancellation after the deadline."""

from datetime import timedelta

import pytest

from tests.marketplace.shop.conftest import COFFEE, buy, call, post_order, publish
from tests.marketplace.shop.test_services import TEA
from tolpa.community.models import Notification, NotificationKind
from tolpa.marketplace.shop import orders, services

pytestmark = pytest.mark.django_db


def texts(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, kind=NotificationKind.DEAL)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_a_sale_and_moderation_reach_the_author(author, buyer, make_user, staff):
    text = publish(author)
    buy(buyer, text)
    assert texts(author) == ["“Coffee basics” is sold: 17.00 USD is in your wallet"]
    assert texts(buyer) == []
    second = make_user(display_name="Second Author")
    held = publish(second, body=TEA, title="Tea basics")
    call(services.text_moderate, actor=staff, text_id=held.pk, approve=False, reason="Too close")
    assert texts(second) == ["“Tea basics” is rejected: Too close"]


def test_each_step_of_an_order_reaches_the_other_side(owner, brand, author):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    assert texts(owner) == ["Anna Author took your order “Ten tips for a cosy cafe”"]
    call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    assert texts(owner)[-1].startswith("Anna Author delivered the text")
    call(orders.order_request_changes, actor=owner, order_id=order.pk, message="Shorter")
    assert texts(author) == ["Changes requested on “Ten tips for a cosy cafe”: Shorter"]
    delivered = call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE + " Yes.")
    later = delivered.delivered_at + orders.AUTO_ACCEPT_AFTER + timedelta(minutes=1)
    assert orders.order_finish(order_id=order.pk, now=later)
    automatic = "accepted automatically after 14 days: 17.00 USD paid to the author"
    assert texts(author)[-1].endswith(automatic)
    assert texts(owner)[-1].endswith(automatic)


def test_a_taken_order_cancelled_after_its_deadline_tells_the_author(owner, brand, author):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    order.refresh_from_db()
    type(order).objects.filter(pk=order.pk).update(deadline=order.taken_at - timedelta(hours=1))
    call(orders.order_cancel, actor=owner, order_id=order.pk)
    assert texts(author) == [
        "The order “Ten tips for a cosy cafe” was cancelled after its deadline"
    ]
