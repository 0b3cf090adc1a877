"""Who hears about a shop event, through the community app's notifications: an author of a
sale, a moderation decision and each step of an order; a brand of its order being taken and
delivered (a delivery left unanswered is accepted for the brand 14 days later). Each text is
a function, so `notify` writes it in the reader's language."""

from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.community.models import NotificationKind
from tolpa.community.notify import Text, notify
from tolpa.ledger.money import format_minor
from tolpa.marketplace.shop.models import Order, Purchase, ShopText


def _to_brand(order: Order, text: Text) -> None:
    members = User.objects.filter(
        memberships__organization_id=order.organization_id, is_active=True
    ).distinct()
    for member in members:
        notify(member, NotificationKind.DEAL, text, order.get_absolute_url())


def _to_author(order: Order, text: Text) -> None:
    notify(order.author, NotificationKind.DEAL, text, order.get_absolute_url())


def sold(purchase: Purchase) -> None:
    text = purchase.text
    notify(
        text.author, NotificationKind.DEAL,
        lambda: _("“%(title)s” is sold: %(net)s is in your wallet") % {
            "title": text.title,
            "net": format_minor(purchase.price - purchase.fee, purchase.currency),
        },
        text.get_absolute_url(),
    )  # fmt: skip


def moderated(text: ShopText, *, approved: bool) -> None:
    def line():
        if approved:
            return _("“%(title)s” is approved and on sale") % {"title": text.title}
        return _("“%(title)s” is rejected: %(reason)s") % {
            "title": text.title, "reason": text.moderation_reason,
        }  # fmt: skip

    notify(text.author, NotificationKind.DEAL, line, text.get_absolute_url())


def order_taken(order: Order) -> None:
    _to_brand(
        order,
        lambda: (
            _("%(name)s took your order “%(topic)s”")
            % {"name": order.author.display_name, "topic": order.topic}
        ),
    )


def order_delivered(order: Order) -> None:
    _to_brand(
        order,
        lambda: (
            _(
                "%(name)s delivered the text for “%(topic)s”; accept it or ask for changes "
                "within 14 days"
            )
            % {"name": order.author.display_name, "topic": order.topic}
        ),
    )


def order_changes_requested(order: Order) -> None:
    _to_author(
        order,
        lambda: (
            _("Changes requested on “%(topic)s”: %(message)s")
            % {"topic": order.topic, "message": order.change_request}
        ),
    )


def order_accepted(order: Order, *, automatically: bool) -> None:
    def line():
        net = format_minor(order.price - order.fee, order.currency)
        if automatically:
            return _(
                "The text for “%(topic)s” was accepted automatically after 14 days: %(net)s "
                "paid to the author"
            ) % {"topic": order.topic, "net": net}
        return _("Your text for “%(topic)s” is accepted: %(net)s is in your wallet") % {
            "topic": order.topic, "net": net,
        }  # fmt: skip

    _to_author(order, line)
    if automatically:
        _to_brand(order, line)


def order_cancelled(order: Order) -> None:
    """Only an author who had taken the order needs telling; an open one had nobody."""
    if order.author_id is None:
        return
    _to_author(
        order,
        lambda: (
            _("The order “%(topic)s” was cancelled after its deadline") % {"topic": order.topic}
        ),
    )
