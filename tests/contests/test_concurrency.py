"""Parallel connections at once (real concurrency on PostgreSQL; serialized on SQLite)."""

import pytest
from django.db import transaction

from tests.concurrency import run_in_parallel
from tests.contests.conftest import PRIZES, end_stage, escrow_balance, png, user_balance
from tolpa.contests import services, votes, winners
from tolpa.contests.models import AwardStatus, Entry, Vote
from tolpa.errors import ConflictError
from tolpa.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def poll(contest, owner, designer, enter):
    entries = [enter(contest, designer()) for _ in range(2)]
    with transaction.atomic():
        return votes.poll_open(actor=owner, contest=contest, days=2), entries


def test_one_account_voting_from_many_connections_counts_once(poll, designer):
    poll, entries = poll
    voter = designer()
    results = run_in_parallel(
        lambda: votes.vote_cast(actor=voter, poll=poll, entry_id=entries[0].pk), 6
    )
    assert sum(isinstance(r, Vote) for r in results) == 1, results
    assert all(isinstance(r, ConflictError) for r in results if not isinstance(r, Vote))
    assert Vote.objects.count() == 1


def test_many_voters_at_once_are_all_counted(poll, designer):
    poll, entries = poll
    voters = iter([designer() for _ in range(8)])

    def vote():
        return votes.vote_cast(actor=next(voters), poll=poll, entry_id=entries[1].pk)

    results = run_in_parallel(vote, 8)
    assert all(isinstance(r, Vote) for r in results), results
    assert Vote.objects.filter(entry=entries[1]).count() == 8


def test_parallel_entries_get_distinct_numbers(contest, designer):
    people = iter([designer() for _ in range(5)])

    def submit():
        with transaction.atomic():
            return services.entry_submit(
                actor=next(people), contest=contest, declared_original=True, upload=png()
            )

    results = run_in_parallel(submit, 5)
    assert all(isinstance(r, Entry) for r in results), results
    assert sorted(Entry.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_prize_is_paid_once_when_the_brand_accepts_from_many_connections(
    make_contest, owner, designer, enter
):
    contest = make_contest(prizes=[PRIZES[0]])
    winner = designer()
    entry = enter(contest, winner)
    end_stage(contest)
    with transaction.atomic():
        (award,) = winners.winners_pick(actor=owner, contest=contest, picks={1: entry.pk})
        winners.deliverable_add(actor=winner, award=award, upload=png("final.png"))
        winners.agreement_accept(actor=winner, award=award)

    def accept():
        with transaction.atomic():
            return winners.agreement_accept(actor=owner, award=award)

    results = run_in_parallel(accept, 5)
    assert not any(isinstance(r, Exception) for r in results), results
    award.refresh_from_db()
    assert award.status == AwardStatus.PAID
    assert user_balance(winner) == PRIZES[0] - PRIZES[0] * 1500 // 10_000
    assert escrow_balance(contest) == 0
    assert ledger_verify().ok
