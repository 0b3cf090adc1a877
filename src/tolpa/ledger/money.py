"""Money is integer minor units plus an ISO 4217 code; mixing currencies is refused."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tolpa.errors import InvalidInput

# Currencies we settle in, with their minor-unit exponent (ISO 4217).
CURRENCIES: dict[str, int] = {"USD": 2, "EUR": 2, "GBP": 2, "RUB": 2, "VND": 0}
MAX_AMOUNT = 10**15  # far below 2**63; a bigger single amount is a bug or an attack


def validate_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code not in CURRENCIES:
        raise InvalidInput(
            _("Unknown currency %(code)s.") % {"code": currency},
            fields={"currency": [_("Use one of: %(list)s.") % {"list": ", ".join(CURRENCIES)}]},
        )
    return code


def validate_amount(amount, *, field: str = "amount") -> int:
    """A positive whole number of minor units within range."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(fields={field: [_("The amount must be a whole number of minor units.")]})
    if amount <= 0:
        raise InvalidInput(fields={field: [_("The amount must be positive.")]})
    if amount > MAX_AMOUNT:
        raise InvalidInput(fields={field: [_("The amount is too large.")]})
    return amount


def _ungrouped(text: str, mark: str) -> str:
    """Drop thousands marks, refusing groups that are not three digits ("12,5,0")."""
    head, *groups = text.split(mark)
    if not head.lstrip("-").isdigit() or any(len(g) != 3 or not g.isdigit() for g in groups):
        raise InvalidInput(fields={"amount": [_("Enter a number, such as 12.50.")]})
    return head + "".join(groups)


def _plain_number(text: str, currency: str, exponent: int) -> str:
    """People write 1,250.50, 1.250,50, 1 250,50 and 250.000 (VND). Spaces and apostrophes
    group digits; with both a comma and a point, the last one is the decimal mark; a repeated
    mark groups thousands. A lone mark before exactly three digits groups thousands in a
    currency without decimals ("250,000" VND is 250000, never 250) and is refused as
    ambiguous in the others, where "1.234" may mean 1234 or a typo for 1.23."""
    text = re.sub(r"[\s\u00a0\u202f'’]", "", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _sep, fraction = text.rpartition(decimal)
        grouping = "." if decimal == "," else ","
        return f"{_ungrouped(whole, grouping)}.{fraction}"
    for mark in ",.":
        if mark not in text:
            continue
        whole, _sep, fraction = text.rpartition(mark)
        if text.count(mark) > 1:
            return _ungrouped(text, mark)
        if len(fraction) == 3 and fraction.isdigit() and whole.lstrip("-").isdigit():
            if exponent == 0:
                return whole + fraction
            raise InvalidInput(
                fields={
                    "amount": [
                        _(
                            "%(code)s has %(n)s decimal places. If %(mark)s separates "
                            "thousands, write 1234 or 1234.00."
                        )
                        % {"code": currency, "n": exponent, "mark": mark}
                    ]
                }
            )
        return text.replace(mark, ".")
    return text


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self):
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("Money.amount must be an int of minor units")
        if self.currency not in CURRENCIES:
            raise ValueError(f"unknown currency {self.currency!r}")

    def _same(self, other: "Money") -> None:
        if not isinstance(other, Money) or other.currency != self.currency:
            raise ValueError("cannot combine different currencies")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> "Money":
        """Parse a major-unit string such as "12.50" into minor units, refusing extra precision."""
        currency = validate_currency(currency)
        exponent = CURRENCIES[currency]
        try:
            value = Decimal(_plain_number(str(text), currency, exponent))
        except (InvalidOperation, ValueError) as exc:
            raise InvalidInput(fields={"amount": [_("Enter a number, such as 12.50.")]}) from exc
        if not value.is_finite():
            raise InvalidInput(fields={"amount": [_("Enter a number, such as 12.50.")]})
        minor = value.scaleb(exponent)
        if minor != minor.to_integral_value():
            raise InvalidInput(
                fields={
                    "amount": [
                        _("%(code)s has %(n)s decimal places.") % {"code": currency, "n": exponent}
                    ]
                }
            )
        return cls(validate_amount(int(minor)), currency)

    def format(self) -> str:
        exponent = CURRENCIES[self.currency]
        major = (Decimal(self.amount).scaleb(-exponent)).quantize(
            Decimal(1).scaleb(-exponent), ROUND_HALF_UP
        )
        return f"{major:,} {self.currency}"

    def __str__(self) -> str:
        return self.format()


def format_minor(amount: int, currency: str) -> str:
    return Money(amount, currency).format()
