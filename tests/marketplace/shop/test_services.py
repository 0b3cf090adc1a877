from datetime import timedelta

import pytest
from django.utils import timezone

from tests.marketplace.shop.conftest import (
    COFFEE,
    CYCLING,
    FEE,
    FUNDS,
    PRICE,
    brand_balance,
    buy,
    call,
    fee_balance,
    post_order,
    publish,
    random_text,
    wallet,
)
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.models import Transfer
from tolpa.marketplace.shop import orders, selectors, services, texts
from tolpa.marketplace.shop.models import (
    Order,
    OrderStatus,
    Purchase,
    RightsTransfer,
    ShopText,
    TextStatus,
)

pytestmark = pytest.mark.django_db

COFFEE_REWRITE = (
    COFFEE.replace("Every morning", "Each morning")
    .replace("A good barista", "An experienced barista")
    .replace("freshly brewed", "fresh")
)
TEA = (
    "Tea is one of the most popular drinks on the planet. Each morning many people begin the "
    "day with a cup of hot tea. The leaves grow in countries such as China, India and Kenya, "
    "then are dried to keep their aroma. A good tea master knows that the leaf size, the water "
    "temperature and the steeping time all change the taste of the final cup."
)


def _snapshot():
    return (
        ShopText.objects.count(),
        Purchase.objects.count(),
        RightsTransfer.objects.count(),
        Transfer.objects.count(),
    )


# Publishing ---------------------------------------------------------------------------------


def test_publish_lists_a_unique_text_with_counts_and_a_preview(author):
    text = publish(author)
    assert text.status == TextStatus.LISTED
    assert text.uniqueness == 100
    assert text.words == len(COFFEE.split())
    assert text.characters == len(COFFEE)
    assert COFFEE.startswith(text.preview.removesuffix(" …"))
    assert len(text.preview) < len(COFFEE) * 0.3
    assert text.sha256 == texts.sha256_of(COFFEE)


def test_preview_is_capped_for_long_texts():
    body = random_text(1, words=2000)
    assert len(texts.preview_of(body)) <= texts.PREVIEW_MAX + 2


def test_unrelated_text_stays_listed_with_its_uniqueness(author, make_user):
    publish(author)
    other = publish(make_user(), body=CYCLING, title="Cycling to work")
    assert other.status == TextStatus.LISTED
    assert 70 <= other.uniqueness < 100


def test_a_similar_text_is_held_naming_what_it_resembles(author, make_user):
    original = publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    assert held.status == TextStatus.HELD
    assert held.similar_to == original
    assert held.uniqueness < 60
    assert held not in selectors.text_list_shop()


def test_a_near_exact_duplicate_is_refused_naming_the_text(author, make_user):
    publish(author)
    before = _snapshot()
    with pytest.raises(texts.DuplicateTextError) as caught:
        publish(make_user(), body=COFFEE_REWRITE, title="My coffee")
    assert "Coffee basics" in caught.value.message
    assert "body" in caught.value.fields
    assert _snapshot() == before


def test_a_sold_text_still_counts_for_uniqueness(author, buyer, make_user):
    text = publish(author)
    buy(buyer, text)
    with pytest.raises(texts.DuplicateTextError):
        publish(make_user(), body=COFFEE)


def test_a_withdrawn_text_no_longer_counts(author):
    text = publish(author)
    call(services.text_withdraw, actor=author, text_id=text.pk)
    assert publish(author).status == TextStatus.LISTED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   short text   "}, "body"),
        ({"body": "word " * 20_000}, "body"),
        ({"price": -500}, "price"),
        ({"price": 0}, "price"),
        ({"price": "12"}, "price"),
        ({"currency": "XXX"}, "currency"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"category": "poetry"}, "category"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(author, fields, field):
    with pytest.raises(InvalidInput) as caught:
        publish(author, **fields)
    assert field in caught.value.fields
    assert ShopText.objects.count() == 0


def test_anonymous_cannot_publish(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDeniedError):
        publish(AnonymousUser())


# Moderation ---------------------------------------------------------------------------------


