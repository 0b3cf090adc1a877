from django import template

from tolpa.ledger.money import format_minor

register = template.Library()


@register.filter
def money(amount: int, currency: str) -> str:
    """`{{ posting.amount|money:posting.currency }}` → `12.50 USD`."""
    return format_minor(int(amount), currency)
