"""Writes for brands' orders for texts. Posting holds the price in the order's escrow; it
leaves exactly once: to the author less the fee when the brand accepts, or back to the brand
when it cancels. Each write locks the order row first. Callers own the transaction."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Membership, Organization, User
from tolpa.accounts.services import membership_require
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.money import format_minor, validate_amount, validate_currency
from tolpa.marketplace.shop import notices, texts, uniqueness
from tolpa.marketplace.shop.models import (
    Order,
    OrderStatus,
    RightsTransfer,
    ShopText,
    TextStatus,
)
from tolpa.marketplace.shop.services import FEE_KIND, fee_of

MIN_WORDS, MAX_WORDS = 50, 10_000
WORDS_TOLERANCE = 0.9  # a delivery may be up to 10% shorter than ordered
MAX_BRIEF = 5_000
MAX_MESSAGE = 2_000
MIN_LEAD = timedelta(hours=1)
MAX_LEAD = timedelta(days=180)
AUTO_ACCEPT_AFTER = timedelta(days=14)  # a brand that never answers a delivery accepts it


class OrderTakenError(ConflictError):
    code = "order_taken"


def is_member(actor: User, order: Order) -> bool:
    return (
        actor.is_authenticated
        and Membership.objects.filter(organization_id=order.organization_id, user=actor).exists()
    )


def _lock(order_id: int) -> Order:
    order = (
        Order.objects.select_for_update().select_related("organization").filter(pk=order_id).first()
    )
    if order is None:
        raise NotFoundError()
    return order


def _escrow(order: Order):
    return ledger.account_escrow(reference=order.escrow_reference, currency=order.currency)


def _brand_wallet(order: Order):
    return ledger.account_for_organization(organization=order.organization, currency=order.currency)


def _words_clean(words) -> int:
    if isinstance(words, bool) or not isinstance(words, int) or not MIN_WORDS <= words <= MAX_WORDS:
        raise InvalidInput(
            fields={
                "words": [_("Ask for %(a)s to %(b)s words.") % {"a": MIN_WORDS, "b": MAX_WORDS}]
            }
        )
    return words


def _deadline_clean(deadline, now: datetime) -> datetime:
    if not isinstance(deadline, datetime) or timezone.is_naive(deadline):
        raise InvalidInput(fields={"deadline": [_("Give a date and time with a time zone.")]})
    if not now + MIN_LEAD <= deadline <= now + MAX_LEAD:
        raise InvalidInput(
            fields={"deadline": [_("The deadline is between an hour and 180 days from now.")]}
        )
    return deadline


def order_create(
    *,
    actor: User,
    organization: Organization,
    topic: str,
    category: str,
    language: str,
    words: int,
    price: int,
    currency: str,
    deadline: datetime,
    brief: str = "",
) -> Order:
    """Post an order for a text and hold its price from the brand wallet in escrow."""
    membership_require(user=actor, organization=organization)
    now = timezone.now()
    brief = str(brief or "").strip()
    if len(brief) > MAX_BRIEF:
        raise InvalidInput(fields={"brief": [_("At most %(n)s characters.") % {"n": MAX_BRIEF}]})
    order = Order.objects.create(
        organization=organization, created_by=actor, topic=texts.title_clean(topic, "topic"),
        brief=brief, category=texts.category_clean(category),
        language=texts.language_clean(language), words=_words_clean(words),
        price=validate_amount(price, field="price"), currency=validate_currency(currency),
        deadline=_deadline_clean(deadline, now),
    )  # fmt: skip
    try:
        ledger.hold(
            source=_brand_wallet(order), escrow=_escrow(order), amount=order.price,
            key=f"{order.escrow_reference}:hold",
            memo=_("Order for a text: %(topic)s") % {"topic": order.topic},
        )  # fmt: skip
    except ledger.InsufficientFundsError as exc:
        raise ledger.InsufficientFundsError(
            _("Not enough money in the brand wallet: the order needs %(price)s.")
            % {"price": format_minor(order.price, order.currency)}
        ) from exc
    return order


def order_take(*, actor: User, order_id: int) -> Order:
    """An author takes an open order; the first one wins, later ones are refused."""
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in first."))
    order = _lock(order_id)
    if is_member(actor, order):
        raise PermissionDeniedError(_("A brand cannot take its own order."))
    if order.status != OrderStatus.OPEN:
        raise OrderTakenError(_("This order is no longer open."))
    now = timezone.now()
    if order.deadline <= now:
        raise ConflictError(_("The deadline of this order has passed."))
    order.status, order.author, order.taken_at = OrderStatus.TAKEN, actor, now
    order.save(update_fields=["status", "author", "taken_at"])
    notices.order_taken(order)
    return order


def order_deliver(*, actor: User, order_id: int, body: str, title: str = "") -> Order:
    """The author hands in the text (again, after changes were asked for). It must be as
    long as ordered and unique: one too similar to a shop text is refused naming it."""
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in first."))
    body = texts.body_clean(body)
    order = _lock(order_id)
    if order.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author who took this order delivers it."))
    if order.status not in (OrderStatus.TAKEN, OrderStatus.CHANGES):
        raise ConflictError(_("This order is not waiting for a delivery."))
    title = texts.title_clean(title or order.topic)
    minimum = int(order.words * WORDS_TOLERANCE)
    if texts.word_count(body) < minimum:
        raise texts.invalid("body", _("The order asks for %(n)s words; this text has %(m)s.")
                            % {"n": order.words, "m": texts.word_count(body)})  # fmt: skip
    found = texts.uniqueness_require(
        body, limit=uniqueness.HOLD_SIMILARITY, exclude_id=order.text_id
    )
    fields = {"title": title, **texts.body_fields(body, found)}
    try:
        with transaction.atomic():
            if order.text_id is None:
                order.text = ShopText.objects.create(
                    author=actor, category=order.category, language=order.language,
                    price=order.price, currency=order.currency, status=TextStatus.ORDERED,
                    **fields,
                )  # fmt: skip
            else:
                ShopText.objects.filter(pk=order.text_id).update(
                    **fields, updated_at=timezone.now()
                )
    except IntegrityError as exc:
        raise texts.exact_duplicate() from exc
    order.status, order.delivered_at = OrderStatus.DELIVERED, timezone.now()
    order.save(update_fields=["status", "delivered_at", "text"])
    notices.order_delivered(order)
    return order


def _manage(actor: User, order_id: int) -> Order:
    order = Order.objects.filter(pk=order_id).select_related("organization").first()
    if order is None:
        raise NotFoundError()
    membership_require(user=actor, organization=order.organization)
    return _lock(order_id)


def order_request_changes(*, actor: User, order_id: int, message: str) -> Order:
    """The brand sends a delivery back with what to change."""
    message = str(message or "").strip()
    if not message or len(message) > MAX_MESSAGE:
        raise InvalidInput(
            fields={"message": [_("Say what to change, in at most %(n)s characters.")
                                % {"n": MAX_MESSAGE}]}
        )  # fmt: skip
    order = _manage(actor, order_id)
    if order.status != OrderStatus.DELIVERED:
        raise ConflictError(_("Only a delivered text can be sent back for changes."))
    order.status, order.change_request = OrderStatus.CHANGES, message
    order.save(update_fields=["status", "change_request"])
    notices.order_changes_requested(order)
    return order


def _accept(order: Order, buyer: User, now: datetime, *, automatically: bool = False) -> Order:
    """Pay the author from escrow less the fee (once: the key names the order) and record the
    rights passing to the brand. The caller holds the lock and saw the order delivered."""
    ledger.release(
        escrow=_escrow(order),
        payee=ledger.account_for_user(user=order.author, currency=order.currency),
        amount=order.price, key=f"{order.escrow_reference}:release", campaign_kind=FEE_KIND,
        memo=_("Order for a text: %(topic)s") % {"topic": order.topic},
    )  # fmt: skip
    order.status, order.fee, order.closed_at = OrderStatus.ACCEPTED, fee_of(order.price), now
    order.save(update_fields=["status", "fee", "closed_at"])
    text = order.text
    RightsTransfer.objects.create(
        text=text, order=order, seller_id=order.author_id, buyer=buyer,
        organization=order.organization, title=text.title, sha256=texts.sha256_of(text.body),
        price=order.price, currency=order.currency,
    )  # fmt: skip
    notices.order_accepted(order, automatically=automatically)
    return order


def order_accept(*, actor: User, order_id: int) -> Order:
    """The brand accepts the delivery: the author is paid from escrow less the fee, once,
    and the rights to the text pass to the brand."""
    order = _manage(actor, order_id)
    if order.status != OrderStatus.DELIVERED:
        raise ConflictError(_("Only a delivered text can be accepted."))
    return _accept(order, actor, timezone.now())


def cancel_problem(order: Order, now: datetime | None = None) -> str | None:
    """Why the brand may not cancel now, or None."""
    if order.status == OrderStatus.OPEN:
        return None
    if order.status in (OrderStatus.TAKEN, OrderStatus.CHANGES):
        if order.deadline <= (now or timezone.now()):
            return None
        return _("An author is working on this order; it can be cancelled after its deadline.")
    return _("This order can no longer be cancelled.")


def _cancel(order: Order, now: datetime) -> Order:
    """Refund the escrowed price to the brand (once: the key names the order). The caller
    holds the lock and checked the order may be cancelled."""
    ledger.refund(
        escrow=_escrow(order), payer=_brand_wallet(order), key=f"{order.escrow_reference}:refund",
        memo=_("Cancelled order: %(topic)s") % {"topic": order.topic},
    )  # fmt: skip
    order.status, order.closed_at = OrderStatus.CANCELLED, now
    order.save(update_fields=["status", "closed_at"])
    if order.text_id:  # a draft the brand never accepted stays the author's, out of the corpus
        ShopText.objects.filter(pk=order.text_id).update(
            status=TextStatus.WITHDRAWN, updated_at=now
        )
    notices.order_cancelled(order)
    return order


def order_cancel(*, actor: User, order_id: int) -> Order:
    """The brand withdraws an order nobody took (or one not delivered by its deadline); the
    escrowed price returns to the brand wallet."""
    order = _manage(actor, order_id)
    problem = cancel_problem(order)
    if problem:
        raise ConflictError(problem)
    return _cancel(order, timezone.now())


def order_finish(*, order_id: int, now: datetime | None = None) -> bool:
    """The job's step for one order: an open order nobody took by its deadline is cancelled
    and refunded; a delivery the brand left unanswered for `AUTO_ACCEPT_AFTER` is accepted
    for it. Idempotent: False when nothing changed."""
    now = now or timezone.now()
    order = _lock(order_id)
    if order.status == OrderStatus.OPEN and order.deadline <= now:
        _cancel(order, now)
        return True
    if order.status == OrderStatus.DELIVERED and order.delivered_at + AUTO_ACCEPT_AFTER <= now:
        _accept(order, order.created_by, now, automatically=True)
        return True
    return False
