"""`{% tender_reviews person %}` shows a person's tender reviews on their public profile:
what clients said about their work, and what freelancers said about their brands."""

from django import template

from tolpa.marketplace import selectors

register = template.Library()
SHOWN = 10


@register.inclusion_tag("marketplace/_profile_reviews.html")
def tender_reviews(person):
    as_freelancer = selectors.reviews_of_freelancer(user=person)
    rating, count = selectors.rating_of(as_freelancer)
    brands = list(person.organizations.all())
    as_client = [
        (brand, selectors.rating_of(selectors.reviews_of_brand(organization=brand)),
         selectors.reviews_of_brand(organization=brand)[:SHOWN])
        for brand in brands
    ]  # fmt: skip
    return {
        "reviews": as_freelancer[:SHOWN], "rating": rating, "count": count,
        "as_client": [row for row in as_client if row[1][1]],
    }  # fmt: skip
