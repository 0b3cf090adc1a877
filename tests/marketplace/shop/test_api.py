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
    fund,
    post_order,
    publish,
    wallet,
)
from tolpa.marketplace.shop import orders
from tolpa.marketplace.shop.models import Order, Purchase, ShopText, TextStatus

pytestmark = pytest.mark.django_db

TEA = (
    "Tea is one of the most popular drinks on the planet. Each morning many people begin the "
    "day with a cup of hot tea. The leaves grow in countries such as China, India and Kenya, "
    "then are dried to keep their aroma. A good tea master knows that the leaf size, the water "
    "temperature and the steeping time all change the taste of the final cup."
)


def _text_payload(**extra):
    return {"title": "Coffee basics", "category": "food", "language": "en", "price": PRICE,
            "currency": "USD", "body": COFFEE, **extra}  # fmt: skip


def _order_payload(organization, **extra):
    deadline = (timezone.now() + timedelta(days=3)).isoformat()
    return {"organization_id": organization.pk, "topic": "Cosy cafe tips", "category": "food",
            "language": "en", "words": 50, "price": PRICE, "currency": "USD",
            "deadline": deadline, **extra}  # fmt: skip


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


# Whole flows ------------------------------------------------------------------------------------


def test_publish_buy_and_read_rights(api_client, author, buyer):
    api_client.login(author)
    created = api_client.post("/shop/texts", _text_payload())
    assert created.status_code == 201, created.content
    text = created.json()
    assert (text["status"], text["uniqueness"], text["body"]) == ("listed", 100, COFFEE)
    api_client.login(buyer)
    public = api_client.get(f"/shop/texts/{text['id']}").json()
    assert public["body"] is None
    assert public["preview"].removesuffix(" …") in COFFEE
    listed = api_client.get("/shop/texts", q="coffee", language="en").json()
    assert [t["id"] for t in listed] == [text["id"]]
    assert all(t["body"] is None for t in listed)
    bought = api_client.post(f"/shop/texts/{text['id']}/purchase")
    assert bought.status_code == 201, bought.content
    purchase = bought.json()
    assert purchase["text"]["body"] == COFFEE
    assert (purchase["price"], purchase["fee"]) == (PRICE, FEE)
    code = purchase["rights"]["code"]
    assert api_client.get(f"/shop/texts/{text['id']}").json()["body"] == COFFEE
    assert [p["id"] for p in api_client.get("/shop/purchases").json()] == [purchase["id"]]
    assert api_client.get(f"/shop/rights/{code}").json()["buyer_id"] == buyer.pk
    assert api_client.get("/shop/texts").json() == []
    api_client.login(author)
    assert api_client.get(f"/shop/rights/{code}").json()["seller_id"] == author.pk
    assert api_client.get("/shop/earnings").json() == [
        {"currency": "USD", "sales": 1, "gross": PRICE, "fees": FEE, "net": PRICE - FEE}
    ]
    assert [t["status"] for t in api_client.get("/shop/texts/mine").json()] == ["sold"]


def test_order_flow(api_client, owner, brand, author):
    api_client.login(owner)
    created = api_client.post("/shop/orders", _order_payload(brand))
    assert created.status_code == 201, created.content
    order_id = created.json()["id"]
    assert brand_balance(brand) == FUNDS - PRICE
    api_client.login(author)
    assert [o["id"] for o in api_client.get("/shop/orders").json()] == [order_id]
    assert api_client.post(f"/shop/orders/{order_id}/take").json()["status"] == "taken"
    delivered = api_client.post(f"/shop/orders/{order_id}/deliver", {"body": COFFEE}).json()
    assert delivered["text"]["body"] == COFFEE
    api_client.login(owner)
    changes = api_client.post(f"/shop/orders/{order_id}/changes", {"message": "Shorter intro"})
    assert changes.json()["status"] == "changes"
    api_client.login(author)
    api_client.post(f"/shop/orders/{order_id}/deliver", {"body": COFFEE + " More."})
    api_client.login(owner)
    accepted = api_client.post(f"/shop/orders/{order_id}/accept").json()
    assert accepted["status"] == "accepted"
    assert accepted["rights_code"]
    assert wallet(author) == PRICE - FEE
    assert api_client.get(f"/shop/rights/{accepted['rights_code']}").status_code == 200


# Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/shop/texts"),
        ("get", "/shop/texts/mine"),
        ("post", "/shop/texts/{text}/withdraw"),
        ("post", "/shop/texts/{text}/price"),
        ("post", "/shop/texts/{text}/purchase"),
        ("get", "/shop/moderation"),
        ("post", "/shop/texts/{text}/moderate"),
        ("get", "/shop/earnings"),
        ("get", "/shop/purchases"),
        ("get", "/shop/rights"),
        ("get", "/shop/rights/{code}"),
        ("post", "/shop/orders"),
        ("post", "/shop/orders/{order}/take"),
        ("post", "/shop/orders/{order}/deliver"),
        ("post", "/shop/orders/{order}/changes"),
        ("post", "/shop/orders/{order}/accept"),
        ("post", "/shop/orders/{order}/cancel"),
    ],
)
def test_anonymous_gets_401(client, author, buyer, owner, brand, method, path):
    text = publish(author)
    rights = buy(buyer, publish(author, body=CYCLING, title="Cycling")).rights
    order = post_order(owner, brand)
    url = "/api/v1" + path.format(text=text.pk, code=rights.code, order=order.pk)
    before = (ShopText.objects.count(), Purchase.objects.count(), Order.objects.count())
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert _error(response, 401)["code"] == "unauthenticated"
    assert (ShopText.objects.count(), Purchase.objects.count(), Order.objects.count()) == before


def test_full_text_private_until_bought(api_client, client, author, buyer, staff, make_user):
    text = publish(author)
    url = f"/shop/texts/{text.pk}"
    assert client.get(f"/api/v1{url}").json()["body"] is None
    for person, sees in [(make_user(), False), (author, True), (staff, True), (buyer, False)]:
        api_client.login(person)
        assert (api_client.get(url).json()["body"] is not None) is sees
    buy(buyer, text)
    api_client.login(buyer)
    assert api_client.get(url).json()["body"] == COFFEE
    api_client.login(make_user())
    assert api_client.get(url).json()["body"] is None


def test_held_text_exists_only_for_its_author_and_staff(api_client, author, staff, make_user):
    publish(author)
    writer = make_user()
    held = publish(writer, body=TEA, title="Tea basics")
    api_client.login(author)
    _error(api_client.get(f"/shop/texts/{held.pk}"), 404)
    api_client.login(writer)
    assert api_client.get(f"/shop/texts/{held.pk}").json()["status"] == "held"
    api_client.login(staff)
    assert [t["id"] for t in api_client.get("/shop/moderation").json()] == [held.pk]


def test_moderation_is_staff_only(api_client, author, staff, make_user):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    api_client.login(author)
    _error(api_client.get("/shop/moderation"), 403)
    _error(api_client.post(f"/shop/texts/{held.pk}/moderate", {"approve": True}), 403)
    api_client.login(staff)
    approved = api_client.post(f"/shop/texts/{held.pk}/moderate", {"approve": True})
    assert approved.json()["status"] == "listed"


def test_only_the_author_withdraws(api_client, author, buyer):
    text = publish(author)
    api_client.login(buyer)
    _error(api_client.post(f"/shop/texts/{text.pk}/withdraw"), 403)
    api_client.login(author)
    assert api_client.post(f"/shop/texts/{text.pk}/withdraw").json()["status"] == "withdrawn"


def test_rights_and_purchases_are_private_to_the_parties(api_client, author, buyer, make_user):
    rights = buy(buyer, publish(author)).rights
    api_client.login(make_user())
    _error(api_client.get(f"/shop/rights/{rights.code}"), 404)
    assert api_client.get("/shop/rights").json() == []
    assert api_client.get("/shop/purchases").json() == []


def test_order_permissions(api_client, owner, brand, author, make_user, other_organization):
    order = post_order(owner, brand)
    assert [o["id"] for o in api_client.get("/shop/orders").json()] == [order.pk]  # anonymous
    stranger = make_user()
    api_client.login(stranger)
    _error(api_client.post("/shop/orders", _order_payload(other_organization)), 404)
    api_client.login(owner)
    assert _error(api_client.post(f"/shop/orders/{order.pk}/take"), 403)["code"] == "forbidden"
    api_client.login(author)
    api_client.post(f"/shop/orders/{order.pk}/take")
    api_client.login(stranger)
    _error(api_client.post(f"/shop/orders/{order.pk}/deliver", {"body": COFFEE}), 403)
    api_client.login(author)
    api_client.post(f"/shop/orders/{order.pk}/deliver", {"body": COFFEE})
    for person in (stranger, author):
        api_client.login(person)
        _error(api_client.post(f"/shop/orders/{order.pk}/accept"), 403)
        _error(api_client.post(f"/shop/orders/{order.pk}/changes", {"message": "x"}), 403)
        _error(api_client.post(f"/shop/orders/{order.pk}/cancel"), 403)
    assert api_client.get(f"/shop/orders/{order.pk}").json()["text"]["body"] == COFFEE
    api_client.login(stranger)
    assert api_client.get(f"/shop/orders/{order.pk}").json()["text"] is None
    assert wallet(author) == 0


