"""Texts for sale, their purchases, brands' orders and the rights transfers both end in.

Money amounts are integer minor units with their currency; what moved is in the ledger, these
rows only record what was agreed. A text is sold at most once: `Purchase.text` and
`RightsTransfer.text` are one-to-one."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tolpa.accounts.models import Organization


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")
    VI = "vi", _("Vietnamese")


class Category(models.TextChoices):
    ARTICLE = "article", _("Articles")
    BLOG = "blog", _("Blog posts")
    MARKETING = "marketing", _("Advertising and marketing")
    PRODUCT = "product", _("Product descriptions")
    NEWS = "news", _("News")
    REVIEW = "review", _("Reviews")
    TECH = "tech", _("Technology")
    TRAVEL = "travel", _("Travel")
    FOOD = "food", _("Food and drink")
    BUSINESS = "business", _("Business and finance")
    OTHER = "other", _("Other")


class TextStatus(models.TextChoices):
    HELD = "held", _("On moderation")
    LISTED = "listed", _("For sale")
    SOLD = "sold", _("Sold")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("shop text status", "Withdrawn")
    ORDERED = "ordered", _("Delivered for an order")


# Texts that later texts are compared with: what is or was in the shop or delivered.
CORPUS_STATUSES = (TextStatus.HELD, TextStatus.LISTED, TextStatus.SOLD, TextStatus.ORDERED)


class ShopText(models.Model):
    """A ready text. The body is private to its author, staff and, once bought, its buyer;
    everyone else sees the preview, computed from the body when it is saved."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shop_texts"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    price = models.BigIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3)
    body = models.TextField(_("text"))
    preview = models.TextField(_("preview"))
    words = models.PositiveIntegerField(_("words"))
    characters = models.PositiveIntegerField(_("characters"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uniqueness = models.PositiveSmallIntegerField(_("uniqueness, %"))
    similar_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=TextStatus.choices, db_index=True)
    moderation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0), name="shop_text_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(uniqueness__lte=100), name="shop_text_uniqueness_percent"
            ),
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(status__in=CORPUS_STATUSES),
                name="shop_text_no_exact_duplicate",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("shop:text", args=[self.pk])

    @property
    def in_shop(self) -> bool:
        return self.status == TextStatus.LISTED


class Purchase(models.Model):
    """A buyer paid for a text: `price` left the buyer's wallet, `fee` of it went to the
    platform and the rest to the author."""

    text = models.OneToOneField(ShopText, on_delete=models.PROTECT, related_name="purchase")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shop_purchases"
    )
    price = models.BigIntegerField()
    fee = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0, fee__gte=0), name="shop_purchase_amounts"
            ),
        ]

    def __str__(self):
        return f"{self.text} → {self.buyer}"


class OrderStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("text order status", "Open")
    TAKEN = "taken", _("In progress")
    DELIVERED = "delivered", pgettext_lazy("text order status", "Delivered")
    CHANGES = "changes", _("Changes requested")
    ACCEPTED = "accepted", pgettext_lazy("text order status", "Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """A brand's request for a text; its price is held in escrow from posting until it is
    paid to the author (accepted) or returned to the brand (cancelled)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="shop_orders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=200)
    brief = models.TextField(_("brief"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    words = models.PositiveIntegerField(_("length in words"))
    price = models.BigIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="shop_orders_taken",
    )  # fmt: skip
    text = models.OneToOneField(
        ShopText, on_delete=models.PROTECT, null=True, blank=True, related_name="order"
    )
    change_request = models.TextField(_("changes asked for"), blank=True)
    fee = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="shop_order_price_positive"),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(status="cancelled")
                | models.Q(author__isnull=False),
                name="shop_order_taken_has_author",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("shop:order", args=[self.pk])

    @property
    def escrow_reference(self) -> str:
        return f"shop-order:{self.pk}"


class RightsTransfer(models.Model):
    """The exclusive rights to a text passed from its author to a buyer (a person, or a brand
    for an order) at a price and time; the SHA-256 pins exactly which text."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.OneToOneField(ShopText, on_delete=models.PROTECT, related_name="rights")
    purchase = models.OneToOneField(
        Purchase, on_delete=models.PROTECT, null=True, blank=True, related_name="rights"
    )
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="rights"
    )
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    price = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.sha256[:12]})"

    def get_absolute_url(self):
        return reverse("shop:rights", args=[self.code])
