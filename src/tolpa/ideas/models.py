"""Idea challenges (open innovation) on top of the shared campaign base: a question with
stages, ideas with votes and followers, public statuses, private reviewer scores, and
reversible merges of duplicates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.models import Campaign, Status, Tag

TITLE_MAX = 160
BODY_MAX = 20_000


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public: anyone")
    INTERNAL = "internal", _("Internal: members and allowed email domains")


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not started")
    SUBMISSION = "submission", _("Submission")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    DECISION = "decision", _("Decision")
    CANCELLED = "cancelled", _("Cancelled")


class Challenge(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="challenge")
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    allowed_domains = models.CharField(_("allowed email domains"), max_length=1000, blank=True)
    submission_ends_at = models.DateTimeField(_("submission ends"))
    review_ends_at = models.DateTimeField(_("review ends"))
    vote_while_submitting = models.BooleanField(_("voting open during submission"), default=True)
    next_number = models.PositiveIntegerField(default=1)
    ideas_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_ends_at__gt=models.F("submission_ends_at")),
                name="ideas_challenge_review_after_submission",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def voting_ends_at(self):
        return self.campaign.ends_at

    @property
    def domains(self) -> list[str]:
        """Stored as ",a.com,b.org," so a domain matches a whole entry in one query."""
        return [d for d in self.allowed_domains.split(",") if d]

    def stage(self, now=None) -> str:
        """The stage follows from the dates at this moment; no job flips it."""
        now = now or timezone.now()
        campaign = self.campaign
        if campaign.status == Status.DRAFT:
            return Stage.DRAFT
        if campaign.status == Status.CANCELLED:
            return Stage.CANCELLED
        if campaign.starts_at and now < campaign.starts_at:
            return Stage.UPCOMING
        if now < self.submission_ends_at:
            return Stage.SUBMISSION
        if now < self.review_ends_at:
            return Stage.REVIEW
        if now < campaign.ends_at:
            return Stage.VOTING
        return Stage.DECISION

    def get_stage_display(self) -> str:
        return Stage(self.stage()).label

    def voting_open(self, now=None) -> bool:
        stage = self.stage(now)
        return stage == Stage.VOTING or (stage == Stage.SUBMISSION and self.vote_while_submitting)


class Criterion(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=80)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=10), name="ideas_criterion_weight"
            ),
        ]

    def __str__(self):
        return self.name


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")


class Idea(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="ideas")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("description"), max_length=BODY_MAX)
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas")
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    answer = models.TextField(_("answer from the brand"), max_length=BODY_MAX, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_ideas"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "number"], name="ideas_idea_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=IdeaStatus.values), name="ideas_idea_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="ideas_idea_not_self_merged"
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ideas:idea", args=[self.challenge.campaign.slug, self.number])


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="ideas/%Y/%m/")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class CoauthorInvite(models.Model):
    """The author invites by email; the account with that email accepts and may then edit."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coauthor_invites")
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "email"], name="ideas_coauthor_once"),
        ]

    def __str__(self):
        return self.email


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="ideas_vote_once"),
        ]

    def __str__(self):
        return f"{self.voter_id} → {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_follow_once"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.idea_id}"


class StatusChange(models.Model):
    """The public history of an idea's status with the brand's answer at that time."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=16, choices=IdeaStatus.choices)
    answer = models.TextField(max_length=BODY_MAX, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.idea_id}: {self.status}"


class Reviewer(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_reviews"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="ideas_reviewer_once"),
        ]

    def __str__(self):
        return f"{self.user} reviews {self.challenge}"


class Score(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "reviewer", "criterion"], name="ideas_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="ideas_score_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.value}"


class Merge(models.Model):
    """A merge of `source` into `target`; what moved is recorded so that unmerging restores
    exactly those votes, follows and comments. The rows are the merge log."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    moved_votes = models.JSONField(default=list)
    shared_votes = models.JSONField(default=list)
    moved_follows = models.JSONField(default=list)
    shared_follows = models.JSONField(default=list)
    moved_comments = models.JSONField(default=list)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.source_id} → {self.target_id}"
