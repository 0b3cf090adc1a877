import pytest
from django.db import transaction

from tests.contests.conftest import designer, enter, funded_organization, make_contest  # noqa: F401
from tests.ideas.conftest import challenge, make_challenge, post_idea  # noqa: F401
from tests.surveys.conftest import brand, make_survey  # noqa: F401
from tolpa.community import services

# The fixtures imported above let notification tests drive the producer apps' services.


@pytest.fixture
def campaign(make_campaign):
    return make_campaign(title="Name our bakery")


@pytest.fixture
def post(campaign):
    """Post a comment (or a reply) as `actor`, the way a page or the API does."""

    def make(actor, body="Nice idea", parent=None, on=None):
        with transaction.atomic():
            return services.comment_post(
                actor=actor, campaign=on or campaign, body=body,
                parent_id=parent.pk if parent else None,
            )  # fmt: skip

    return make
