"""Any sequence of vote, unvote, merge and unmerge keeps every idea's counter equal to its
vote rows, and counts each voter at most once per idea."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolpa.errors import ServiceError
from tolpa.ideas import merging, services
from tolpa.ideas.models import Idea, Vote

pytestmark = pytest.mark.django_db

step = st.one_of(
    st.tuples(st.just("vote"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("unvote"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("merge"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("unmerge"), st.integers(0, 3), st.integers(0, 3)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, max_size=25))
def test_counters_match_vote_rows(challenge, owner, make_user, steps):
    with transaction.atomic():
        authors = [make_user() for _ in range(2)]
        voters = [make_user() for _ in range(4)]
        ideas = [
            services.idea_submit(
                actor=authors[n % 2], challenge=challenge, title=f"Idea {n}", body="b"
            )
            for n in range(4)
        ]
        for kind, a, b in steps:
            first = Idea.objects.get(pk=ideas[a].pk)
            try:
                with transaction.atomic():
                    if kind == "vote":
                        services.vote_cast(actor=voters[b], idea=first)
                    elif kind == "unvote":
                        services.vote_retract(actor=voters[b], idea=first)
                    elif kind == "merge":
                        merging.idea_merge(
                            actor=owner, source=first, target=Idea.objects.get(pk=ideas[b].pk)
                        )
                    else:
                        merging.idea_unmerge(actor=owner, source=first)
            except ServiceError:
                pass
            for idea in Idea.objects.filter(pk__in=[i.pk for i in ideas]):
                rows = list(Vote.objects.filter(idea=idea).values_list("voter_id", flat=True))
                assert idea.votes_count == len(rows)
                assert len(rows) == len(set(rows))
                assert idea.author_id not in rows
                if idea.merged_into_id:
                    assert rows == []
        transaction.set_rollback(True)
