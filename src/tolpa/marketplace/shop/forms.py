"""Shop forms turn what people type (prices in major units) into what the services take;
the services still decide what is allowed (length, uniqueness, duplicates)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tolpa.errors import InvalidInput
from tolpa.ledger.money import CURRENCIES, Money
from tolpa.marketplace.shop import orders, texts
from tolpa.marketplace.shop.models import Category, Language

BODY_FORM_LIMIT = 200_000  # above the service's cap, so the service names the real limit


def _currency_field():
    return forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CURRENCIES],
        initial=settings.TOLPA_DEFAULT_CURRENCY,
    )  # fmt: skip


class PriceMixin:
    """`price` typed in major units (12.50) becomes minor units in `cleaned_data`."""

    def clean(self):
        data = super().clean()
        currency, text = data.get("currency"), (data.get("price") or "").strip()
        if currency and text:
            try:
                data["price"] = Money.parse(text, currency).amount
            except InvalidInput as exc:
                self.add_error("price", " ".join(exc.fields.get("amount", [exc.message])))
        return data


class TextForm(PriceMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=texts.MAX_TITLE)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
    currency = _currency_field()
    price = forms.CharField(
        label=_("Price"), max_length=30,
        help_text=_("In major units, e.g. 12.50. The platform keeps a fee when it sells."),
    )  # fmt: skip
    body = forms.CharField(
        label=_("Text"), max_length=BODY_FORM_LIMIT, strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Buyers see the first part before they buy; the rest only after."),
    )  # fmt: skip


class OrderForm(PriceMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=texts.MAX_TITLE)
    brief = forms.CharField(
        label=_("Brief"), max_length=orders.MAX_BRIEF, required=False,
        widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Markdown is supported."),
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
    words = forms.IntegerField(
        label=_("Length in words"), min_value=orders.MIN_WORDS, max_value=orders.MAX_WORDS,
        initial=500,
    )  # fmt: skip
    currency = _currency_field()
    price = forms.CharField(
        label=_("Price"), max_length=30,
        help_text=_("In major units. It is held in escrow from your brand wallet now."),
    )  # fmt: skip
    deadline = forms.DateTimeField(
        label=_("Deadline (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class DeliverForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=texts.MAX_TITLE, required=False)
    body = forms.CharField(
        label=_("Text"), max_length=BODY_FORM_LIMIT, strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )  # fmt: skip


class ChangesForm(forms.Form):
    message = forms.CharField(
        label=_("What to change"), max_length=orders.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class PriceForm(PriceMixin, forms.Form):
    currency = forms.CharField(widget=forms.HiddenInput)
    price = forms.CharField(label=_("New price"), max_length=30)
