import pytest
from django.db import transaction

from tolpa.community import services


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
