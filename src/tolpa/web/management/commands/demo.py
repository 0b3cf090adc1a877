"""`tolpa demo`: a brand with members, crowd users and live campaigns. Re-running changes nothing."""

import io
import zipfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image

from tolpa.accounts.models import Membership, Organization, Role, User
from tolpa.campaigns.models import Campaign
from tolpa.contests import services as contest_services
from tolpa.crowdfunding import services as crowdfunding_services
from tolpa.ideas import services as idea_services
from tolpa.ledger import payments
from tolpa.ledger import services as ledger_services
from tolpa.marketplace.demo import demo_tender_create
from tolpa.marketplace.shop.demo import demo_texts_create
from tolpa.microtasks import services as microtask_services
from tolpa.surveys import services as survey_services

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
        self._crowdfunding(brand_users[0], organization)
        self._contest(brand_users[0], organization)
        self._microtasks(brand_users[0], organization)
        self._survey(brand_users[0], organization)
        self._ideas(brand_users[0], organization)
        demo_texts_create()
        demo_tender_create(owner=brand_users[0], organization=organization)
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

    def _crowdfunding(self, owner: User, organization: Organization) -> None:
        title = "Solar lamp for rural schools"
        if Campaign.objects.filter(organization=organization, title=title).exists():
            return
        project = crowdfunding_services.project_create(
            actor=owner, organization=organization, title=title, goal=500_000, currency="USD",
            duration_days=30, summary="Fund 500 solar lamps; all or nothing.",
            story="## Light for 500 classrooms\n\nEvery lamp charges in a day of sun.\n\n*Demo data.*",
            spending_plan=[("Parts", 300_000), ("Shipping", 150_000), ("Training", 50_000)],
            tags=["hardware", "education"],
        )  # fmt: skip
        crowdfunding_services.tier_create(
            actor=owner, project=project, title="Thank-you card", minimum=1_000
        )
        crowdfunding_services.tier_create(actor=owner, project=project, title="A lamp for you and one for a school",
                                          minimum=4_000, quantity_limit=100, shipping_required=True)  # fmt: skip
        crowdfunding_services.project_launch(actor=owner, project=project)
        backer = User.objects.get(email="backer@demo.tolpa")
        crowdfunding_services.pledge_set(
            actor=backer, project=project, amount=1_500, tier_id=project.tiers.first().pk
        )

    def _contest(self, owner: User, organization: Organization) -> None:
        title = "Logo for a neighbourhood coffee roaster"
        if Campaign.objects.filter(organization=organization, title=title).exists():
            return
        contest = contest_services.contest_create(
            actor=owner, organization=organization, title=title, category="logo", currency="USD",
            prizes=[40_000, 10_000], summary="A warm, hand-drawn logo for Cà Phê Tolpa.",
            requirements="## The roaster\n\nSmall-batch beans, roasted on the corner.\n\n*Demo data.*",
            must_have="A coffee bean; the name Tolpa", avoid="Cups with steam; brown only",
            deliverables="SVG and PNG", finalists_max=3, tags=["logo", "branding"],
        )  # fmt: skip
        contest_services.contest_launch(actor=owner, contest=contest)
        designer = User.objects.get(email="designer@demo.tolpa")
        for colour in ((180, 90, 40), (60, 40, 30)):
            buffer = io.BytesIO()
            Image.new("RGB", (480, 360), colour).save(buffer, format="PNG")
            contest_services.entry_submit(
                actor=designer, contest=contest, declared_original=True, title="Bean mark",
                upload=SimpleUploadedFile("bean.png", buffer.getvalue()),
            )  # fmt: skip

    def _microtasks(self, owner: User, organization: Organization) -> None:
        """Twenty generated product photos to caption (two of them gold), media from a zip."""
        title = "Caption 20 product photos"
        if Campaign.objects.filter(organization=organization, title=title).exists():
            return
        project = microtask_services.project_create(
            actor=owner, organization=organization, title=title, template="caption", currency="USD",
            reward=25, overlap=2, max_overlap=3, target_confidence=0.6, gold_rate=0.1,
            summary="Write one short caption per photo.", tags=["captions", "images"],
            instructions="Describe the colour and shape you see in **one short sentence**.",
        )  # fmt: skip
        archive = io.BytesIO()
        colours = [
            ("red", (200, 40, 40)),
            ("green", (40, 160, 60)),
            ("blue", (40, 80, 200)),
            ("yellow", (230, 200, 40)),
        ]
        rows = ["id,image,gold"]
        with zipfile.ZipFile(archive, "w") as zipped:
            for i in range(20):
                name, rgb = colours[i % len(colours)]
                picture = io.BytesIO()
                Image.new("RGB", (320, 240), rgb).save(picture, format="PNG")
                zipped.writestr(f"photo-{i}.png", picture.getvalue())
                rows.append(f"photo-{i},photo-{i}.png,{f'A {name} square' if i < 2 else ''}")
        batch = microtask_services.batch_create(
            actor=owner, project=project, name="Spring catalogue",
            upload=SimpleUploadedFile("photos.csv", "\n".join(rows).encode()),
            media=SimpleUploadedFile("photos.zip", archive.getvalue()),
        )  # fmt: skip
        microtask_services.batch_launch(actor=owner, batch=batch)

    def _survey(self, owner: User, organization: Organization) -> None:
        """A paid taste survey in Russian: a choice, a scale and a text question."""
        title = "Что вы думаете о новом вкусе?"
        if Campaign.objects.filter(organization=organization, title=title).exists():
            return
        survey = survey_services.survey_create(
            actor=owner, organization=organization, title=title, currency="USD",
            reward_mode="money", reward=50, max_responses=40, award=1_000, days=7, language="ru",
            summary="Попробуйте новый вкус и расскажите, что думаете.", tags=["feedback", "food"],
            description="## Новый вкус\n\nТри вопроса, две минуты.\n\n*Демо-данные.*",
            questions=[
                {"kind": "single", "prompt": "Какой вкус вам понравился больше?",
                 "choices": ["Карамель", "Ваниль", "Лесной орех"]},
                {"kind": "scale", "prompt": "Насколько вероятно, что вы порекомендуете его другу?",
                 "scale_max": 10, "low_label": "Точно нет", "high_label": "Обязательно"},
                {"kind": "text", "prompt": "Что бы вы изменили?", "required": False,
                 "max_length": 2000},
            ],
        )  # fmt: skip
        survey_services.survey_launch(actor=owner, survey=survey)
        backer = User.objects.get(email="backer@demo.tolpa")
        question_ids = [str(q.pk) for q in survey.questions.all()]
        survey_services.response_submit(
            actor=backer, survey=survey,
            answers=dict(zip(question_ids, ["Ваниль", 9, "Чуть меньше сахара"], strict=True)),
        )  # fmt: skip

    def _ideas(self, owner: User, organization: Organization) -> None:
        """A public idea challenge with two near-duplicate ideas and a vote."""
        title = "How should our stores cut plastic?"
        if Campaign.objects.filter(organization=organization, title=title).exists():
            return
        now = timezone.now()
        challenge = idea_services.challenge_create(
            actor=owner, organization=organization, title=title, tags=["sustainability"],
            summary="Share and vote on ideas; we answer every shortlisted one.",
            description="## Less plastic\n\nWhat would make you skip the bag?\n\n*Demo data.*",
            submission_ends_at=now + timedelta(days=14), review_ends_at=now + timedelta(days=17),
            voting_ends_at=now + timedelta(days=21), criteria=[("Impact", 3), ("Cost", 1)],
        )  # fmt: skip
        idea_services.challenge_launch(actor=owner, challenge=challenge)
        designer = User.objects.get(email="designer@demo.tolpa")
        backer = User.objects.get(email="backer@demo.tolpa")
        first = idea_services.idea_submit(
            actor=designer, challenge=challenge, title="Refill stations for shampoo and soap",
            body="Bring your own bottle and pay by weight.", tags=["refill"],
        )  # fmt: skip
        idea_services.idea_submit(
            actor=backer, challenge=challenge, title="Refill station for shampoo",
            body="A refill station near the tills.", tags=["refill"],
        )  # fmt: skip
        idea_services.vote_cast(actor=backer, idea=first)

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
            user = User.objects.create_user(
                email, DEMO_PASSWORD, display_name=name, email_verified_at=timezone.now()
            )
        return user
