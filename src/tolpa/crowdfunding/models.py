"""All-or-nothing (or flexible) crowdfunding on top of the shared campaign base."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.models import Campaign


class FundingModel(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    FLEXIBLE = "flexible", _("Flexible (keep what is raised)")


class Outcome(models.TextChoices):
    PENDING = "", _("Not settled")
    FUNDED = "funded", _("Funded")
    FAILED = "failed", _("Not funded: refunded")


class Project(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="project")
    goal = models.BigIntegerField(_("goal (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    funding_model = models.CharField(
        _("funding model"),
        max_length=16,
        choices=FundingModel.choices,
        default=FundingModel.ALL_OR_NOTHING,
    )
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=30)
    video_url = models.URLField(_("video link"), blank=True)
    risks = models.TextField(_("risks and challenges"), max_length=20_000, blank=True)
    faq = models.TextField(_("FAQ"), max_length=20_000, blank=True)
    raised = models.BigIntegerField(default=0)
    backers_count = models.PositiveIntegerField(default=0)
    outcome = models.CharField(
        max_length=8, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__gt=0), name="crowdfunding_goal_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(raised__gte=0), name="crowdfunding_raised_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=60),
                name="crowdfunding_duration_1_60",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def escrow_reference(self) -> str:
        return f"crowdfunding:{self.pk}"

    @property
    def percent(self) -> int:
        return int(self.raised * 100 / self.goal) if self.goal else 0


class RewardTier(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tiers")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    minimum = models.BigIntegerField(_("minimum pledge (minor units)"))
    quantity_limit = models.PositiveIntegerField(_("limited quantity"), null=True, blank=True)
    claimed = models.PositiveIntegerField(default=0)
    estimated_delivery = models.DateField(_("estimated delivery"), null=True, blank=True)
    shipping_required = models.BooleanField(_("shipping required"), default=False)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "minimum", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__gt=0), name="crowdfunding_tier_minimum_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_limit__isnull=True)
                | models.Q(claimed__lte=models.F("quantity_limit")),
                name="crowdfunding_tier_not_oversold",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def remaining(self) -> int | None:
        return None if self.quantity_limit is None else self.quantity_limit - self.claimed

    @property
    def sold_out(self) -> bool:
        return self.quantity_limit is not None and self.claimed >= self.quantity_limit


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    CHARGED = "charged", _("Charged")
    REFUNDED = "refunded", _("Refunded")


class Pledge(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="pledges")
    backer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges"
    )
    tier = models.ForeignKey(
        RewardTier, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    amount = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE
    )
    anonymous = models.BooleanField(_("back anonymously"), default=False)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="crowdfunding_pledge_positive"
            ),
            models.UniqueConstraint(
                fields=["project", "backer"],
                condition=models.Q(status="active"),
                name="crowdfunding_one_active_pledge",
            ),
        ]

    def __str__(self):
        return f"{self.backer} → {self.project}: {self.amount}"


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    BACKERS = "backers", _("Backers only")


class ProjectUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=50_000)
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class SpendingCategory(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spending_plan")
    name = models.CharField(_("category"), max_length=80)
    planned = models.BigIntegerField(_("planned (minor units)"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="crowdfunding_category_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0), name="crowdfunding_planned_non_negative"
            ),
        ]

    def __str__(self):
        return self.name


class SpendingEntry(models.Model):
    """An expense the creator reports against the plan, shown to everyone."""

    category = models.ForeignKey(SpendingCategory, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3)
    description = models.CharField(_("what for"), max_length=300)
    receipt = models.FileField(_("receipt"), upload_to="receipts/%Y/%m/", blank=True)
    spent_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="crowdfunding_spending_positive"
            )
        ]

    def __str__(self):
        return self.description


class FulfilmentStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting survey")
    READY = "ready", _("Ready to ship")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")


class Fulfilment(models.Model):
    """The backer survey answer (address, choice) and the reward's delivery status."""

    pledge = models.OneToOneField(Pledge, on_delete=models.CASCADE, related_name="fulfilment")
    address = models.TextField(_("shipping address"), max_length=1000, blank=True)
    choice = models.CharField(_("reward choice (size, colour…)"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=FulfilmentStatus.choices, default=FulfilmentStatus.AWAITING
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.pledge}: {self.status}"
