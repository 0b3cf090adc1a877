"""Texts an author has on sale, for their public profile."""

from django import template

from tolpa.marketplace.shop import selectors

register = template.Library()
PROFILE_TEXTS = 6


@register.inclusion_tag("shop/_profile_texts.html")
def shop_texts_of(person):
    texts = selectors.text_list_shop().filter(author=person)
    return {"texts": texts[:PROFILE_TEXTS], "person": person}
