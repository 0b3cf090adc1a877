import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tolpa.contests import services, votes, winners
from tolpa.contests.models import Contest
from tolpa.ledger import services as ledger
from tolpa.ledger.models import TransferKind

PRIZES = [30_000, 10_000]  # 300.00 and 100.00 USD


def png(name="design.png", size=(64, 48), color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def org_balance(organization, currency="USD") -> int:
    return ledger.account_for_organization(organization=organization, currency=currency).balance


def user_balance(user, currency="USD") -> int:
    return ledger.account_for_user(user=user, currency=currency).balance


def escrow_balance(contest: Contest) -> int:
    return ledger.account_escrow(
        reference=contest.escrow_reference, currency=contest.currency
    ).balance


def deposit(account, amount: int) -> None:
    with transaction.atomic():
        external = ledger.account_external(provider="sandbox", currency=account.currency)
        ledger.move(source=external, destination=account, amount=amount,
                    key=f"test-deposit:{account.code}:{account.balance}:{amount}", kind=TransferKind.DEPOSIT)  # fmt: skip


def end_stage(contest: Contest) -> Contest:
    """Time control: the current stage's deadline (and the entry deadline) passed a moment ago."""
    from tolpa.campaigns.models import Campaign

    past = timezone.now() - timedelta(seconds=1)
    if contest.stage == "entry":
        Campaign.objects.filter(pk=contest.campaign_id).update(
            starts_at=past - timedelta(days=7), ends_at=past
        )
    Contest.objects.filter(pk=contest.pk).update(stage_ends_at=past)
    contest.refresh_from_db()
    contest.campaign.refresh_from_db()
    return contest


@pytest.fixture
def funded_organization(organization):
    deposit(ledger.account_for_organization(organization=organization, currency="USD"), 100_000)
    return organization


@pytest.fixture
def make_contest(owner, funded_organization):
    def make(launch=True, prizes=None, **fields) -> Contest:
        options = {"title": "Logo for Acme", "category": "logo", "currency": "USD",
                   "prizes": PRIZES if prizes is None else prizes, "requirements": "A fox, **orange**.", **fields}  # fmt: skip
        with transaction.atomic():
            contest = services.contest_create(
                actor=owner, organization=funded_organization, **options
            )
            if launch:
                contest = services.contest_launch(actor=owner, contest=contest)
        contest.refresh_from_db()
        return contest

    return make


@pytest.fixture
def contest(make_contest):
    return make_contest()


@pytest.fixture
def designer(make_user):
    """Designers whose accounts predate any contest (guaranteed contests require that)."""

    def make(**kwargs):
        person = make_user(**kwargs)
        type(person).objects.filter(pk=person.pk).update(
            date_joined=timezone.now() - timedelta(days=30)
        )
        person.refresh_from_db()
        return person

    return make


@pytest.fixture
def enter():
    def enter(contest, author, upload=None, **kwargs):
        with transaction.atomic():
            return services.entry_submit(
                actor=author,
                contest=contest,
                declared_original=True,
                upload=upload or png(),
                **kwargs,
            )

    return enter


# Page tests ------------------------------------------------------------------------------

SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
FAKE_PNG = b"this is plain text pretending to be a picture"


def page_url(name: str, contest: Contest, *args) -> str:
    return reverse(f"contests:{name}", args=[contest.campaign.slug, *args])


def page_text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def fake_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.png", FAKE_PNG, content_type="image/png")


def svg_with_script() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.svg", SCRIPTED_SVG, content_type="image/svg+xml")


def brief_form(**changes) -> dict:
    return {
        "title": "Logo for a bakery", "category": "logo", "summary": "Warm and simple",
        "requirements": "A **loaf** and a fox.", "must_have": "- the name\n- orange",
        "avoid": "clip art", "deliverables": "SVG, PNG", "currency": "USD",
        "prize_mode": "places", "prizes": "500, 200, 100", "entry_days": 7, "selection_days": 7,
        "finalists_max": 0, "finalist_days": 3, "language": "en", "tags": "logo, food",
        "nda_text": "", **changes,
    }  # fmt: skip


@pytest.fixture
def poll_on(owner):
    def open_poll(contest, **options):
        with transaction.atomic():
            return votes.poll_open(actor=owner, contest=contest, days=3, **options)

    return open_poll


@pytest.fixture
def pick(owner):
    def pick(contest, *entries):
        contest = end_stage(contest) if contest.stage == "entry" else contest
        with transaction.atomic():
            return winners.winners_pick(
                actor=owner,
                contest=contest,
                picks={place: e.pk for place, e in enumerate(entries, start=1)},
            )

    return pick
