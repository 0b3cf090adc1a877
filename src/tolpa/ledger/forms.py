import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tolpa.errors import InvalidInput
from tolpa.ledger.models import TransferKind
from tolpa.ledger.money import CURRENCIES, Money

CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


def _new_request_key() -> str:
    return uuid.uuid4().hex


class _AmountForm(forms.Form):
    """Parses the amount in major units and carries a per-form key so a double submit pays once."""

    request_key = forms.CharField(
        widget=forms.HiddenInput, max_length=100, required=False, initial=_new_request_key
    )

    def clean(self):
        data = super().clean()
        if data.get("amount_text") and data.get("currency"):
            try:
                data["money"] = Money.parse(data["amount_text"], data["currency"])
            except InvalidInput as exc:
                for message in exc.fields.get("amount", [exc.message]):
                    self.add_error("amount_text", message)
        return data


class TopUpForm(_AmountForm):
    amount_text = forms.CharField(
        label=_("Amount"), max_length=24, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    method = forms.ChoiceField(
        label=_("Pay by"),
        choices=[("card", _("Card")), ("bank_transfer", _("Bank transfer"))],
        initial="card",
    )
    card_number = forms.CharField(
        label=_("Card number"),
        required=False,
        max_length=23,
        help_text=_("Sandbox: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined."),
    )
    provider = forms.ChoiceField(label=_("Provider"), choices=[])

    def __init__(self, *args, providers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(name, name.title()) for name in providers]

    def clean(self):
        data = super().clean()
        if (
            data.get("provider") == "sandbox"
            and data.get("method") == "card"
            and not data.get("card_number")
        ):
            self.add_error("card_number", _("Enter a card number."))
        return data


class WithdrawalForm(_AmountForm):
    amount_text = forms.CharField(
        label=_("Amount"), max_length=24, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    destination = forms.CharField(label=_("Bank account or card"), min_length=4, max_length=120)


class StatementFilterForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *list(TransferKind.choices)], required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
