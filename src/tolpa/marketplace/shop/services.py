"""Writes for shop texts: publish (with the uniqueness check), withdraw, moderate, buy.

Every write that depends on a text's state locks its row first, so a text is moderated,
withdrawn or sold by one request at a time; the database still allows one purchase per text.
Callers own the transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.money import format_minor, validate_amount, validate_currency
from tolpa.marketplace.shop import notices, texts, uniqueness
from tolpa.marketplace.shop.models import Purchase, RightsTransfer, ShopText, TextStatus

FEE_KIND = "shop"
MAX_REASON = 500


class NotForSaleError(ConflictError):
    code = "not_for_sale"


class OwnTextError(PermissionDeniedError):
    code = "own_text"


def _authenticated(actor: User) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in first."))


def _lock(text_id: int) -> ShopText:
    text = ShopText.objects.select_for_update().filter(pk=text_id).first()
    if text is None:
        raise NotFoundError()
    return text


def text_publish(
    *,
    actor: User,
    title: str,
    category: str,
    language: str,
    price: int,
    currency: str,
    body: str,
) -> ShopText:
    """Put a text up for sale. A near-exact copy of a shop text is refused naming it; a text
    too similar to one is held for a moderator; any other goes on sale at once."""
    _authenticated(actor)
    fields = {
        "title": texts.title_clean(title),
        "category": texts.category_clean(category),
        "language": texts.language_clean(language),
        "price": validate_amount(price, field="price"),
        "currency": validate_currency(currency),
    }
    body = texts.body_clean(body)
    found = texts.uniqueness_require(body, limit=uniqueness.REFUSE_SIMILARITY)
    status = TextStatus.HELD if found.too_similar else TextStatus.LISTED
    try:
        with transaction.atomic():
            return ShopText.objects.create(
                author=actor, status=status, **fields, **texts.body_fields(body, found)
            )
    except IntegrityError as exc:
        raise texts.exact_duplicate() from exc


def text_withdraw(*, actor: User, text_id: int) -> ShopText:
    """The author takes an unsold text out of the shop (or out of the moderation queue)."""
    _authenticated(actor)
    text = _lock(text_id)
    if text.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author can withdraw a text."))
    if text.status not in (TextStatus.LISTED, TextStatus.HELD):
        raise ConflictError(_("Only a text for sale or on moderation can be withdrawn."))
    text.status = TextStatus.WITHDRAWN
    text.save(update_fields=["status", "updated_at"])
    return text


def text_reprice(*, actor: User, text_id: int, price: int) -> ShopText:
    """The author changes the price of an unsold text; a purchase in flight waits on the lock
    and pays the price it then reads."""
    _authenticated(actor)
    price = validate_amount(price, field="price")
    text = _lock(text_id)
    if text.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author can change the price."))
    if text.status not in (TextStatus.LISTED, TextStatus.HELD):
        raise ConflictError(_("Only a text for sale or on moderation can change its price."))
    text.price = price
    text.save(update_fields=["price", "updated_at"])
    return text


def text_moderate(*, actor: User, text_id: int, approve: bool, reason: str = "") -> ShopText:
    """Staff decide on a held text: approve puts it on sale, reject needs a reason the author
    sees."""
    if not (actor.is_authenticated and actor.is_staff):
        raise PermissionDeniedError(_("Only moderators decide on held texts."))
    reason = " ".join(str(reason or "").split())
    if not approve and not reason:
        raise InvalidInput(fields={"reason": [_("Say why the text is rejected.")]})
    if len(reason) > MAX_REASON:
        raise InvalidInput(fields={"reason": [_("At most %(n)s characters.") % {"n": MAX_REASON}]})
    text = _lock(text_id)
    if text.status != TextStatus.HELD:
        raise ConflictError(_("This text is not waiting for moderation."))
    text.status = TextStatus.LISTED if approve else TextStatus.REJECTED
    text.moderation_reason, text.moderated_by, text.moderated_at = reason, actor, timezone.now()
    text.save(
        update_fields=["status", "moderation_reason", "moderated_by", "moderated_at", "updated_at"]
    )
    notices.moderated(text, approved=approve)
    return text


def fee_of(price: int) -> int:
    return ledger.fee_for(campaign_kind=FEE_KIND, amount=price)


class PriceChangedError(ConflictError):
    code = "price_changed"


def purchase_create(*, actor: User, text_id: int, expected_price: int | None = None) -> Purchase:
    """Buy a text: the buyer's wallet pays its price, the author gets it less the fee, the
    text leaves the shop and the rights pass to the buyer. Repeating a purchase returns it;
    a text already sold to someone else, or one's own text, is refused, and so is a price
    other than `expected_price` (the one the buyer saw) when it is given."""
    _authenticated(actor)
    text = _lock(text_id)
    existing = Purchase.objects.filter(text=text).first()
    if existing is not None:
        if existing.buyer_id == actor.pk:
            return existing
        raise NotForSaleError(_("This text was already sold."))
    if text.author_id == actor.pk:
        raise OwnTextError(_("You cannot buy your own text."))
    if text.status != TextStatus.LISTED:
        raise NotForSaleError(_("This text is not for sale."))
    if expected_price is not None and expected_price != text.price:
        raise PriceChangedError(
            _("The price changed to %(price)s; check it and buy again.")
            % {"price": format_minor(text.price, text.currency)}
        )
    fee = fee_of(text.price)
    buyer = ledger.account_for_user(user=actor, currency=text.currency)
    seller = ledger.account_for_user(user=text.author, currency=text.currency)
    lines = [ledger.Line(buyer, -text.price), ledger.Line(seller, text.price - fee)]
    if fee:
        lines.append(ledger.Line(ledger.account_fee_income(currency=text.currency), fee))
    try:
        ledger.transfer_create(
            key=f"shop:text:{text.pk}:sale", kind=ledger.TransferKind.PAYMENT, lines=lines,
            memo=_("Text %(title)s") % {"title": text.title},
        )  # fmt: skip
    except ledger.InsufficientFundsError as exc:
        raise ledger.InsufficientFundsError(
            _("Not enough money in your wallet: the text costs %(price)s.")
            % {"price": format_minor(text.price, text.currency)}
        ) from exc
    purchase = Purchase.objects.create(
        text=text, buyer=actor, price=text.price, fee=fee, currency=text.currency
    )
    text.status = TextStatus.SOLD
    text.save(update_fields=["status", "updated_at"])
    RightsTransfer.objects.create(
        text=text, purchase=purchase, seller_id=text.author_id, buyer=actor, title=text.title,
        sha256=texts.sha256_of(text.body), price=text.price, currency=text.currency,
    )  # fmt: skip
    notices.sold(purchase)
    return purchase
