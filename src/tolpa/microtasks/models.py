"""Paid microtasks: a project (template, rules, reward), batches of tasks uploaded as CSV or
JSON, assignments leased to workers one at a time, gold checks, review and payment."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.models import Campaign


class Template(models.TextChoices):
    CLASSIFY = "classify", _("Image classification")
    CAPTION = "caption", _("Image caption")
    TRANSCRIBE = "transcribe", _("Audio or video transcription")
    PROOFREAD = "proofread", _("Proofreading")
    RECORD = "record", _("Record correction")
    COMPARE = "compare", _("Pairwise comparison")


TEXT_TEMPLATES = {Template.CAPTION, Template.TRANSCRIBE, Template.PROOFREAD}


class Method(models.TextChoices):
    MV = "mv", _("Majority vote")
    DS = "ds", _("Dawid-Skene")
    GLAD = "glad", _("GLAD")
    TEXT = "text", _("Closest text (similarity)")


class Project(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="microtasks")
    template = models.CharField(_("template"), max_length=12, choices=Template.choices)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    fields = models.JSONField(_("record fields"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    reward = models.BigIntegerField(_("reward per assignment (minor units)"))
    overlap = models.PositiveSmallIntegerField(_("answers per task"), default=3)
    max_overlap = models.PositiveSmallIntegerField(_("most answers per task"), default=3)
    target_confidence = models.FloatField(_("target confidence"), null=True, blank=True)
    lease_seconds = models.PositiveIntegerField(_("time limit per task (seconds)"), default=600)
    min_reputation = models.IntegerField(_("minimum reputation"), default=0)
    languages = models.JSONField(_("worker languages"), default=list, blank=True)
    countries = models.JSONField(_("worker countries"), default=list, blank=True)
    gold_rate = models.FloatField(_("share of gold tasks"), default=0.1)
    gold_answers_cap = models.PositiveIntegerField(_("answers per gold task at most"), default=50)
    qualification_tasks = models.PositiveSmallIntegerField(_("qualification gold tasks"), default=0)
    min_gold_accuracy = models.FloatField(_("block below this gold accuracy"), default=0.6)
    gold_answers_before_block = models.PositiveSmallIntegerField(default=3)
    fast_ratio = models.FloatField(
        _("flag answers faster than this share of the median"), default=0.25
    )
    auto_approve_days = models.PositiveSmallIntegerField(_("auto-approve after (days)"), default=3)
    method = models.CharField(
        _("aggregation"), max_length=8, choices=Method.choices, default=Method.MV
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward__gt=0), name="microtasks_reward_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    overlap__gte=1,
                    overlap__lte=50,
                    max_overlap__gte=models.F("overlap"),
                    max_overlap__lte=50,
                ),
                name="microtasks_overlap_1_50",
            ),
            models.CheckConstraint(
                condition=models.Q(lease_seconds__gte=30, lease_seconds__lte=86_400),
                name="microtasks_lease_30s_1d",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def is_text(self) -> bool:
        return self.template in TEXT_TEMPLATES


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    CLOSING = "closing", _("Closing: waiting for reviews")
    CLOSED = "closed", _("Closed")


class Batch(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        max_length=8, choices=BatchStatus.choices, default=BatchStatus.DRAFT, db_index=True
    )
    tasks_count = models.PositiveIntegerField(default=0)
    gold_count = models.PositiveIntegerField(default=0)
    budget = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def escrow_reference(self) -> str:
        return f"microtasks:batch:{self.pk}"


class Task(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="tasks")
    external_id = models.CharField(max_length=100)
    data = models.JSONField()
    is_gold = models.BooleanField(default=False)
    gold_answer = models.JSONField(null=True, blank=True)
    answers_needed = models.PositiveSmallIntegerField()
    accepted = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "external_id"], name="microtasks_task_id_unique"
            ),
        ]
        indexes = [models.Index(fields=["batch", "done", "is_gold", "accepted"])]

    def __str__(self):
        return self.external_id


class AssignmentStatus(models.TextChoices):
    LEASED = "leased", _("In progress")
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appealed")
    RELEASED = "released", _("Released")
    SKIPPED = "skipped", _("Skipped")
    EXPIRED = "expired", _("Expired")


class Assignment(models.Model):
    """One worker's turn at one task; unique per (task, worker), so nobody answers twice."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="microtask_assignments"
    )
    status = models.CharField(
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.LEASED,
        db_index=True,
    )
    leased_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    answer = models.JSONField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    flagged_fast = models.BooleanField(default=False)
    gold_correct = models.BooleanField(null=True, blank=True)
    reject_reason = models.CharField(max_length=300, blank=True)
    appeal = models.TextField(max_length=2000, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "worker"], name="microtasks_one_turn_per_task"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["worker", "status"]),
        ]

    def __str__(self):
        return f"{self.worker} on {self.task}"


class WorkerStat(models.Model):
    """A worker's record in one project: gold results, qualification, block, earnings."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="worker_stats")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    gold_answered = models.PositiveIntegerField(default=0)
    gold_correct = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    earned = models.BigIntegerField(default=0)
    blocked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "worker"], name="microtasks_stat_unique"),
        ]

    def __str__(self):
        return f"{self.worker} in {self.project}"

    @property
    def gold_accuracy(self) -> float | None:
        return self.gold_correct / self.gold_answered if self.gold_answered else None
