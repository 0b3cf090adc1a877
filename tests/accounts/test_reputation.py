import dataclasses
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.contests.conftest import png
from tests.microtasks.conftest import answer, photo_rows, take
from tests.surveys.conftest import respond
from tolpa.accounts.models import User
from tolpa.accounts.reputation import (
    ReputationFacts,
    reputation_facts,
    reputation_refresh,
    reputation_score,
)
from tolpa.contests import services as contest_services
from tolpa.contests.models import Award, AwardStatus
from tolpa.crowdfunding import services as crowdfunding_services
from tolpa.ideas.models import Idea, IdeaStatus
from tolpa.jobs import run_job
from tolpa.microtasks import review as microtask_review
from tolpa.microtasks import services as microtask_services
from tolpa.microtasks.models import WorkerStat


def _enter(contest, person):
    with transaction.atomic():
        return contest_services.entry_submit(
            actor=person, contest=contest, declared_original=True, upload=png()
        )


def _set_status(idea, status):
    Idea.objects.filter(pk=idea.pk).update(status=status)


@pytest.fixture
def busy(make_user, make_contest, make_challenge, post_idea, vote, project, backer,
         make_survey, make_project, make_batch, owner):  # fmt: skip
    """One crowd member active in every kind, plus a stranger whose rows must not count."""
    person = backer(email="busy@example.com")
    stranger = make_user()

    won, pending, lost = make_contest(), make_contest(), make_contest()
    entry = _enter(won, person)
    _enter(won, person)  # a second entry in the contest it won: still one contest won
    Award.objects.create(contest=won, entry=entry, place=1, amount=30_000,
                         status=AwardStatus.PAID, paid_at=timezone.now())  # fmt: skip
    accepted_entry = _enter(pending, person)
    Award.objects.create(contest=pending, entry=accepted_entry, place=1, amount=30_000,
                         status=AwardStatus.AWAITING_AGREEMENT,
                         winner_accepted_at=timezone.now())  # fmt: skip
    waiting = _enter(lost, person)
    Award.objects.create(contest=lost, entry=waiting, place=1, amount=30_000)  # files not in yet
    withdrawn = _enter(lost, person)
    withdrawn.status = "withdrawn"
    withdrawn.save(update_fields=["status"])
    _enter(lost, stranger)

    challenge = make_challenge()
    ideas = [post_idea(challenge, person, title=f"Refill idea number {i}") for i in range(3)]
    _set_status(ideas[0], IdeaStatus.ACCEPTED)
    _set_status(ideas[1], IdeaStatus.IMPLEMENTED)
    for voter in (stranger, make_user(), make_user()):
        vote(ideas[2], voter)
    vote(ideas[0], stranger)
    vote(post_idea(challenge, stranger, title="The stranger's own idea"), person)

    with transaction.atomic():
        crowdfunding_services.pledge_set(actor=person, project=project, amount=500)
        crowdfunding_services.pledge_set(actor=person, project=project, amount=700)

    survey = make_survey()
    respond(survey, person)
    respond(survey, stranger)

    tasks = make_project(overlap=1)
    make_batch(tasks, photo_rows(3))
    answered = [answer(person, take(tasks, person), {"label": "cat"}) for _ in range(3)]
    for done in answered[:2]:  # the third waits for review: not approved work yet
        with transaction.atomic():
            microtask_review.approve(actor=owner, assignment=done)
    WorkerStat.objects.filter(worker=person).update(gold_answered=10, gold_correct=9)
    return person


def test_facts_count_real_rows_per_kind(busy):
    facts = reputation_facts(busy)
    assert facts == ReputationFacts(
        ideas_accepted=2, ideas_implemented=1, votes_received=4, contests_won=2,
        contest_entries=4, microtasks_approved=2, gold_answered=10, gold_correct=9,
        campaigns_backed=1, surveys_answered=1,
    )  # fmt: skip
    assert facts.gold_accuracy == pytest.approx(0.9)