# Bad input ---------------------------------------------------------------------------------------


def test_buying_ones_own_text_is_refused(api_client, author):
    fund(author)
    text = publish(author)
    api_client.login(author)
    error = _error(api_client.post(f"/shop/texts/{text.pk}/purchase"), 403)
    assert error["code"] == "own_text"
    assert "own text" in error["message"]
    assert wallet(author) == FUNDS
    assert Purchase.objects.count() == 0


def test_a_sold_or_missing_text_cannot_be_bought(api_client, author, buyer, make_user):
    text = publish(author)
    buy(buyer, text)
    other = make_user()
    fund(other)
    api_client.login(other)
    assert _error(api_client.post(f"/shop/texts/{text.pk}/purchase"), 409)["code"] == "not_for_sale"
    _error(api_client.post("/shop/texts/999999/purchase"), 404)
    assert wallet(other) == FUNDS


def test_buying_without_money_is_409(api_client, author, make_user):
    text = publish(author)
    api_client.login(make_user())
    assert _error(api_client.post(f"/shop/texts/{text.pk}/purchase"), 409)["code"] == (
        "insufficient_funds"
    )
    text.refresh_from_db()
    assert text.status == TextStatus.LISTED


def test_a_duplicate_text_is_refused_naming_it(api_client, author, make_user):
    publish(author)
    api_client.login(make_user())
    error = _error(api_client.post("/shop/texts", _text_payload(title="Copy")), 422)
    assert error["code"] == "duplicate_text"
    assert "Coffee basics" in error["message"]
    assert ShopText.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 60_000}, "body"),
        ({"body": "x" * 300_000}, "body"),  # the schema's cap
        ({"price": -100}, "price"),
        ({"price": "lots"}, "price"),
        ({"currency": "ZZZ"}, "currency"),
        ({"category": "poetry"}, "category"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_text_is_422(api_client, author, extra, field):
    api_client.login(author)
    error = _error(api_client.post("/shop/texts", _text_payload(**extra)), 422)
    assert field in error["fields"], error
    assert ShopText.objects.count() == 0


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"offset": -1}])
@pytest.mark.parametrize("path", ["/shop/texts", "/shop/orders"])
def test_bad_list_params_are_422(api_client, path, params):
    _error(api_client.get(path, **params), 422)


def test_odd_filters_are_ignored(api_client, author):
    publish(author)
    found = api_client.get("/shop/texts", category="nope", price_min="abc", price_max="25")
    assert len(found.json()) == 1
    assert api_client.get("/shop/texts", price_min="20.01").json() == []


def test_bad_ids_are_404(api_client, author, staff):
    api_client.login(author)
    _error(api_client.get("/shop/texts/999999"), 404)
    _error(api_client.get("/shop/rights/not-a-code"), 404)
    _error(api_client.get("/shop/orders/999999"), 404)
    _error(api_client.post("/shop/texts/999999/withdraw"), 404)
    api_client.login(staff)
    _error(api_client.post("/shop/texts/999999/moderate", {"approve": True}), 404)


def test_bad_moderation_is_refused(api_client, author, staff, make_user):
    publish(author)
    held = publish(make_user(), body=TEA, title="Tea basics")
    api_client.login(staff)
    error = _error(api_client.post(f"/shop/texts/{held.pk}/moderate", {"approve": False}), 422)
    assert "reason" in error["fields"]
    _error(api_client.post(f"/shop/texts/{held.pk}/moderate", {"reason": "x"}), 422)
    held.refresh_from_db()
    assert held.status == TextStatus.HELD


def test_withdrawing_a_sold_text_is_409(api_client, author, buyer):
    text = publish(author)
    buy(buyer, text)
    api_client.login(author)
    _error(api_client.post(f"/shop/texts/{text.pk}/withdraw"), 409)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"price": -100}, "price"),
        ({"words": 5}, "words"),
        ({"deadline": "soon"}, "deadline"),
        ({"deadline": "2020-01-01T00:00:00+00:00"}, "deadline"),
        ({"currency": "ZZZ"}, "currency"),
        ({"topic": ""}, "topic"),
    ],
)
def test_bad_order_is_422_and_nothing_held(api_client, owner, brand, extra, field):
    api_client.login(owner)
    error = _error(api_client.post("/shop/orders", _order_payload(brand, **extra)), 422)
    assert field in error["fields"], error
    assert Order.objects.count() == 0
    assert brand_balance(brand) == FUNDS


