"""Reads for the content exchange, each deciding who may see what. A text's body is visible
to its author, staff and whoever holds its rights (the buyer, or the ordering brand's
members); everyone else gets the preview. Unpublished texts exist only for those people."""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from tolpa.accounts.models import Membership, User
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.ledger.money import CURRENCIES
from tolpa.marketplace.shop.models import (
    Category,
    Language,
    Order,
    OrderStatus,
    Purchase,
    RightsTransfer,
    ShopText,
    TextStatus,
)

PUBLIC_STATUSES = (TextStatus.LISTED, TextStatus.SOLD)


def _major(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and 0 <= number < 10**12 else None


@dataclass(frozen=True)
class Filters:
    """Search and filters of the shop and order lists; unknown values are ignored."""

    q: str = ""
    category: str = ""
    language: str = ""
    currency: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @classmethod
    def from_params(cls, params) -> "Filters":
        category, language = params.get("category", ""), params.get("language", "")
        currency = (params.get("currency") or "").upper()
        return cls(
            q=(params.get("q") or "").strip()[:200],
            category=category if category in Category.values else "",
            language=language if language in Language.values else "",
            currency=currency if currency in CURRENCIES else "",
            price_min=_major(params.get("price_min")) if params.get("price_min") else None,
            price_max=_major(params.get("price_max")) if params.get("price_max") else None,
        )

    def price_q(self) -> Q:
        """The price range in major units, compared in each currency's minor units."""
        query = Q()
        if self.price_min is None and self.price_max is None:
            return query
        currencies = [self.currency] if self.currency else list(CURRENCIES)
        for code in currencies:
            scale = 10 ** CURRENCIES[code]
            part = Q(currency=code)
            if self.price_min is not None:
                part &= Q(price__gte=math.ceil(self.price_min * scale))
            if self.price_max is not None:
                part &= Q(price__lte=math.floor(self.price_max * scale))
            query |= part
        return query

    def apply(self, queryset: QuerySet, *, text_fields: tuple[str, ...]) -> QuerySet:
        if self.category:
            queryset = queryset.filter(category=self.category)
        if self.language:
            queryset = queryset.filter(language=self.language)
        if self.currency:
            queryset = queryset.filter(currency=self.currency)
        for word in self.q.split()[:8]:
            match = Q()
            for field in text_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        return queryset.filter(self.price_q())


# Texts -----------------------------------------------------------------------------------


def text_list_shop(*, filters: Filters | None = None) -> QuerySet[ShopText]:
    """Texts on sale now, newest first. The search reads titles and previews, never bodies."""
    queryset = ShopText.objects.filter(status=TextStatus.LISTED).select_related("author")
    if filters:
        queryset = filters.apply(queryset, text_fields=("title", "preview"))
    return queryset.defer("body").order_by("-created_at", "-pk")


def _holds_rights(actor: User, text: ShopText) -> bool:
    rights = RightsTransfer.objects.filter(text=text).first()
    if rights is None:
        return False
    if rights.buyer_id == actor.pk:
        return True
    return bool(
        rights.organization_id
        and Membership.objects.filter(organization_id=rights.organization_id, user=actor).exists()
    )


def _order_member(actor: User, text: ShopText) -> bool:
    order = Order.objects.filter(text=text).first()
    return bool(
        order
        and Membership.objects.filter(organization_id=order.organization_id, user=actor).exists()
    )


def body_visible(*, actor: User, text: ShopText) -> bool:
    """Author, staff, the rights holder, and for an order the brand reviewing it."""
    if not actor.is_authenticated:
        return False
    if text.author_id == actor.pk or actor.is_staff:
        return True
    if text.status == TextStatus.ORDERED:
        return _order_member(actor, text)
    return _holds_rights(actor, text)


def text_access(*, actor: User, text_id: int) -> ShopText:
    """A text on sale or sold is public (its preview); any other only to those who may read
    its body. Others get 404."""
    text = ShopText.objects.select_related("author").filter(pk=text_id).first()
    if text is None:
        raise NotFoundError()
    if text.status not in PUBLIC_STATUSES and not body_visible(actor=actor, text=text):
        raise NotFoundError()
    return text


def texts_of_author(*, actor: User) -> QuerySet[ShopText]:
    return (
        ShopText.objects.filter(author=actor)
        .exclude(status=TextStatus.ORDERED)
        .select_related("purchase__buyer")
        .defer("body")
        .order_by("-created_at", "-pk")
    )


@dataclass
class Earnings:
    currency: str
    sales: int
    gross: int
    fees: int

    @property
    def net(self) -> int:
        return self.gross - self.fees


def author_earnings(*, actor: User) -> list[Earnings]:
    """Per currency: texts sold and orders accepted, what buyers paid, fees, what was earned."""
    totals: dict[str, Earnings] = {}
    sold = Purchase.objects.filter(text__author=actor)
    ordered = Order.objects.filter(author=actor, status=OrderStatus.ACCEPTED)
    for rows in (sold, ordered):
        sums = rows.values("currency").annotate(n=Count("pk"), gross=Sum("price"), fees=Sum("fee"))
        for row in sums.order_by("currency"):
            entry = totals.setdefault(row["currency"], Earnings(row["currency"], 0, 0, 0))
            entry.sales += row["n"]
            entry.gross += row["gross"]
            entry.fees += row["fees"]
    return [totals[c] for c in sorted(totals)]


def moderation_queue(*, actor: User) -> QuerySet[ShopText]:
    if not (actor.is_authenticated and actor.is_staff):
        raise PermissionDeniedError()
    return (
        ShopText.objects.filter(status=TextStatus.HELD)
        .select_related("author", "similar_to")
        .order_by("created_at", "pk")
    )


# Purchases and rights ----------------------------------------------------------------------


def purchases_of(*, actor: User) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(buyer=actor)
        .select_related("text__author", "rights")
        .order_by("-created_at", "-pk")
    )


