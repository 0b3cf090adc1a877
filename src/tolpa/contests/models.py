"""Design, video and naming contests: a brief, escrowed prizes, entries with versions,
brand review, an optional public vote, winners and the IP handover that releases a prize."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.models import Campaign


class Category(models.TextChoices):
    LOGO = "logo", _("Logo")
    BRAND_IDENTITY = "brand_identity", _("Brand identity")
    WEB_APP = "web_app", _("Web or app design")
    PACKAGING = "packaging", _("Packaging")
    VIDEO = "video", _("Video")
    NAMING = "naming", _("Name or slogan")
    AD_COPY = "ad_copy", _("Ad copy")
    OTHER = "other", _("Other")


TEXT_CATEGORIES = {Category.NAMING, Category.AD_COPY}


class PrizeMode(models.TextChoices):
    PLACES = "places", _("Prizes for places")
    BUY_ENTRIES = "buy_entries", _("Buy at least N entries at a fixed price")


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ENTRY = "entry", _("Open for entries")
    FINALISTS = "finalists", _("Finalist round")
    SELECTION = "selection", _("Winner selection")
    HANDOVER = "handover", _("Handover")
    COMPLETED = "completed", _("Completed")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class Contest(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="contest")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    must_have = models.TextField(_("must have"), max_length=4000, blank=True)
    avoid = models.TextField(_("avoid"), max_length=4000, blank=True)
    deliverables = models.CharField(_("deliverable formats"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    prize_mode = models.CharField(
        _("prizes"), max_length=12, choices=PrizeMode.choices, default=PrizeMode.PLACES
    )
    entry_days = models.PositiveSmallIntegerField(_("entry period (days)"), default=7)
    finalists_max = models.PositiveSmallIntegerField(
        _("finalists (0 = no finalist round)"), default=0
    )
    finalist_days = models.PositiveSmallIntegerField(_("finalist round (days)"), default=3)
    selection_days = models.PositiveSmallIntegerField(_("selection period (days)"), default=7)
    guaranteed = models.BooleanField(_("guaranteed prize"), default=False)
    blind = models.BooleanField(_("blind (entrants see only their own entries)"), default=False)
    private = models.BooleanField(
        _("private: signed-in designers who accept the NDA see the brief"), default=False
    )
    nda_text = models.TextField(_("NDA text"), max_length=10_000, blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    stage_ends_at = models.DateTimeField(_("stage ends at"), null=True, blank=True)
    finalists_chosen_at = models.DateTimeField(null=True, blank=True)
    entries_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry_days__gte=1, entry_days__lte=60),
                name="contests_entry_days_1_60",
            ),
            models.CheckConstraint(
                condition=models.Q(selection_days__gte=1, selection_days__lte=30),
                name="contests_selection_days_1_30",
            ),
            models.CheckConstraint(
                condition=models.Q(finalist_days__gte=1, finalist_days__lte=30),
                name="contests_finalist_days_1_30",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def escrow_reference(self) -> str:
        return f"contest:{self.pk}"

    @property
    def is_text(self) -> bool:
        return self.category in TEXT_CATEGORIES


class Prize(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    place = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["place"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "place"], name="contests_prize_place_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contests_prize_positive"
            ),
        ]

    def __str__(self):
        return f"#{self.place}: {self.amount}"


class BriefFile(models.Model):
    """An example or reference file attached to the brief."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="brief_files")
    file = models.FileField(upload_to="contests/brief/%Y/%m/")
    name = models.CharField(max_length=200)

    def __str__(self):
        return self.name


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


class Entry(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_entries"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=160, blank=True)
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE, db_index=True
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    brand_comment = models.TextField(max_length=4000, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    shortlisted = models.BooleanField(default=False)
    finalist = models.BooleanField(default=False)
    originality_declared_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "number"], name="contests_entry_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="contests_entry_rating_1_5",
            ),
        ]

    def __str__(self):
        return f"#{self.number}"

    @property
    def current(self) -> "EntryVersion | None":
        versions = list(self.versions.all())
        return versions[-1] if versions else None


def _random_name(folder: str, filename: str) -> str:
    """Random file names: in a blind contest nobody can guess another entrant's file URL."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"contests/{folder}/{uuid.uuid4().hex}{suffix}"


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    SVG = "svg", _("SVG image")
    PDF = "pdf", _("PDF")
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text")


def entry_upload_to(_instance, filename):
    return _random_name("entries", filename)


def thumbnail_upload_to(_instance, filename):
    return _random_name("thumbnails", filename)


def deliverable_upload_to(_instance, filename):
    return _random_name("deliverables", filename)


class EntryVersion(models.Model):
    """Revisions are new versions; the old ones stay, so the history is honest."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    media_kind = models.CharField(max_length=8, choices=MediaKind.choices)
    file = models.FileField(upload_to=entry_upload_to, blank=True)
    thumbnail = models.ImageField(upload_to=thumbnail_upload_to, blank=True)
    text = models.CharField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="contests_version_unique"),
        ]

    def __str__(self):
        return f"{self.entry} v{self.number}"


class BriefUpdate(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.body[:60]


class NdaAcceptance(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nda_acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contests_nda_once"),
        ]

    def __str__(self):
        return f"{self.user} accepted the NDA of {self.contest}"


class Poll(models.Model):
    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="poll")
    entries = models.ManyToManyField(Entry, related_name="polls")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    pairwise = models.BooleanField(_("pairwise 'which is better' voting"), default=False)
    hide_counts = models.BooleanField(_("hide counts until the poll closes"), default=True)
    min_account_age_days = models.PositiveSmallIntegerField(
        _("voters' accounts at least this many days old"), default=0
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Vote on {self.contest}"

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at


class Vote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="contests_one_vote_per_account"),
        ]

    def __str__(self):
        return f"{self.voter} for {self.entry}"


class PairVote(models.Model):
    """One answer per voter and unordered pair; `low`/`high` are the pair's entry ids in order."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="pair_votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    low = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    winner = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "voter", "low", "high"], name="contests_one_pair_vote"
            ),
        ]

    def __str__(self):
        return f"{self.voter}: {self.winner} in {self.low}/{self.high}"


class AwardStatus(models.TextChoices):
    AWAITING_FILES = "files", _("Waiting for final files")
    AWAITING_AGREEMENT = "agreement", _("Waiting for the IP transfer agreement")
    PAID = "paid", _("Prize paid")


class Award(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="awards")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards")
    place = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField()
    by_rule = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=AwardStatus.choices, default=AwardStatus.AWAITING_FILES
    )
    agreement_text = models.TextField(blank=True)
    brand_accepted_at = models.DateTimeField(null=True, blank=True)
    brand_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    winner_accepted_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "place"], name="contests_award_place_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contests_award_positive"
            ),
        ]

    def __str__(self):
        return f"{self.contest} #{self.place}"


class Deliverable(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="deliverables")
    file = models.FileField(upload_to=deliverable_upload_to)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
