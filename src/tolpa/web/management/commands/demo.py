"""`tolpa demo`: a brand with members, crowd users and live campaigns. Re-running changes nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tolpa.accounts.models import Membership, Organization, Role, User
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Campaign
from tolpa.ledger import payments
from tolpa.ledger import services as ledger_services

DEMO_PASSWORD = "tolpa-demo-2026"  # noqa: S105 (published demo credentials)
BRAND_USERS = [
    ("owner@demo.tolpa", "Anna Owner", Role.OWNER),
    ("manager@demo.tolpa", "Minh Manager", Role.MANAGER),
]
CROWD_USERS = [
    ("designer@demo.tolpa", "Dasha Designer", "RU", ["logo design", "illustration"], ["ru", "en"]),
    ("worker@demo.tolpa", "Vu Worker", "VN", ["transcription", "captioning"], ["vi", "en"]),
    ("backer@demo.tolpa", "Ben Backer", "GB", ["product feedback"], ["en"]),
]
CAMPAIGNS = [
    (
        "contest",
        "Logo for a neighbourhood coffee roaster",
        "A warm, hand-drawn logo for Cà Phê Tolpa.",
        ["logo", "branding"],
        "en",
        14,
    ),
    (
        "crowdfunding",
        "Solar lamp for rural schools",
        "Fund 500 solar lamps; all or nothing.",
        ["hardware", "education"],
        "en",
        30,
    ),
    (
        "microtasks",
        "Caption 1,000 product photos",
        "Write one short caption per photo.",
        ["captions", "images"],
        "en",
        10,
    ),
    (
        "ideas",
        "How should our stores cut plastic?",
        "Share and vote on ideas; we answer every shortlisted one.",
        ["sustainability"],
        "en",
        21,
    ),
    (
        "survey",
        "Отзыв о новом вкусе",
        "Попробуйте новый вкус и расскажите, что думаете.",
        ["feedback", "food"],
        "ru",
        7,
    ),
    (
        "tender",
        "Dịch trang web sang tiếng Việt",
        "Cần dịch 40 trang web, báo giá tốt nhất sẽ thắng.",
        ["translation"],
        "vi",
        12,
    ),
]


class Command(BaseCommand):
    help = "Create demo accounts, a brand and live campaigns (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        brand_users = [self._user(email, name) for email, name, _role in BRAND_USERS]
        for email, name, country, skills, languages in CROWD_USERS:
            user = self._user(email, name)
            if not user.skills:
                user.country, user.skills, user.languages = country, skills, languages
                user.bio = f"{name} is a demo crowd member."
                user.save(update_fields=["country", "skills", "languages", "bio"])
        if not User.objects.filter(email="admin@demo.tolpa").exists():
            User.objects.create_superuser(
                "admin@demo.tolpa", DEMO_PASSWORD, display_name="Operator"
            )
        organization, _created = Organization.objects.get_or_create(
            slug="tolpa-coffee", defaults={"name": "Tolpa Coffee", "description": "A demo brand."}
        )
        for user, (_email, _name, role) in zip(brand_users, BRAND_USERS, strict=True):
            Membership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": role}
            )
        self._top_up(brand_users[0], organization=organization, amount=1_000_000)
        for email, *_rest in CROWD_USERS:
            self._top_up(User.objects.get(email=email), organization=None, amount=5_000)
        now = timezone.now()
        for kind, title, summary, tags, language, days in CAMPAIGNS:
            if Campaign.objects.filter(organization=organization, title=title).exists():
                continue
            campaign = campaign_services.campaign_create(
                actor=brand_users[0],
                organization=organization,
                kind=kind,
                title=title,
                summary=summary,
                description=f"## {title}\n\n{summary}\n\n*This is demo data.*",
                language=language,
                tags=tags,
                ends_at=now + timedelta(days=days),
            )
            campaign_services.campaign_launch(actor=brand_users[0], campaign=campaign)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data is ready. Log in at http://127.0.0.1:8000/accounts/login/"
            )
        )
        self.stdout.write(f"  brand owner:   owner@demo.tolpa / {DEMO_PASSWORD}")
        self.stdout.write(f"  brand manager: manager@demo.tolpa / {DEMO_PASSWORD}")
        self.stdout.write(
            f"  crowd members: designer@demo.tolpa, worker@demo.tolpa, backer@demo.tolpa / {DEMO_PASSWORD}"
        )
        self.stdout.write(f"  operator (admin at /admin/): admin@demo.tolpa / {DEMO_PASSWORD}")

    def _top_up(self, actor: User, *, organization, amount: int) -> None:
        """A sandbox card top-up; the request key makes a re-run a no-op."""
        if organization is None:
            account = ledger_services.account_for_user(user=actor, currency="USD")
        else:
            account = ledger_services.account_for_organization(
                organization=organization, currency="USD"
            )
        payments.deposit_start(
            actor=actor,
            account=account,
            amount=amount,
            provider="sandbox",
            details={"card_number": "4242424242424242"},
            request_key=f"demo-topup-{account.code}",
        )

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name)
        return user
