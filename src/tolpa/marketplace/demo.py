"""Demo data for `tolpa demo`: the Vietnamese translation tender of the demo brand, with two
proposals. Re-running changes nothing."""

from datetime import timedelta

from django.utils import timezone

from tolpa.accounts.models import Organization, User
from tolpa.marketplace import services
from tolpa.marketplace.models import Tender

TITLE = "Dịch trang web sang tiếng Việt"


def demo_tender_create(*, owner: User, organization: Organization) -> Tender:
    existing = Tender.objects.filter(
        campaign__organization=organization, campaign__title=TITLE
    ).first()
    if existing is not None:
        return existing
    tender = services.tender_create(
        actor=owner, organization=organization, title=TITLE, language="vi",
        summary="Cần dịch 40 trang web, báo giá tốt nhất sẽ thắng.",
        description="## Dịch 40 trang web\n\nTừ tiếng Anh sang tiếng Việt, giữ giọng văn thân thiện."
                    "\n\n*Dữ liệu demo.*",
        currency="USD", budget_min=30_000, budget_max=60_000, skills=["translation", "vietnamese"],
        offer_deadline=timezone.now() + timedelta(days=12),
    )  # fmt: skip
    offers = [
        ("worker@demo.tolpa", 45_000, 10, "Tôi là người bản xứ, đã dịch nhiều trang web bán hàng."),
        ("designer@demo.tolpa", 52_000, 8, "I translate and also adapt your images' captions."),
    ]
    for email, price, days, letter in offers:
        services.proposal_submit(
            actor=User.objects.get(email=email), tender=tender, price=price, days=days,
            cover_letter=letter, portfolio_links=["https://example.com/portfolio"],
        )  # fmt: skip
    return tender
