from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.crowdfunding.models import Audience, FulfilmentStatus, FundingModel
from tolpa.errors import InvalidInput
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.web.images import validate_image_upload

MONEY_HELP = _("In major units, e.g. 25.00")


def _money(form, field: str, currency: str) -> int | None:
    text = form.cleaned_data.get(field)
    if not text:
        return None
    try:
        return Money.parse(text, currency).amount
    except InvalidInput as exc:
        for message in exc.fields.get("amount", [exc.message]):
            form.add_error(field, message)
        return None


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000,
                            required=False, help_text=_("Markdown is supported."))  # fmt: skip
    goal = forms.CharField(label=_("Goal"), max_length=24, help_text=MONEY_HELP)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES])
    duration_days = forms.IntegerField(
        label=_("Duration (days)"), min_value=1, max_value=60, initial=30
    )
    funding_model = forms.ChoiceField(label=_("Funding model"), choices=FundingModel.choices)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    risks = forms.CharField(label=_("Risks and challenges"), widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=20_000, required=False)  # fmt: skip
    faq = forms.CharField(
        label=_("FAQ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000, required=False
    )
    spending_plan = forms.CharField(
        label=_("Spending plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("One category per line: name: amount, e.g. Parts: 6000"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Comma-separated.")
    )
    cover = forms.FileField(label=_("Cover image"), required=False)

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            validate_image_upload(cover)
        return cover

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if not currency:
            return data
        data["goal"] = _money(self, "goal", currency)
        plan = []
        for number, line in enumerate((data.get("spending_plan") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, amount = line.rpartition(":")
            try:
                plan.append((name.strip()[:80], Money.parse(amount, currency).amount))
            except InvalidInput:
                self.add_error(
                    "spending_plan", _("Line %(n)s is not 'name: amount'.") % {"n": number}
                )
            if not name.strip():
                self.add_error(
                    "spending_plan", _("Line %(n)s has no category name.") % {"n": number}
                )
        data["spending_plan"] = plan
        return data


class TierForm(forms.Form):
    title = forms.CharField(label=_("Reward"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=4000, required=False)  # fmt: skip
    minimum = forms.CharField(label=_("Minimum pledge"), max_length=24, help_text=MONEY_HELP)
    quantity_limit = forms.IntegerField(
        label=_("Limited quantity"), min_value=1, max_value=1_000_000, required=False
    )
    estimated_delivery = forms.DateField(label=_("Estimated delivery"), required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    shipping_required = forms.BooleanField(label=_("Needs shipping"), required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self):
        data = super().clean()
        data["minimum"] = _money(self, "minimum", self.currency)
        return data


class PledgeForm(forms.Form):
    amount = forms.CharField(label=_("Your pledge"), max_length=24, help_text=MONEY_HELP)
    tier = forms.TypedChoiceField(label=_("Reward"), coerce=int, required=False, empty_value=None)
    anonymous = forms.BooleanField(label=_("Back anonymously"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = project.currency
        self.fields["tier"].choices = [("", _("No reward, I just want to help"))] + [
            (t.pk, t.title) for t in project.tiers.all()
        ]

    def clean(self):
        data = super().clean()
        data["amount"] = _money(self, "amount", self.currency)
        return data


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50_000
    )
    audience = forms.ChoiceField(label=_("Who can read it"), choices=Audience.choices)


class SpendingForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    amount = forms.CharField(label=_("Amount"), max_length=24, help_text=MONEY_HELP)
    description = forms.CharField(label=_("What for"), max_length=300)
    spent_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    receipt = forms.FileField(label=_("Receipt (image or PDF)"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = project.currency
        self.fields["category"].choices = [(c.pk, c.name) for c in project.spending_plan.all()]

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            if receipt.size > settings.TOLPA_MAX_IMAGE_BYTES:
                raise forms.ValidationError(_("The receipt is larger than the upload limit."))
            head = receipt.read(5)
            receipt.seek(0)
            if head != b"%PDF-":
                validate_image_upload(receipt)
        return receipt

    def clean(self):
        data = super().clean()
        data["amount"] = _money(self, "amount", self.currency)
        return data


class FulfilmentForm(forms.Form):
    address = forms.CharField(label=_("Shipping address"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=1000, required=False)  # fmt: skip
    choice = forms.CharField(label=_("Your choice (size, colour…)"), max_length=200, required=False)


class FulfilmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FulfilmentStatus.choices)
