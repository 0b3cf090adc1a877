"""Microtask forms turn what people type (a reward in major units, percentages, one label per
line) into what the services take; the services still decide what is allowed."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.errors import InvalidInput
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.microtasks.models import Method, Template

MAX_ID = 2**63 - 1  # a larger id cannot reach the database (SQLite raises OverflowError)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str) -> list[str]:
    """ "en, ru vi" → ["en", "ru", "vi"]."""
    return [part.strip() for part in text.replace(",", " ").split() if part.strip()]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000,
        required=False, help_text=_("Markdown is supported. Workers read this before each task."),
    )  # fmt: skip
    template = forms.ChoiceField(label=_("Template"), choices=Template.choices)
    labels = forms.CharField(
        label=_("Labels"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        required=False, help_text=_("One per line; for image classification."),
    )  # fmt: skip
    fields = forms.CharField(
        label=_("Record fields"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        required=False, help_text=_("One per line; for record correction. Each is a CSV column."),
    )  # fmt: skip
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    reward = forms.CharField(
        label=_("Reward per answer"), max_length=30,
        help_text=_("In major units, e.g. 0.10. The platform fee is added on top."),
    )  # fmt: skip
    overlap = forms.IntegerField(
        label=_("Answers per task"), min_value=1, max_value=50, initial=3,
        help_text=_("How many workers answer each task."),
    )  # fmt: skip
    max_overlap = forms.IntegerField(
        label=_("Most answers per task"), min_value=1, max_value=50, required=False,
        help_text=_("Quality guarantee (optional): ask for more answers, up to this many, "
                    "until the target confidence is reached."),
    )  # fmt: skip
    target_confidence = forms.IntegerField(
        label=_("Target confidence (%)"), min_value=50, max_value=99, required=False
    )
    lease_minutes = forms.IntegerField(
        label=_("Time limit per task (minutes)"), min_value=1, max_value=1440, initial=10
    )
    days = forms.IntegerField(label=_("Runs for (days)"), min_value=1, max_value=365, initial=30)
    min_reputation = forms.IntegerField(
        label=_("Minimum worker reputation"), min_value=0, max_value=1_000_000, initial=0
    )
    languages = forms.CharField(
        label=_("Worker languages"), max_length=200, required=False,
        help_text=_("Language codes, e.g. en, ru. Empty = anyone."),
    )  # fmt: skip
    countries = forms.CharField(
        label=_("Worker countries"), max_length=400, required=False,
        help_text=_("Two-letter codes, e.g. VN, RU. Empty = anywhere."),
    )  # fmt: skip
    gold_rate = forms.IntegerField(
        label=_("Gold tasks mixed in (%)"), min_value=0, max_value=50, initial=10,
        help_text=_("Rows with a value in the gold column are control tasks."),
    )  # fmt: skip
    qualification_tasks = forms.IntegerField(
        label=_("Qualification gold tasks"), min_value=0, max_value=50, initial=0,
        help_text=_("Gold tasks a worker answers first."),
    )  # fmt: skip
    min_gold_accuracy = forms.IntegerField(
        label=_("Block workers below this gold accuracy (%)"), min_value=0, max_value=100,
        initial=60,
    )  # fmt: skip
    auto_approve_days = forms.IntegerField(
        label=_("Auto-approve after (days)"), min_value=0, max_value=60, initial=3
    )
    method = forms.ChoiceField(
        label=_("Aggregation"), choices=[("", _("Default for the template")), *Method.choices],
        required=False,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        currency, reward = data.get("currency"), data.get("reward")
        if currency and reward is not None:
            try:
                data["reward"] = Money.parse(reward, currency).amount
            except InvalidInput as exc:
                self.add_error("reward", " ".join(exc.fields.get("amount", [exc.message])))
        return data

    def service_arguments(self) -> dict:
        """The cleaned form as `services.project_create` keywords."""
        data = dict(self.cleaned_data)
        confidence = data.pop("target_confidence")
        data.update(
            labels=_lines(data["labels"]),
            fields=_lines(data["fields"]),
            target_confidence=confidence / 100 if confidence is not None else None,
            lease_seconds=data.pop("lease_minutes") * 60,
            languages=_codes(data["languages"]),
            countries=[code.upper() for code in _codes(data["countries"])],
            gold_rate=data["gold_rate"] / 100,
            min_gold_accuracy=data["min_gold_accuracy"] / 100,
            method=data["method"] or None,
        )
        return data


class BatchForm(forms.Form):
    name = forms.CharField(label=_("Batch name"), max_length=120, required=False)
    file = forms.FileField(
        label=_("Tasks (CSV or JSON)"),
        help_text=_("One row per task: an id column, the template's columns, and an optional "
                    "gold column with the known answer."),
    )  # fmt: skip
    media = forms.FileField(
        label=_("Media (zip, optional)"), required=False,
        help_text=_("Files named in the media columns instead of URLs."),
    )  # fmt: skip


class ReviewForm(forms.Form):
    assignment = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AppealForm(forms.Form):
    assignment = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your appeal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
