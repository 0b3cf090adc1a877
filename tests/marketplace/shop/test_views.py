from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    fund,
    post_order,
    publish,
    random_text,
    wallet,
)
from tolpa.marketplace.shop import orders, services
from tolpa.marketplace.shop.models import Order, OrderStatus, Purchase, ShopText, TextStatus

pytestmark = pytest.mark.django_db

HIDDEN_TAIL = "change the taste of the final cup"


def _form(**extra):
    return {"title": "Coffee basics", "category": "food", "language": "en", "currency": "USD",
            "price": "20.00", "body": COFFEE, **extra}  # fmt: skip


def test_shop_lists_texts_with_filters_and_htmx(client, author):
    publish(author)
    publish(author, body=CYCLING, title="Cycling to work", category="travel", price=500)
    page = client.get("/shop/").content.decode()
    assert "Coffee basics" in page
    assert "Cycling to work" in page
    assert HIDDEN_TAIL not in page
    found = client.get("/shop/", {"category": "travel"}).content.decode()
    assert "Cycling to work" in found
    assert "Coffee basics" not in found
    cheap = client.get("/shop/", {"price_max": "10"}, headers={"HX-Request": "true"})
    assert "<html" not in cheap.content.decode()
    assert "Cycling to work" in cheap.content.decode()
    assert "Coffee basics" not in cheap.content.decode()
    assert client.get("/shop/", {"q": "bicycle"}).status_code == 200


def test_publish_through_the_page(client, author):
    client.force_login(author)
    assert client.get("/shop/sell/").status_code == 200
    sent = client.post("/shop/sell/", _form())
    assert sent.status_code == 302
    text = ShopText.objects.get()
    assert (text.price, text.status) == (PRICE, TextStatus.LISTED)
    assert "100% unique" in client.get(sent.url).content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"price": "-5"}, "must be positive"),
        ({"price": "abc"}, "Enter a number"),
        ({"body": "Too short"}, "too short"),
        ({"body": ""}, "required"),
    ],
)
def test_bad_publish_shows_the_error_and_saves_nothing(client, author, extra, message):
    client.force_login(author)
    response = client.post("/shop/sell/", _form(**extra))
    assert response.status_code in (400, 422)
    assert message in response.content.decode()
    assert ShopText.objects.count() == 0


def test_duplicate_on_the_page_names_the_text(client, author, make_user):
    publish(author)
    client.force_login(make_user())
    response = client.post("/shop/sell/", _form(title="Mine now"))
    assert response.status_code == 422
    assert "Coffee basics" in response.content.decode()
    assert ShopText.objects.count() == 1


def test_full_text_only_after_buying(client, author, buyer, make_user):
    text = publish(author)
    url = f"/shop/texts/{text.pk}/"
    assert HIDDEN_TAIL not in client.get(url).content.decode()
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert HIDDEN_TAIL not in page
    assert "buy-button" in page
    bought = client.post(f"/shop/texts/{text.pk}/buy/")
    assert bought.status_code == 302
    assert "/shop/rights/" in bought.url
    record = client.get(bought.url).content.decode()
    assert text.sha256 in record
    assert "Boris Buyer" in record
    assert "Anna Author" in record
    assert HIDDEN_TAIL in client.get(url).content.decode()
    assert wallet(buyer) == FUNDS - PRICE
    assert wallet(author) == PRICE - FEE
    client.force_login(make_user())
    assert HIDDEN_TAIL not in client.get(url).content.decode()
    assert client.get(bought.url).status_code == 404
    client.force_login(author)
    assert client.get(bought.url).status_code == 200


def test_buying_ones_own_text_on_the_page_is_refused(client, author):
    fund(author)
    text = publish(author)
    client.force_login(author)
    assert "buy-button" not in client.get(f"/shop/texts/{text.pk}/").content.decode()
    response = client.post(f"/shop/texts/{text.pk}/buy/", follow=True)
    assert "You cannot buy your own text." in response.content.decode()
    assert Purchase.objects.count() == 0
    assert wallet(author) == FUNDS


def test_buying_a_sold_text_shows_a_message(client, author, buyer, make_user):
    text = publish(author)
    buy(buyer, text)
    client.force_login(make_user())
    response = client.post(f"/shop/texts/{text.pk}/buy/", follow=True)
    assert "already sold" in response.content.decode()
    assert Purchase.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, author):
    text = publish(author)
    for url in ("/shop/sell/", "/shop/mine/", "/shop/purchases/", "/shop/moderation/",
                "/shop/orders/new/"):  # fmt: skip
        assert client.get(url).status_code == 302
    assert client.post(f"/shop/texts/{text.pk}/buy/").status_code == 302
    assert Purchase.objects.count() == 0


def test_dashboard_and_purchases_pages(client, author, buyer):
    text = publish(author)
    publish(author, body=CYCLING, title="Cycling")
    buy(buyer, text)
    client.force_login(author)
    page = client.get("/shop/mine/").content.decode()
    assert "Boris Buyer" in page
    assert "17.00 USD" in page  # earned: 20.00 less the 3.00 fee
    client.force_login(buyer)
    page = client.get("/shop/purchases/").content.decode()
    assert "Coffee basics" in page
    assert str(text.rights.code) in page


