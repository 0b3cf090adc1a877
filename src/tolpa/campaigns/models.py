"""What every campaign kind shares: owner brand, texts, tags, lifecycle and deadlines."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tolpa.accounts.models import Organization
from tolpa.campaigns.registry import Kind, plugin_for


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=50_000, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="covers/%Y/%m/", blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en", db_index=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="campaigns")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    participants_count = models.PositiveIntegerField(_("participants"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="campaigns_campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="campaigns_campaign_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        plugin = plugin_for(self.kind)
        name = plugin.detail_url_name if plugin else "campaigns:detail"
        return reverse(name, args=[self.slug])

    def is_open(self, now=None) -> bool:
        """Open to crowd actions: live, started, and before its deadline, whatever jobs have run."""
        now = now or timezone.now()
        return (
            self.status == Status.LIVE
            and (self.starts_at is None or self.starts_at <= now)
            and now < self.ends_at
        )

    @property
    def effective_status(self) -> str:
        """The status people see: a live campaign past its deadline is closed already."""
        if self.status == Status.LIVE and timezone.now() >= self.ends_at:
            return Status.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return Status(self.effective_status).label
