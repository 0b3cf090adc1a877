"""Reputation: one crowd score across every campaign kind, computed from stored events.

Nothing is counted incrementally: the facts are re-read from the apps' own rows, so a
refresh is idempotent and a correction (a rejected answer, a refund) shows up by itself.
"""

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, Sum

from tolpa.accounts.models import User
from tolpa.contests.models import AwardStatus, Entry, EntryStatus
from tolpa.crowdfunding.models import Pledge, PledgeStatus
from tolpa.ideas.models import Idea, IdeaStatus
from tolpa.ideas.models import Vote as IdeaVote
from tolpa.microtasks.models import Assignment, AssignmentStatus, WorkerStat
from tolpa.surveys.models import Response

BATCH_SIZE = 500

# Weights. Rare outcomes a brand has judged outweigh volume the crowd can produce alone.
CONTEST_WON = 50  # a brand paid (or is paying) for the work: the strongest signal
CONTEST_ENTRY = 2  # effort, judged by nobody yet; capped so spamming entries does not pay
CONTEST_ENTRY_CAP = 100  # points, i.e. 50 entries
IDEA_ACCEPTED = 20  # a brand chose the idea
IDEA_IMPLEMENTED = 30  # on top of accepted: the idea became real
VOTE_RECEIVED = 1  # peers liked an idea; capped as votes are cheap to gather
VOTES_CAP = 200  # points
MICROTASK_FULL = 100  # the first 100 approved answers earn 1 point each...
MICROTASK_STEP = 10  # ...then 1 point per 10, so volume work cannot dwarf everything else
GOLD_MIN_ANSWERED = 10  # below this, accuracy on control tasks is mostly luck
GOLD_BONUS = 40  # linear from 50% (a coin toss on two labels, no bonus) to 100% accuracy
CAMPAIGN_BACKED = 5  # money put behind a project, once per project
SURVEY_ANSWERED = 1  # cheap to give, but still a contribution


@dataclass(frozen=True)
class ReputationFacts:
    """What one account did, per campaign kind, in the units the score is built from."""

    ideas_accepted: int = 0  # accepted or implemented
    ideas_implemented: int = 0
    votes_received: int = 0  # on one's own ideas, one's own votes excluded
    contests_won: int = 0  # distinct contests with an award paid or accepted by the winner
    contest_entries: int = 0  # active (not withdrawn or declined) entries
    microtasks_approved: int = 0
    gold_answered: int = 0
    gold_correct: int = 0
    campaigns_backed: int = 0  # distinct crowdfunding projects with an active or charged pledge
    surveys_answered: int = 0

    @property
    def gold_accuracy(self) -> float | None:
        return self.gold_correct / self.gold_answered if self.gold_answered else None

    def as_dict(self) -> dict:
        return {**asdict(self), "gold_accuracy": self.gold_accuracy}


def reputation_score(facts: ReputationFacts) -> int:
    """The weighted sum documented by the constants above.

    Every term is non-decreasing in its own count, and the gold bonus only grows with a
    correct control answer, so more approved work can never lower the score.
    """
    microtasks = min(facts.microtasks_approved, MICROTASK_FULL) + (
        max(facts.microtasks_approved - MICROTASK_FULL, 0) // MICROTASK_STEP
    )
    gold = 0
    if facts.gold_answered >= GOLD_MIN_ANSWERED:
        gold = round(GOLD_BONUS * max(facts.gold_accuracy - 0.5, 0.0) * 2)
    return (
        CONTEST_WON * facts.contests_won
        + min(CONTEST_ENTRY * facts.contest_entries, CONTEST_ENTRY_CAP)
        + IDEA_ACCEPTED * facts.ideas_accepted
        + IDEA_IMPLEMENTED * facts.ideas_implemented
        + min(VOTE_RECEIVED * facts.votes_received, VOTES_CAP)
        + microtasks
        + gold
        + CAMPAIGN_BACKED * facts.campaigns_backed
        + SURVEY_ANSWERED * facts.surveys_answered
    )


def reputation_facts(user: User) -> ReputationFacts:
    return reputation_facts_many([user.pk])[user.pk]


def reputation_facts_many(user_ids: Iterable[int]) -> dict[int, ReputationFacts]:
    """Facts for many accounts in seven grouped queries, whatever the number of accounts."""
    ids = list(user_ids)
    found: dict[int, dict] = {pk: {} for pk in ids}

    def collect(queryset, key: str) -> None:
        for row in queryset:
            found[row.pop(key)].update(row)

    accepted = [IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED]
    collect(
        Idea.objects.filter(author_id__in=ids, status__in=accepted)
        .values("author_id")
        .annotate(
            ideas_accepted=Count("pk"),
            ideas_implemented=Count("pk", filter=Q(status=IdeaStatus.IMPLEMENTED)),
        ),
        "author_id",
    )
    collect(
        IdeaVote.objects.filter(idea__author_id__in=ids)
        .exclude(voter_id=F("idea__author_id"))
        .values("idea__author_id")
        .annotate(votes_received=Count("pk")),
        "idea__author_id",
    )
    won = Q(awards__status=AwardStatus.PAID) | Q(awards__winner_accepted_at__isnull=False)
    collect(
        Entry.objects.filter(author_id__in=ids)
        .values("author_id")
        .annotate(
            contest_entries=Count("pk", filter=Q(status=EntryStatus.ACTIVE), distinct=True),
            contests_won=Count("contest_id", filter=won, distinct=True),
        ),
        "author_id",
    )
    collect(
        Assignment.objects.filter(worker_id__in=ids, status=AssignmentStatus.APPROVED)
        .values("worker_id")
        .annotate(microtasks_approved=Count("pk")),
        "worker_id",
    )
    collect(
        WorkerStat.objects.filter(worker_id__in=ids)
        .values("worker_id")
        .annotate(gold_answered=Sum("gold_answered"), gold_correct=Sum("gold_correct")),
        "worker_id",
    )
    collect(
        Pledge.objects.filter(
            backer_id__in=ids, status__in=[PledgeStatus.ACTIVE, PledgeStatus.CHARGED]
        )
        .values("backer_id")
        .annotate(campaigns_backed=Count("project_id", distinct=True)),
        "backer_id",
    )
    collect(
        Response.objects.filter(respondent_id__in=ids)
        .values("respondent_id")
        .annotate(surveys_answered=Count("pk")),
        "respondent_id",
    )
    return {pk: ReputationFacts(**values) for pk, values in found.items()}


def _batches(user_ids: Iterable[int] | None) -> Iterator[list[int]]:
    if user_ids is not None:
        ids = sorted(set(user_ids))
        for start in range(0, len(ids), BATCH_SIZE):
            yield ids[start : start + BATCH_SIZE]
        return
    last = 0
    active = User.objects.filter(is_active=True).order_by("pk")
    while batch := list(active.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH_SIZE]):
        yield batch
        last = batch[-1]


def reputation_refresh(user_ids: Iterable[int] | None = None) -> int:
    """Recompute and store `User.reputation` for these accounts (default: every active one).

    Only changed rows are written, so it returns how many changed and a rerun returns 0.
    """
    changed = 0
    for batch in _batches(user_ids):
        facts = reputation_facts_many(batch)
        stale = []
        for user in User.objects.filter(pk__in=batch).only("pk", "reputation"):
            score = reputation_score(facts[user.pk])
            if user.reputation != score:
                user.reputation = score
                stale.append(user)
        User.objects.bulk_update(stale, ["reputation"], batch_size=BATCH_SIZE)
        changed += len(stale)
    return changed
