import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from tolpa.campaigns.models import Campaign
from tolpa.ideas import services
from tolpa.ideas.models import Challenge, Idea


def png(name="sketch.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def move_to(challenge: Challenge, stage: str) -> Challenge:
    """Time control: shift the stage dates so that `stage` is current now, no job run."""
    now = timezone.now()
    hour = timedelta(hours=1)
    offsets = {
        "submission": (now + hour, now + 2 * hour, now + 3 * hour),
        "review": (now - hour, now + hour, now + 2 * hour),
        "voting": (now - 2 * hour, now - hour, now + hour),
        "decision": (now - 3 * hour, now - 2 * hour, now - hour),
    }[stage]
    Campaign.objects.filter(pk=challenge.campaign_id).update(
        starts_at=now - 4 * hour, ends_at=offsets[2]
    )
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_ends_at=offsets[0], review_ends_at=offsets[1]
    )
    challenge.refresh_from_db()
    challenge.campaign.refresh_from_db()
    return challenge


@pytest.fixture
def make_challenge(owner, organization):
    def make(launch=True, **fields) -> Challenge:
        now = timezone.now()
        options = {
            "title": "How could our stores cut plastic?",
            "description": "Tell us **how**.",
            "submission_ends_at": now + timedelta(days=7),
            "review_ends_at": now + timedelta(days=10),
            "voting_ends_at": now + timedelta(days=14),
            "criteria": [("Impact", 3), ("Feasibility", 1)],
            **fields,
        }
        with transaction.atomic():
            challenge = services.challenge_create(actor=owner, organization=organization, **options)
            if launch:
                challenge = services.challenge_launch(actor=owner, challenge=challenge)
        challenge.refresh_from_db()
        return challenge

    return make


@pytest.fixture
def challenge(make_challenge):
    return make_challenge()


@pytest.fixture
def internal(make_challenge):
    return make_challenge(
        title="Internal: faster onboarding", audience="internal", allowed_domains="acme.com"
    )


@pytest.fixture
def post_idea():
    def post(
        challenge, author, title="Refill stations for detergent", body="Bring a bottle.", **kw
    ):
        with transaction.atomic():
            return services.idea_submit(
                actor=author, challenge=challenge, title=title, body=body, **kw
            )

    return post


@pytest.fixture
def vote():
    def cast(idea: Idea, voter, retract=False):
        action = services.vote_retract if retract else services.vote_cast
        with transaction.atomic():
            return action(actor=voter, idea=idea)

    return cast