def test_staff_approve_or_reject_held_texts(author, make_user, staff):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    assert list(selectors.moderation_queue(actor=staff)) == [held]
    with pytest.raises(InvalidInput):
        call(services.text_moderate, actor=staff, text_id=held.pk, approve=False, reason=" ")
    rejected = call(services.text_moderate, actor=staff, text_id=held.pk, approve=False,
                    reason="Too close to an existing text")  # fmt: skip
    assert rejected.status == TextStatus.REJECTED
    assert rejected.moderation_reason == "Too close to an existing text"
    with pytest.raises(ConflictError):
        call(services.text_moderate, actor=staff, text_id=held.pk, approve=True)


def test_approve_puts_a_held_text_on_sale(author, make_user, staff):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    approved = call(services.text_moderate, actor=staff, text_id=held.pk, approve=True)
    assert approved.status == TextStatus.LISTED
    assert approved.moderated_by == staff


def test_only_staff_moderate(author, make_user):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    with pytest.raises(PermissionDeniedError):
        call(services.text_moderate, actor=author, text_id=held.pk, approve=True)
    with pytest.raises(PermissionDeniedError):
        selectors.moderation_queue(actor=author)
    held.refresh_from_db()
    assert held.status == TextStatus.HELD


# Purchases ----------------------------------------------------------------------------------


def test_purchase_pays_author_less_fee_and_records_rights(author, buyer):
    text = publish(author)
    fees = fee_balance()
    purchase = buy(buyer, text)
    assert (purchase.price, purchase.fee) == (PRICE, FEE)
    assert wallet(buyer) == FUNDS - PRICE
    assert wallet(author) == PRICE - FEE
    assert fee_balance() - fees == FEE
    text.refresh_from_db()
    assert text.status == TextStatus.SOLD
    assert text not in selectors.text_list_shop()
    rights = purchase.rights
    assert (rights.seller, rights.buyer, rights.price) == (author, buyer, PRICE)
    assert rights.sha256 == texts.sha256_of(COFFEE)
    assert selectors.body_visible(actor=buyer, text=text)


def test_purchase_is_idempotent_for_the_buyer(author, buyer):
    text = publish(author)
    first = buy(buyer, text)
    assert buy(buyer, text) == first
    assert wallet(buyer) == FUNDS - PRICE
    assert Transfer.objects.filter(idempotency_key__startswith="shop:").count() == 1


def test_a_sold_text_cannot_be_bought_again(author, buyer, make_user):
    from tests.marketplace.shop.conftest import fund

    text = publish(author)
    buy(buyer, text)
    other = make_user()
    fund(other)
    before = _snapshot()
    with pytest.raises(services.NotForSaleError):
        buy(other, text)
    assert _snapshot() == before
    assert wallet(other) == FUNDS


def test_buying_ones_own_text_is_refused(author):
    from tests.marketplace.shop.conftest import fund

    fund(author)
    text = publish(author)
    before = _snapshot()
    with pytest.raises(services.OwnTextError, match="your own text"):
        buy(author, text)
    assert _snapshot() == before
    assert wallet(author) == FUNDS


def test_not_enough_money_changes_nothing(author, make_user):
    text = publish(author)
    poor = make_user()
    with pytest.raises(ledger.InsufficientFundsError, match=r"20\.00 USD"):
        buy(poor, text)
    text.refresh_from_db()
    assert text.status == TextStatus.LISTED
    assert Purchase.objects.count() == 0


def test_held_or_withdrawn_texts_are_not_for_sale(author, buyer, make_user):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    with pytest.raises(services.NotForSaleError):
        buy(buyer, held)
    mine = publish(author, body=CYCLING, title="Cycling")
    call(services.text_withdraw, actor=author, text_id=mine.pk)
    with pytest.raises(services.NotForSaleError):
        buy(buyer, mine)
    assert wallet(buyer) == FUNDS


def test_only_the_author_withdraws(author, buyer):
    text = publish(author)
    with pytest.raises(PermissionDeniedError):
        call(services.text_withdraw, actor=buyer, text_id=text.pk)
    buy(buyer, text)
    with pytest.raises(ConflictError):
        call(services.text_withdraw, actor=author, text_id=text.pk)


