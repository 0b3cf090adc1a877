"""Parallel connections at once: real concurrency on PostgreSQL only."""

import pytest

from tests.concurrency import run_in_parallel
from tests.conftest import is_postgres
from tolpa.ideas.models import Idea, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if not is_postgres():
        pytest.skip("needs PostgreSQL for real parallel transactions")


def test_one_account_voting_from_eight_connections_counts_once(
    challenge, user, make_user, post_idea, vote
):
    idea = post_idea(challenge, user)
    voter = make_user()
    results = run_in_parallel(lambda: vote(Idea.objects.get(pk=idea.pk), voter), 8)
    assert all(isinstance(r, Idea) for r in results), results
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == 1
    assert idea.votes_count == 1


def test_eight_accounts_at_once_are_all_counted(challenge, user, make_user, post_idea, vote):
    idea = post_idea(challenge, user)
    voters = iter([make_user() for _ in range(8)])
    results = run_in_parallel(lambda: vote(Idea.objects.get(pk=idea.pk), next(voters)), 8)
    assert all(isinstance(r, Idea) for r in results), results
    idea.refresh_from_db()
    assert Vote.objects.filter(idea=idea).count() == 8
    assert idea.votes_count == 8


def test_votes_racing_a_merge_stay_consistent(challenge, owner, user, make_user, post_idea, vote):
    from django.db import transaction

    from tolpa.errors import ConflictError
    from tolpa.ideas import merging

    keep, dupe = post_idea(challenge, user, title="A"), post_idea(challenge, make_user(), title="B")
    voters = [make_user() for _ in range(6)]
    jobs = iter([("vote", v) for v in voters] + [("merge", None)])

    def work():
        kind, voter = next(jobs)
        if kind == "merge":
            with transaction.atomic():
                return merging.idea_merge(actor=owner, source=Idea.objects.get(pk=dupe.pk),
                                          target=Idea.objects.get(pk=keep.pk))  # fmt: skip
        return vote(Idea.objects.get(pk=dupe.pk), voter)

    results = run_in_parallel(work, 7)
    assert all(not isinstance(r, Exception) or isinstance(r, ConflictError) for r in results), (
        results
    )
    for idea in Idea.objects.all():
        assert idea.votes_count == Vote.objects.filter(idea=idea).count()