def rights_of(*, actor: User) -> QuerySet[RightsTransfer]:
    """Rights records the actor is a party to: as seller, buyer, or member of the buying brand."""
    brands = Membership.objects.filter(user=actor).values("organization_id")
    return (
        RightsTransfer.objects.filter(
            Q(seller=actor) | Q(buyer=actor) | Q(organization_id__in=brands)
        )
        .select_related("seller", "buyer", "organization")
        .order_by("-created_at", "-pk")
    )


def rights_access(*, actor: User, code) -> RightsTransfer:
    if not actor.is_authenticated:
        raise NotFoundError()
    queryset = RightsTransfer.objects.all() if actor.is_staff else rights_of(actor=actor)
    rights = (
        queryset.select_related("text", "seller", "buyer", "organization").filter(code=code).first()
    )
    if rights is None:
        raise NotFoundError()
    return rights


# Orders ------------------------------------------------------------------------------------


def orders_open(*, filters: Filters | None = None) -> QuerySet[Order]:
    queryset = Order.objects.filter(
        status=OrderStatus.OPEN, deadline__gt=timezone.now()
    ).select_related("organization")
    if filters:
        queryset = filters.apply(queryset, text_fields=("topic", "brief"))
    return queryset.order_by("deadline", "pk")


def order_access(*, actor: User, order_id: int) -> Order:
    """Orders are public (terms only); the delivered text follows `body_visible`."""
    order = (
        Order.objects.select_related("organization", "author", "text").filter(pk=order_id).first()
    )
    if order is None:
        raise NotFoundError()
    return order


def orders_of_brands(*, actor: User) -> QuerySet[Order]:
    brands = Membership.objects.filter(user=actor).values("organization_id")
    return (
        Order.objects.filter(organization_id__in=brands)
        .select_related("organization", "author")
        .order_by("-created_at", "-pk")
    )


def orders_taken(*, actor: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(author=actor)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )
