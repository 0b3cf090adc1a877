"""Discussion on every campaign: threaded comments, their edit history, reports, appeals,
the public moderation log and in-app notifications. Nothing here is ever deleted: a
moderator hides a comment with a public reason and the log keeps every decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolpa.campaigns.models import Campaign
from tolpa.campaigns.selectors import page_url

BODY_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 500
APPEAL_MAX_LENGTH = 2_000


class Comment(models.Model):
    """On a campaign's own thread, or, with `item_number`, on one of its numbered items (an
    idea, a contest entry), whose kind decides who sees it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="comments")
    item_number = models.PositiveIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    is_brand = models.BooleanField(default=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="comment_mentions"
    )
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    pending_reports = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["campaign", "item_number"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_hidden=False) | models.Q(hidden_at__isnull=False),
                name="community_comment_hidden_has_time",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} by {self.author}"

    def get_absolute_url(self):
        return f"{page_url(self.campaign, self.item_number)}#comment-{self.pk}"

    @property
    def hidden_automatically(self) -> bool:
        return self.is_hidden and self.hidden_by_id is None


class CommentRevision(models.Model):
    """A body a comment had before an edit: edits never erase what was said."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"revision of #{self.comment_id}"


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comment_reports"
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="community_report_once_per_user"
            ),
        ]

    def __str__(self):
        return f"report on #{self.comment_id} by {self.reporter}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="appeal")
    text = models.TextField(_("appeal"), max_length=APPEAL_MAX_LENGTH)
    status = models.CharField(
        max_length=8, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AppealStatus.values),
                name="community_appeal_status_valid",
            ),
        ]

    def __str__(self):
        return f"appeal of #{self.comment_id} ({self.status})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    UNHIDE = "unhide", _("Unhidden")
    AUTO_HIDE = "auto_hide", _("Hidden automatically after reports")
    APPEAL_ACCEPT = "appeal_accept", _("Appeal accepted")
    APPEAL_REJECT = "appeal_reject", _("Appeal rejected")


class ModerationAction(models.Model):
    """One line of a campaign's public moderation log; actor is empty for automatic hides."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="moderation_actions"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="moderation_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=ActionKind.choices)
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ActionKind.values),
                name="community_action_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.action} #{self.comment_id}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("New reply to your comment")
    MENTION = "mention", _("You were mentioned")
    HIDDEN = "hidden", _("Your comment was hidden")
    APPEAL_ACCEPTED = "appeal_accepted", _("Your appeal was accepted")
    APPEAL_REJECTED = "appeal_rejected", _("Your appeal was rejected")
    IDEA_STATUS = "idea_status", _("An idea you wrote or follow has a new status")
    NEW_RESPONSE = "new_response", _("New survey responses")
    NEW_ENTRY = "new_entry", _("New contest entries")
    NEW_IDEA = "new_idea", _("New ideas")
    DEADLINE = "deadline", _("A campaign you take part in ends within 24 hours")
    NEW_PROPOSAL = "new_proposal", _("New proposals on your tenders")
    ITEM_COMMENT = "item_comment", _("New comment on an idea or entry of yours")
    DEAL = "deal", _("News on your deals: proposals, contracts, disputes, sales and orders")


# Kinds a busy campaign would repeat: one unread notification per campaign counts them.
BATCHED_KINDS = frozenset(
    {
        NotificationKind.NEW_RESPONSE,
        NotificationKind.NEW_ENTRY,
        NotificationKind.NEW_IDEA,
        NotificationKind.NEW_PROPOSAL,
    }
)
EMAIL_BY_DEFAULT = frozenset(
    {
        NotificationKind.REPLY,
        NotificationKind.MENTION,
        NotificationKind.HIDDEN,
        NotificationKind.IDEA_STATUS,
        NotificationKind.DEADLINE,
        NotificationKind.DEAL,
        NotificationKind.ITEM_COMMENT,
    }
)


class Notification(models.Model):
    """`text` holds the detail (an excerpt or a reason); the sentence around it comes from
    `kind`, so it shows in the reader's language. `count` grows while a batched kind
    stays unread."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    count = models.PositiveIntegerField(default=1)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "campaign"],
                condition=models.Q(
                    read_at__isnull=True, kind__in=sorted(k.value for k in BATCHED_KINDS)
                ),
                name="community_notification_one_unread_batch",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; a kind without a row uses the defaults: in-app on,
    email on for EMAIL_BY_DEFAULT."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("on the site"), default=True)
    email = models.BooleanField(_("by email"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="community_preference_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="community_preference_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind}"


class NotificationSent(models.Model):
    """Proof that a once-only notification (a deadline reminder) went out, kept even when
    the person turned in-app notices off, so a job re-run sends nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "campaign"], name="community_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id} on {self.campaign_id}"