def test_author_earnings(author, buyer):
    buy(buyer, publish(author))
    buy(buyer, publish(author, body=CYCLING, title="Cycling"))
    (usd,) = selectors.author_earnings(actor=author)
    assert (usd.sales, usd.gross, usd.fees, usd.net) == (2, 2 * PRICE, 2 * FEE, 2 * (PRICE - FEE))


# Orders --------------------------------------------------------------------------------------


def test_order_lifecycle_holds_pays_and_transfers_rights(owner, brand, author):
    order = post_order(owner, brand)
    escrow = ledger.account_escrow(reference=order.escrow_reference, currency="USD")
    assert escrow.balance == PRICE
    assert brand_balance(brand) == FUNDS - PRICE
    call(orders.order_take, actor=author, order_id=order.pk)
    order = call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    assert order.status == OrderStatus.DELIVERED
    assert order.text.status == TextStatus.ORDERED
    assert selectors.body_visible(actor=owner, text=order.text)
    order = call(orders.order_request_changes, actor=owner, order_id=order.pk,
                 message="Mention Vietnam first")  # fmt: skip
    assert order.status == OrderStatus.CHANGES
    order = call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE + " Vietnam.")
    order = call(orders.order_accept, actor=owner, order_id=order.pk)
    assert order.status == OrderStatus.ACCEPTED
    assert wallet(author) == PRICE - FEE
    escrow.refresh_from_db()
    assert escrow.balance == 0
    rights = order.rights
    assert (rights.seller, rights.buyer, rights.organization) == (author, owner, brand)
    assert rights.sha256 == texts.sha256_of(COFFEE + " Vietnam.")
    with pytest.raises(ConflictError):
        call(orders.order_accept, actor=owner, order_id=order.pk)
    assert wallet(author) == PRICE - FEE


def test_the_first_author_takes_the_order(owner, brand, author, make_user):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    with pytest.raises(orders.OrderTakenError):
        call(orders.order_take, actor=make_user(), order_id=order.pk)
    assert Order.objects.get().author == author


def test_brand_cannot_take_its_own_order(owner, brand):
    order = post_order(owner, brand)
    with pytest.raises(PermissionDeniedError):
        call(orders.order_take, actor=owner, order_id=order.pk)


def test_cancel_an_untaken_order_refunds_the_brand(owner, brand, author):
    order = post_order(owner, brand)
    call(orders.order_cancel, actor=owner, order_id=order.pk)
    assert brand_balance(brand) == FUNDS
    with pytest.raises(ConflictError):
        call(orders.order_cancel, actor=owner, order_id=order.pk)
    with pytest.raises(orders.OrderTakenError):
        call(orders.order_take, actor=author, order_id=order.pk)
    assert brand_balance(brand) == FUNDS


def test_a_taken_order_is_cancelled_only_after_its_deadline(owner, brand, author):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    with pytest.raises(ConflictError):
        call(orders.order_cancel, actor=owner, order_id=order.pk)
    Order.objects.filter(pk=order.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    call(orders.order_cancel, actor=owner, order_id=order.pk)
    assert brand_balance(brand) == FUNDS


def test_a_delivery_duplicating_a_shop_text_is_refused(owner, brand, author, make_user):
    publish(make_user())
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    with pytest.raises(texts.DuplicateTextError, match="Coffee basics"):
        call(orders.order_deliver, actor=author, order_id=order.pk, body=TEA)
    order.refresh_from_db()
    assert (order.status, order.text_id) == (OrderStatus.TAKEN, None)


def test_a_short_delivery_is_refused(owner, brand, author):
    order = post_order(owner, brand, words=200)
    call(orders.order_take, actor=author, order_id=order.pk)
    with pytest.raises(InvalidInput, match="200 words"):
        call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)