def test_order_actions_in_the_wrong_state_are_refused(api_client, owner, brand, author, make_user):
    order = post_order(owner, brand)
    api_client.login(owner)
    _error(api_client.post(f"/shop/orders/{order.pk}/accept"), 409)
    _error(api_client.post(f"/shop/orders/{order.pk}/changes", {"message": ""}), 422)
    api_client.login(author)
    _error(api_client.post(f"/shop/orders/{order.pk}/deliver", {"body": COFFEE}), 403)
    api_client.post(f"/shop/orders/{order.pk}/take")
    error = _error(api_client.post(f"/shop/orders/{order.pk}/deliver", {"body": "too short"}), 422)
    assert "body" in error["fields"]
    api_client.login(make_user())
    assert _error(api_client.post(f"/shop/orders/{order.pk}/take"), 409)["code"] == "order_taken"
    api_client.login(owner)
    _error(api_client.post(f"/shop/orders/{order.pk}/cancel"), 409)
    _error(api_client.post(f"/shop/orders/{order.pk}/deliver", {}), 422)
    assert brand_balance(brand) == FUNDS - PRICE


def test_cancel_refunds_the_brand(api_client, owner, brand):
    order = post_order(owner, brand)
    api_client.login(owner)
    assert api_client.post(f"/shop/orders/{order.pk}/cancel").json()["status"] == "cancelled"
    assert brand_balance(brand) == FUNDS
    _error(api_client.post(f"/shop/orders/{order.pk}/cancel"), 409)
    assert brand_balance(brand) == FUNDS


def test_an_expired_order_cannot_be_taken(api_client, owner, brand, author):
    order = post_order(owner, brand)
    Order.objects.filter(pk=order.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    api_client.login(author)
    _error(api_client.post(f"/shop/orders/{order.pk}/take"), 409)
    assert api_client.get("/shop/orders").json() == []
    assert call(orders.order_cancel, actor=owner, order_id=order.pk).status == "cancelled"


@pytest.mark.parametrize(
    "path", ["/shop/texts/mine", "/shop/purchases", "/shop/rights", "/shop/moderation"]
)
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}])
def test_bad_paging_is_422(api_client, staff, path, params):
    api_client.login(staff)
    _error(api_client.get(path, **params), 422)


def test_earnings_by_currency(api_client, author, buyer):
    buy(buyer, publish(author))
    api_client.login(author)
    assert len(api_client.get("/shop/earnings", currency="usd").json()) == 1
    assert api_client.get("/shop/earnings", currency="EUR").json() == []
    assert "currency" in _error(api_client.get("/shop/earnings", currency="ZZZ"), 422)["fields"]


def test_paging_of_my_texts(api_client, author):
    publish(author)
    publish(author, body=CYCLING, title="Cycling")
    api_client.login(author)
    assert [t["title"] for t in api_client.get("/shop/texts/mine", limit=1).json()] == ["Cycling"]
    assert len(api_client.get("/shop/texts/mine", offset=1).json()) == 1


def test_reprice(api_client, author, buyer):
    text = publish(author)
    api_client.login(buyer)
    _error(api_client.post(f"/shop/texts/{text.pk}/price", {"price": 10}), 403)
    api_client.login(author)
    assert (
        "price"
        in _error(api_client.post(f"/shop/texts/{text.pk}/price", {"price": 0}), 422)["fields"]
    )
    _error(api_client.post(f"/shop/texts/{text.pk}/price", {"price": "cheap"}), 422)
    assert api_client.post(f"/shop/texts/{text.pk}/price", {"price": 999}).json()["price"] == 999


def test_purchase_with_a_stale_price_is_409(api_client, author, buyer):
    text = publish(author)
    api_client.login(buyer)
    stale = api_client.post(f"/shop/texts/{text.pk}/purchase?expected_price={PRICE - 1}")
    assert _error(stale, 409)["code"] == "price_changed"
    _error(api_client.post(f"/shop/texts/{text.pk}/purchase?expected_price=abc"), 422)
    assert wallet(buyer) == FUNDS
    bought = api_client.post(f"/shop/texts/{text.pk}/purchase?expected_price={PRICE}")
    assert bought.status_code == 201