def test_moderation_page(client, author, staff, make_user):
    publish(author)
    tea = COFFEE.replace("Coffee", "Tea").replace("coffee", "tea").replace("beans", "leaves")
    tea = tea.replace("Brazil, Vietnam and Colombia", "China, India and Kenya")
    held = publish(make_user(), body=tea, title="Tea basics")
    assert held.status == TextStatus.HELD
    client.force_login(author)
    assert client.get("/shop/moderation/").status_code == 403
    client.force_login(staff)
    assert "Tea basics" in client.get("/shop/moderation/").content.decode()
    refused = client.post("/shop/moderation/", {"text": held.pk, "action": "reject", "reason": ""})
    assert refused.status_code == 422
    assert "Say why the text is rejected." in refused.content.decode()
    client.post("/shop/moderation/", {"text": held.pk, "action": "reject", "reason": "Copy"})
    held.refresh_from_db()
    assert (held.status, held.moderation_reason) == (TextStatus.REJECTED, "Copy")


def test_order_pages_from_posting_to_acceptance(client, owner, brand, author):
    client.force_login(owner)
    deadline = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    sent = client.post("/shop/orders/new/", {
        "topic": "Cosy cafe tips", "category": "food", "language": "en", "words": "50",
        "currency": "USD", "price": "20", "deadline": deadline})  # fmt: skip
    assert sent.status_code == 302, sent.content.decode()
    order = Order.objects.get()
    assert brand_balance(brand) == FUNDS - PRICE
    assert "Cosy cafe tips" in client.get("/shop/orders/").content.decode()
    client.force_login(author)
    client.post(f"/shop/orders/{order.pk}/", {"action": "take"})
    short = client.post(f"/shop/orders/{order.pk}/", {"action": "deliver", "body": "short"})
    assert short.status_code == 422
    client.post(f"/shop/orders/{order.pk}/", {"action": "deliver", "body": COFFEE})
    client.force_login(owner)
    page = client.get(f"/shop/orders/{order.pk}/").content.decode()
    assert HIDDEN_TAIL in page
    client.post(f"/shop/orders/{order.pk}/", {"action": "accept"})
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert wallet(author) == PRICE - FEE


def test_bad_order_form_holds_nothing(client, owner, brand):
    client.force_login(owner)
    response = client.post("/shop/orders/new/", {
        "topic": "Tips", "category": "food", "language": "en", "words": "50",
        "currency": "USD", "price": "-3", "deadline": "2020-01-01T00:00"})  # fmt: skip
    assert response.status_code == 400
    assert Order.objects.count() == 0
    assert brand_balance(brand) == FUNDS


def test_strangers_cannot_act_on_an_order(client, owner, brand, author, make_user):
    order = post_order(owner, brand)
    call(orders.order_take, actor=author, order_id=order.pk)
    call(orders.order_deliver, actor=author, order_id=order.pk, body=COFFEE)
    client.force_login(make_user())
    page = client.get(f"/shop/orders/{order.pk}/").content.decode()
    assert HIDDEN_TAIL not in page
    assert client.post(f"/shop/orders/{order.pk}/", {"action": "accept"}).status_code == 403
    assert wallet(author) == 0


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/shop/", "/api/v1/shop/texts", "/shop/orders/", "/api/v1/shop/orders"]
)
def test_lists_cost_the_same_queries_for_more_rows(client, author, owner, brand, url):
    publish(author, body=random_text(0))
    post_order(owner, brand)
    few = _count_queries(client, url)
    for n in range(1, 6):
        publish(author, body=random_text(n), title=f"Text {n}")
        post_order(owner, brand, topic=f"Order {n}")
    assert _count_queries(client, url) == few
    assert few <= 6


def test_admin_pages_open(admin_client, author, buyer, owner, brand):
    text = publish(author)
    buy(buyer, text)
    order = post_order(owner, brand)
    for path in ("shoptext", "purchase", "order", "rightstransfer"):
        assert admin_client.get(f"/admin/shop/{path}/").status_code == 200, path
    assert admin_client.get(f"/admin/shop/shoptext/{text.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/shop/order/{order.pk}/change/").status_code == 200
    assert (
        admin_client.get(f"/admin/shop/rightstransfer/{text.rights.pk}/change/").status_code == 200
    )


def test_download_only_for_readers(client, author, buyer, make_user):
    text = publish(author)
    url = f"/shop/texts/{text.pk}/download/"
    client.force_login(buyer)
    assert client.get(url).status_code == 404
    buy(buyer, text)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == COFFEE
    assert "attachment" in response["Content-Disposition"]
    client.force_login(make_user())
    assert client.get(url).status_code == 404


def test_profile_lists_texts_on_sale(client, author, buyer):
    sold = publish(author)
    buy(buyer, sold)
    publish(author, body=CYCLING, title="Cycling to work")
    page = client.get(f"/accounts/u/{author.pk}/").content.decode()
    assert "Cycling to work" in page
    assert "Coffee basics" not in page


def test_reprice_on_the_page(client, author):
    text = publish(author)
    client.force_login(author)
    bad = client.post(f"/shop/texts/{text.pk}/price/", {"price": "-3"}, follow=True)
    assert "must be positive" in bad.content.decode()
    client.post(f"/shop/texts/{text.pk}/price/", {"price": "7.50"})
    text.refresh_from_db()
    assert text.price == 750


def test_a_price_changed_after_the_page_loaded_is_not_charged(client, author, buyer):
    text = publish(author)
    call(services.text_reprice, actor=author, text_id=text.pk, price=PRICE * 2)
    client.force_login(buyer)
    page = client.post(f"/shop/texts/{text.pk}/buy/", {"price": str(PRICE)}, follow=True)
    assert "The price changed to 40.00 USD" in page.content.decode()
    assert wallet(buyer) == FUNDS
    assert Purchase.objects.count() == 0
