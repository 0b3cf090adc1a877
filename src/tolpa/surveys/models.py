"""Feedback requests and surveys: ordered questions, one response per account, a reward per
complete response (money from escrow or a discount code from the brand's bank) and an optional
award for the best feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tolpa.campaigns.models import Campaign


class RewardMode(models.TextChoices):
    MONEY = "money", _("Money per complete response")
    CODE = "code", _("A discount code")
    NONE = "none", _("No reward")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("Settled")


class Survey(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="survey")
    currency = models.CharField(_("currency"), max_length=3)
    reward_mode = models.CharField(
        _("reward"), max_length=8, choices=RewardMode.choices, default=RewardMode.MONEY
    )
    reward = models.BigIntegerField(_("reward per response (minor units)"), default=0)
    max_responses = models.PositiveIntegerField(_("most responses"))
    award = models.BigIntegerField(_("best feedback award (minor units)"), default=0)
    status = models.CharField(
        max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT, db_index=True
    )
    responses_count = models.PositiveIntegerField(default=0)
    budget = models.BigIntegerField(default=0)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward__gte=0, award__gte=0), name="surveys_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(reward_mode="money") | models.Q(reward__gt=0),
                name="surveys_money_reward_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(max_responses__gte=1, max_responses__lte=100_000),
                name="surveys_max_responses_range",
            ),
        ]

    def __str__(self):
        return self.campaign.title

    @property
    def escrow_reference(self) -> str:
        return f"survey:{self.pk}"

    @property
    def is_full(self) -> bool:
        return self.responses_count >= self.max_responses


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale")
    TEXT = "text", pgettext_lazy("survey question kind", "Free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    prompt = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(_("options"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("scale"), default=5)
    low_label = models.CharField(_("label of the low end"), max_length=60, blank=True)
    high_label = models.CharField(_("label of the high end"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(_("longest answer (characters)"), default=1000)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="surveys_question_order"),
        ]

    def __str__(self):
        return self.prompt

    @property
    def scale_min(self) -> int:
        """A 1–5 scale starts at 1; a 0–10 scale (NPS) at 0."""
        return 0 if self.scale_max == 10 else 1

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class Response(models.Model):
    """One account's answers to one survey (unique), rewarded once when it is stored."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_responses"
    )
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    rewarded_at = models.DateTimeField(null=True, blank=True)
    awarded = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="surveys_one_response_per_account"
            ),
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(awarded=True), name="surveys_one_award"
            ),
        ]

    def __str__(self):
        return f"{self.respondent} on {self.survey}"


class DiscountCode(models.Model):
    """One code of the brand's bank; given to at most one response, never twice."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=64)
    response = models.OneToOneField(
        Response, on_delete=models.PROTECT, null=True, blank=True, related_name="code"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="surveys_code_unique"),
        ]
        indexes = [models.Index(fields=["survey", "response"])]

    def __str__(self):
        return self.code