def test_only_the_taker_delivers_and_only_the_brand_accepts(owner, brand, author, make_user):
    order = post_order(owner, brand)
    stranger = make_user()
    call(orders.order_take, actor=author, order_id=order.pk)
    with pytest.raises(PermissionDeniedError):
        call(orders.order_deliver, actor=stranger, order_id=order.pk, body=COFFEE)
    call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    for person in (stranger, author):
        with pytest.raises(PermissionDeniedError):
            call(orders.order_accept, actor=person, order_id=order.pk)
    assert not selectors.body_visible(actor=stranger, text=Order.objects.get().text)
    assert wallet(author) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price": -100}, "price"),
        ({"words": 10}, "words"),
        ({"words": "many"}, "words"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"topic": ""}, "topic"),
    ],
)
def test_bad_orders_are_refused_and_nothing_is_held(owner, brand, fields, field):
    with pytest.raises(InvalidInput) as caught:
        post_order(owner, brand, **fields)
    assert field in caught.value.fields
    assert Order.objects.count() == 0
    assert brand_balance(brand) == FUNDS


def test_past_deadline_and_poor_brand_are_refused(owner, organization):
    with pytest.raises(InvalidInput):
        post_order(owner, organization, deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ledger.InsufficientFundsError, match="brand wallet"):
        post_order(owner, organization)
    assert Order.objects.count() == 0


# The job -----------------------------------------------------------------------------------------


def test_job_refunds_untaken_orders_past_their_deadline_once(owner, brand):
    from tolpa.marketplace.shop.tasks import finish_due_orders

    order = post_order(owner, brand)
    assert finish_due_orders() == 0
    Order.objects.filter(pk=order.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    assert finish_due_orders() == 1
    assert finish_due_orders() == 0
    assert Order.objects.get().status == OrderStatus.CANCELLED
    assert brand_balance(brand) == FUNDS


def test_job_accepts_a_delivery_left_unanswered(owner, brand, author):
    from tolpa.marketplace.shop.tasks import finish_due_orders

    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    assert finish_due_orders() == 0
    later = timezone.now() - orders.AUTO_ACCEPT_AFTER - timedelta(seconds=1)
    Order.objects.filter(pk=order.pk).update(delivered_at=later)
    assert finish_due_orders() == 1
    assert finish_due_orders() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.rights.buyer == owner
    assert wallet(author) == PRICE - FEE


def test_a_cancelled_delivery_leaves_the_corpus(owner, brand, author):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    call(orders.order_request_changes, actor=owner, order_id=order.pk, message="Redo")
    Order.objects.filter(pk=order.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    call(orders.order_cancel, actor=owner, order_id=order.pk)
    assert brand_balance(brand) == FUNDS
    assert publish(author).status == TextStatus.LISTED


def test_the_cached_index_follows_the_corpus(author, make_user):
    from tolpa.marketplace.shop import uniqueness

    first = publish(author)
    assert uniqueness.check(COFFEE).similar == first
    cycling = publish(author, body=CYCLING, title="Cycling")  # added to the cached index
    assert uniqueness.check(CYCLING).similar == cycling
    call(services.text_withdraw, actor=author, text_id=first.pk)  # rebuilt without it
    assert uniqueness.check(COFFEE).similar in (None, cycling)
    assert uniqueness.check(COFFEE).uniqueness > 50


def test_the_database_refuses_an_exact_copy_the_check_missed(author, make_user, monkeypatch):
    from tolpa.marketplace.shop import uniqueness

    publish(author)
    missed = uniqueness.Check(uniqueness=100, similar=None, similarity=0.0)
    monkeypatch.setattr(uniqueness, "check", lambda *_a, **_k: missed)
    with pytest.raises(texts.DuplicateTextError, match="exact text"):
        publish(make_user(), title="Copied")
    assert ShopText.objects.count() == 1


def test_the_author_reprices_an_unsold_text(author, buyer):
    text = publish(author)
    with pytest.raises(PermissionDeniedError):
        call(services.text_reprice, actor=buyer, text_id=text.pk, price=100)
    with pytest.raises(InvalidInput):
        call(services.text_reprice, actor=author, text_id=text.pk, price=-1)
    call(services.text_reprice, actor=author, text_id=text.pk, price=900)
    purchase = buy(buyer, text)
    assert (purchase.price, wallet(buyer)) == (900, FUNDS - 900)
    with pytest.raises(ConflictError):
        call(services.text_reprice, actor=author, text_id=text.pk, price=100)
