"""Tender forms turn what people type (amounts in major units, skills separated by commas,
one link per line) into what the services take; the services still decide what is allowed."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tolpa.errors import InvalidInput
from tolpa.ideas.forms import MultipleFileField, split_tags
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.marketplace.models import DisputeDecision

MARKDOWN_HELP = _("Markdown is supported.")


def major_units(amount: int, currency: str) -> str:
    """Minor units as a person types them back into a form: 45000 USD → "450.00"."""
    exponent = CURRENCIES[currency]
    return f"{Decimal(amount).scaleb(-exponent):.{exponent}f}"


def parse_amount(form: forms.Form, name: str, currency: str) -> int | None:
    """Major units typed by a person → minor units, or a form error on `name`."""
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        return None
    try:
        return Money.parse(text, currency).amount
    except InvalidInput as exc:
        form.add_error(name, " ".join(exc.fields.get("amount", [exc.message])))
        return None


class TenderForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000,
        help_text=MARKDOWN_HELP,
    )  # fmt: skip
    skills = forms.CharField(
        label=_("Skills"), max_length=500, required=False,
        help_text=_("Separated by commas, e.g. “translation, Vietnamese”."),
    )  # fmt: skip
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    budget_kind = forms.ChoiceField(
        label=_("Budget"), choices=[("fixed", _("Fixed price")), ("range", _("A range"))]
    )
    budget_min = forms.CharField(
        label=_("Budget (from)"), max_length=30, help_text=_("In major units, e.g. 300.00.")
    )
    budget_max = forms.CharField(
        label=_("Budget (up to)"), max_length=30, required=False,
        help_text=_("Only for a range."),
    )  # fmt: skip
    days = forms.IntegerField(
        label=_("Offers accepted for (days)"), min_value=1, max_value=90, initial=7
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    attachments = MultipleFileField(
        label=_("Reference files"), required=False,
        help_text=_("Up to 5 images or PDFs."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if currency:
            data["budget_min"] = parse_amount(self, "budget_min", currency)
            data["budget_max"] = (
                parse_amount(self, "budget_max", currency)
                if data.get("budget_kind") == "range"
                else None
            )
            missing_top = data.get("budget_kind") == "range" and data["budget_max"] is None
            if missing_top and "budget_max" not in self.errors:
                self.add_error("budget_max", _("Give the top of the range."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"], "summary": data["summary"],
            "description": data["description"], "skills": split_tags(data["skills"]),
            "currency": data["currency"], "budget_min": data["budget_min"],
            "budget_max": data["budget_max"], "language": data["language"],
            "offer_deadline": timezone.now() + timedelta(days=data["days"]),
            "attachments": data["attachments"],
        }  # fmt: skip


class ProposalForm(forms.Form):
    price = forms.CharField(label=_("Your price"), max_length=30,
                            help_text=_("In major units, e.g. 450.00."))  # fmt: skip
    days = forms.IntegerField(label=_("Timeline (days)"), min_value=1, max_value=3650)
    cover_letter = forms.CharField(
        label=_("Cover letter"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )
    portfolio_links = forms.CharField(
        label=_("Portfolio links"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        max_length=3500, help_text=_("One web address per line."),
    )  # fmt: skip

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        if "price" in data:
            data["price"] = parse_amount(self, "price", self.currency)
        data["portfolio_links"] = [
            line.strip()
            for line in (data.get("portfolio_links") or "").splitlines()
            if line.strip()
        ]
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the freelancer reads this; optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    amount = forms.CharField(label=_("Amount"), max_length=30)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        if "amount" in data:
            data["amount"] = parse_amount(self, "amount", self.currency)
        return data


class DeliveryForm(forms.Form):
    message = forms.CharField(
        label=_("What you deliver"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    file = forms.FileField(
        label=_("File (optional)"), required=False, help_text=_("An image or a PDF.")
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DisputeDecision.choices)
    freelancer_amount = forms.CharField(
        label=_("To the freelancer (split)"), max_length=30, required=False
    )
    brand_amount = forms.CharField(label=_("To the brand (split)"), max_length=30, required=False)
    note = forms.CharField(
        label=_("Note to both sides"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        if data.get("decision") == DisputeDecision.SPLIT:
            data["freelancer_amount"] = parse_amount(self, "freelancer_amount", self.currency)
            data["brand_amount"] = parse_amount(self, "brand_amount", self.currency)
        else:
            data["freelancer_amount"] = data["brand_amount"] = None
        return data


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)]
    )
    text = forms.CharField(
        label=_("What was it like to work together?"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )  # fmt: skip
