"""The content exchange API: texts for sale (the body only for its author, staff and buyer),
purchases with their rights records, moderation for staff, and brands' orders for texts."""

from uuid import UUID

from django.db import transaction
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.errors import NotFoundError
from tolpa.ledger.money import validate_currency
from tolpa.marketplace.shop import orders, selectors, services
from tolpa.marketplace.shop.models import Order, OrderStatus, Purchase, RightsTransfer, ShopText
from tolpa.marketplace.shop.schemas import (
    ChangesIn,
    DeliverIn,
    EarningsOut,
    ModerateIn,
    OrderIn,
    OrderOut,
    PriceIn,
    PurchaseOut,
    RightsOut,
    TextIn,
    TextOut,
)

router = Router(tags=["shop"])
MAX_LIMIT = 100


class Paging(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class EarningsParams(Schema):
    currency: str = Field("", max_length=3, description="only this currency")


class ListParams(Schema):
    q: str = Field("", max_length=200)
    category: str = ""
    language: str = ""
    currency: str = ""
    price_min: str = Field("", max_length=20, description="major units, e.g. 5.00")
    price_max: str = Field("", max_length=20)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _text_out(text: ShopText, actor, *, with_body: bool | None = None) -> TextOut:
    if with_body is None:
        with_body = selectors.body_visible(actor=actor, text=text)
    return TextOut(
        id=text.pk, title=text.title, category=text.category, language=text.language,
        price=text.price, currency=text.currency, preview=text.preview,
        body=text.body if with_body else None, words=text.words, characters=text.characters,
        uniqueness=text.uniqueness, status=text.status, author_id=text.author_id,
        author_name=text.author.display_name, created_at=text.created_at,
        moderation_reason=text.moderation_reason if with_body else "",
    )  # fmt: skip


def _rights_out(rights: RightsTransfer) -> RightsOut:
    return RightsOut(
        code=rights.code, title=rights.title, text_id=rights.text_id, sha256=rights.sha256,
        seller_id=rights.seller_id, buyer_id=rights.buyer_id,
        organization_id=rights.organization_id, price=rights.price, currency=rights.currency,
        created_at=rights.created_at,
    )  # fmt: skip


def _purchase_out(purchase: Purchase) -> PurchaseOut:
    return PurchaseOut(
        id=purchase.pk, text=_text_out(purchase.text, purchase.buyer, with_body=True),
        price=purchase.price, fee=purchase.fee, currency=purchase.currency,
        created_at=purchase.created_at, rights=_rights_out(purchase.rights),
    )  # fmt: skip


def _order_out(order: Order, actor) -> OrderOut:
    text = order.text if order.text_id else None
    show = text is not None and selectors.body_visible(actor=actor, text=text)
    rights = (
        getattr(order, "rights", None) if show and order.status == OrderStatus.ACCEPTED else None
    )
    return OrderOut(
        id=order.pk, organization_id=order.organization_id,
        organization_name=order.organization.name, topic=order.topic, brief=order.brief,
        category=order.category, language=order.language, words=order.words, price=order.price,
        currency=order.currency, deadline=order.deadline, status=order.status,
        author_id=order.author_id,
        change_request=order.change_request if show else "",
        text=_text_out(text, actor, with_body=True) if show else None,
        rights_code=rights.code if rights else None,
    )  # fmt: skip


def _page(queryset, params: ListParams | Paging):
    return queryset[params.offset : params.offset + params.limit]


# Texts ---------------------------------------------------------------------------------------


@router.get("/texts", response=list[TextOut], auth=optional_auth)
def text_list(request, params: Query[ListParams]):
    """Texts on sale: search titles and previews, filter by category, language, currency and
    price range (major units). Never the full text."""
    filters = selectors.Filters.from_params(params.dict())
    texts = _page(selectors.text_list_shop(filters=filters), params)
    return [_text_out(t, request.user, with_body=False) for t in texts]


@router.post("/texts", response={201: TextOut})
def text_publish(request, payload: TextIn):
    """Put a text on sale. A near-duplicate of a shop text is refused (422 `duplicate_text`,
    naming it); a text too similar to one is held for moderation (`status: held`)."""
    with transaction.atomic():
        text = services.text_publish(actor=request.user, **payload.dict())
    return Status(201, _text_out(text, request.user, with_body=True))


@router.get("/texts/mine", response=list[TextOut])
def text_list_mine(request, paging: Query[Paging]):
    """Your texts in every state, with their bodies."""
    texts = selectors.texts_of_author(actor=request.user).select_related("author")
    return [_text_out(t, request.user, with_body=True) for t in _page(texts, paging)]


@router.get("/texts/{text_id}", response=TextOut, auth=optional_auth)
def text_detail(request, text_id: int):
    """A text on sale or sold: the preview for everyone, the body for its author, staff and
    buyer. Texts not in the shop exist only for those."""
    return _text_out(selectors.text_access(actor=request.user, text_id=text_id), request.user)


@router.post("/texts/{text_id}/withdraw", response=TextOut)
def text_withdraw(request, text_id: int):
    """The author takes an unsold text out of the shop."""
    selectors.text_access(actor=request.user, text_id=text_id)
    with transaction.atomic():
        text = services.text_withdraw(actor=request.user, text_id=text_id)
    return _text_out(text, request.user, with_body=True)


@router.post("/texts/{text_id}/price", response=TextOut)
def text_reprice(request, text_id: int, payload: PriceIn):
    """The author changes the price of an unsold text."""
    selectors.text_access(actor=request.user, text_id=text_id)
    with transaction.atomic():
        text = services.text_reprice(actor=request.user, text_id=text_id, price=payload.price)
    return _text_out(text, request.user, with_body=True)


@router.post("/texts/{text_id}/purchase", response={201: PurchaseOut})
def purchase_create(request, text_id: int, expected_price: int | None = None):
    """Buy a text from your wallet; you get the full text and the rights record. Repeating
    the call returns the same purchase. With `expected_price` (minor units) the purchase is
    refused (409 `price_changed`) if the author changed the price meanwhile."""
    selectors.text_access(actor=request.user, text_id=text_id)
    with transaction.atomic():
        purchase = services.purchase_create(
            actor=request.user, text_id=text_id, expected_price=expected_price
        )
    return Status(201, _purchase_out(purchase))


@router.get("/moderation", response=list[TextOut])
def moderation_queue(request, paging: Query[Paging]):
    """Staff: texts held as too similar to a shop text, oldest first."""
    texts = _page(selectors.moderation_queue(actor=request.user), paging)
    return [_text_out(t, request.user, with_body=True) for t in texts]


@router.post("/texts/{text_id}/moderate", response=TextOut)
def text_moderate(request, text_id: int, payload: ModerateIn):
    """Staff: approve a held text (on sale) or reject it with a reason."""
    with transaction.atomic():
        text = services.text_moderate(actor=request.user, text_id=text_id, **payload.dict())
    return _text_out(text, request.user, with_body=True)


@router.get("/earnings", response=list[EarningsOut])
def earnings(request, params: Query[EarningsParams]):
    """Per currency: your texts sold and orders accepted, gross, fees and net."""
    currency = validate_currency(params.currency) if params.currency else ""
    return [
        EarningsOut(currency=e.currency, sales=e.sales, gross=e.gross, fees=e.fees, net=e.net)
        for e in selectors.author_earnings(actor=request.user)
        if not currency or e.currency == currency
    ]


# Purchases and rights --------------------------------------------------------------------------


@router.get("/purchases", response=list[PurchaseOut])
def purchase_list(request, paging: Query[Paging]):
    """Texts you bought, with their full text and rights records."""
    return [_purchase_out(p) for p in _page(selectors.purchases_of(actor=request.user), paging)]


@router.get("/rights", response=list[RightsOut])
def rights_list(request, paging: Query[Paging]):
    """Rights transfers you are a party to (seller, buyer, or member of the buying brand)."""
    return [_rights_out(r) for r in _page(selectors.rights_of(actor=request.user), paging)]


@router.get("/rights/{code}", response=RightsOut)
def rights_detail(request, code: str):
    """One rights transfer; parties and staff only (others get 404)."""
    return _rights_out(selectors.rights_access(actor=request.user, code=_uuid(code)))


def _uuid(code: str) -> UUID:
    try:
        return UUID(code)
    except ValueError as exc:
        raise NotFoundError() from exc


# Orders ----------------------------------------------------------------------------------------


@router.get("/orders", response=list[OrderOut], auth=optional_auth)
def order_list(request, params: Query[ListParams]):
    """Open orders authors may take, soonest deadline first, with the shop's filters."""
    filters = selectors.Filters.from_params(params.dict())
    return [
        _order_out(o, request.user) for o in _page(selectors.orders_open(filters=filters), params)
    ]


@router.post("/orders", response={201: OrderOut})
def order_create(request, payload: OrderIn):
    """Post an order for your brand; its price is held in escrow from the brand wallet."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    with transaction.atomic():
        order = orders.order_create(
            actor=request.user, organization=organization,
            **payload.dict(exclude={"organization_id"}),
        )  # fmt: skip
    return Status(201, _order_out(order, request.user))


@router.get("/orders/{order_id}", response=OrderOut, auth=optional_auth)
def order_detail(request, order_id: int):
    """An order's terms; the delivered text only for the brand and the author."""
    return _order_out(selectors.order_access(actor=request.user, order_id=order_id), request.user)


def _order_action(request, order_id: int, function, **kwargs) -> OrderOut:
    with transaction.atomic():
        order = function(actor=request.user, order_id=order_id, **kwargs)
    return _order_out(selectors.order_access(actor=request.user, order_id=order.pk), request.user)


@router.post("/orders/{order_id}/take", response=OrderOut)
def order_take(request, order_id: int):
    """Take an open order (first come); a brand cannot take its own."""
    return _order_action(request, order_id, orders.order_take)


@router.post("/orders/{order_id}/deliver", response=OrderOut)
def order_deliver(request, order_id: int, payload: DeliverIn):
    """The author who took the order hands in the text (checked for uniqueness)."""
    return _order_action(request, order_id, orders.order_deliver, **payload.dict())


@router.post("/orders/{order_id}/changes", response=OrderOut)
def order_request_changes(request, order_id: int, payload: ChangesIn):
    """The brand sends the delivery back with what to change."""
    return _order_action(request, order_id, orders.order_request_changes, **payload.dict())


@router.post("/orders/{order_id}/accept", response=OrderOut)
def order_accept(request, order_id: int):
    """The brand accepts: the author is paid from escrow less the fee; rights pass to it."""
    return _order_action(request, order_id, orders.order_accept)


@router.post("/orders/{order_id}/cancel", response=OrderOut)
def order_cancel(request, order_id: int):
    """The brand cancels an untaken order (or one not delivered by its deadline); refund."""
    return _order_action(request, order_id, orders.order_cancel)