def test_facts_take_a_bounded_number_of_queries(busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        reputation_facts(busy)


def test_a_newcomer_has_nothing_and_no_gold_accuracy(user):
    facts = reputation_facts(user)
    assert facts == ReputationFacts()
    assert facts.gold_accuracy is None
    assert reputation_score(facts) == 0


@pytest.mark.parametrize(
    ("facts", "score"),
    [
        (ReputationFacts(contests_won=1), 50),
        (ReputationFacts(contest_entries=3), 6),
        (ReputationFacts(contest_entries=500), 100),
        (ReputationFacts(ideas_accepted=1), 20),
        (ReputationFacts(ideas_accepted=1, ideas_implemented=1), 50),
        (ReputationFacts(votes_received=7), 7),
        (ReputationFacts(votes_received=5_000), 200),
        (ReputationFacts(microtasks_approved=100), 100),
        (ReputationFacts(microtasks_approved=1_100), 200),
        (ReputationFacts(gold_answered=9, gold_correct=9), 0),
        (ReputationFacts(gold_answered=10, gold_correct=10), 40),
        (ReputationFacts(gold_answered=10, gold_correct=5), 0),
        (ReputationFacts(gold_answered=20, gold_correct=3), 0),
        (ReputationFacts(campaigns_backed=2), 10),
        (ReputationFacts(surveys_answered=3), 3),
    ],
)
def test_score_weights(facts, score):
    assert reputation_score(facts) == score


counts = st.integers(min_value=0, max_value=5_000)


@st.composite
def any_facts(draw):
    gold_answered = draw(counts)
    implemented = draw(counts)
    return ReputationFacts(
        ideas_accepted=implemented + draw(counts), ideas_implemented=implemented,
        votes_received=draw(counts), contests_won=draw(counts), contest_entries=draw(counts),
        microtasks_approved=draw(counts), gold_answered=gold_answered,
        gold_correct=draw(st.integers(min_value=0, max_value=gold_answered)),
        campaigns_backed=draw(counts), surveys_answered=draw(counts),
    )  # fmt: skip


@given(any_facts(), st.sampled_from(["plain", "correct_gold", "idea", "implemented_idea"]))
def test_more_approved_work_never_lowers_the_score(facts, step):
    more = {
        "plain": {"microtasks_approved": facts.microtasks_approved + 1},
        "correct_gold": {"microtasks_approved": facts.microtasks_approved + 1,
                         "gold_answered": facts.gold_answered + 1,
                         "gold_correct": facts.gold_correct + 1},
        "idea": {"ideas_accepted": facts.ideas_accepted + 1},
        "implemented_idea": {"ideas_accepted": facts.ideas_accepted + 1,
                             "ideas_implemented": facts.ideas_implemented + 1},
    }[step]  # fmt: skip
    assert reputation_score(dataclasses.replace(facts, **more)) >= reputation_score(facts)


def test_refresh_stores_scores_and_is_idempotent(busy, make_user):
    idle = make_user(reputation=99)  # a stale value is corrected down to what the rows say
    expected = reputation_score(reputation_facts(busy))
    assert expected > 0
    assert reputation_refresh([busy.pk, idle.pk]) == 2
    busy.refresh_from_db()
    idle.refresh_from_db()
    assert (busy.reputation, idle.reputation) == (expected, 0)
    assert reputation_refresh([busy.pk, idle.pk]) == 0
    assert reputation_refresh() > 0  # the stranger and the voters have rows of their own
    assert reputation_refresh() == 0


def test_full_refresh_skips_inactive_accounts_and_runs_as_a_job(make_user, post_idea,
                                                                make_challenge):  # fmt: skip
    active, gone = make_user(), make_user(is_active=False)
    challenge = make_challenge()
    for person in (active, gone):
        _set_status(post_idea(challenge, person), IdeaStatus.ACCEPTED)
    assert run_job("accounts.refresh_reputation") == 1
    assert User.objects.get(pk=active.pk).reputation == 20
    assert User.objects.get(pk=gone.pk).reputation == 0


def test_management_command_refreshes(make_user, make_challenge, post_idea):
    person = make_user()
    _set_status(post_idea(make_challenge(), person), IdeaStatus.IMPLEMENTED)
    out = io.StringIO()
    call_command("reputation", "refresh", "--user", str(person.pk), stdout=out)
    assert "1 accounts changed" in out.getvalue()
    assert User.objects.get(pk=person.pk).reputation == 50


def test_min_reputation_admits_a_worker_after_refresh(make_project, make_batch, make_user,
                                                      make_challenge, post_idea):  # fmt: skip
    tasks = make_project(min_reputation=10)
    make_batch(tasks, photo_rows(2))
    person = make_user()
    _set_status(post_idea(make_challenge(), person), IdeaStatus.ACCEPTED)
    with pytest.raises(microtask_services.BlockedError):
        take(tasks, person)
    reputation_refresh([person.pk])
    person.refresh_from_db()
    assert take(tasks, person)


def test_profile_shows_the_reputation_card(client, busy):
    page = client.get(reverse("accounts:profile", args=[busy.pk])).content.decode()
    card = page[page.index('id="reputation"') :]
    assert f"Reputation: {reputation_score(reputation_facts(busy))}" in card
    for label in ("contests won", "ideas accepted", "microtasks approved", "projects backed",
                  "surveys answered", "votes received on ideas", "90%"):  # fmt: skip
        assert label in card


def test_profile_card_of_a_newcomer_has_no_gold_accuracy(client, user):
    page = client.get(reverse("accounts:profile", args=[user.pk])).content.decode()
    assert "accuracy on control tasks" in page
    assert "—" in page[page.index('id="reputation"') :]


def test_api_user_includes_reputation_facts(api_client, busy, user):
    facts = api_client.get(f"/users/{busy.pk}").json()["reputation_facts"]
    assert facts["contests_won"] == 2
    assert facts["microtasks_approved"] == 2
    assert facts["gold_accuracy"] == pytest.approx(0.9)
    assert facts["score"] == reputation_score(reputation_facts(busy))
    newcomer = api_client.get(f"/users/{user.pk}").json()["reputation_facts"]
    assert newcomer["gold_accuracy"] is None
    assert newcomer["score"] == 0
