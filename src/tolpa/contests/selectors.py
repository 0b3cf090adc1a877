"""Contest reads, each deciding who may see what: private briefs behind the NDA, blind
entries visible only to their authors and the brand, vote counts hidden until a poll closes."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.aggregation import bradley_terry
from tolpa.contests.models import (
    Contest,
    Entry,
    EntryStatus,
    EntryVersion,
    NdaAcceptance,
    PairVote,
    Poll,
    Stage,
)
from tolpa.contests.services import is_manager
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.web.daily import DayCount, count_per_day


def contests_public() -> QuerySet[Contest]:
    return (
        Contest.objects.exclude(stage__in=(Stage.DRAFT, Stage.CANCELLED))
        .select_related("campaign__organization")
        .prefetch_related("prizes")
        .order_by("-campaign__starts_at")
    )


def contest_access(*, actor: User, slug: str) -> Contest:
    """A contest by slug; drafts only for the brand. Private briefs still load (the page
    shows the NDA), `brief_visible` says whether the details may be shown."""
    contest = (
        Contest.objects.select_related("campaign__organization")
        .prefetch_related("prizes")
        .filter(campaign__slug=slug)
        .first()
    )
    if contest is None:
        raise NotFoundError()
    if contest.stage in (Stage.DRAFT, Stage.CANCELLED) and not is_manager(actor, contest):
        raise NotFoundError()
    return contest


def poll_for_voting(*, actor: User, slug: str) -> Poll:
    """The poll of a contest in one query: the vote endpoint takes bursts, so it skips
    everything the ballot does not need."""
    poll = (
        Poll.objects.select_related("contest__campaign__organization")
        .filter(contest__campaign__slug=slug)
        .exclude(contest__stage__in=(Stage.DRAFT, Stage.CANCELLED))
        .first()
    )
    if poll is None:
        raise NotFoundError("This contest has no vote.")
    require_brief(actor=actor, contest=poll.contest)
    return poll


def brief_visible(*, actor: User, contest: Contest) -> bool:
    if not contest.private or is_manager(actor, contest):
        return True
    return (
        actor.is_authenticated
        and NdaAcceptance.objects.filter(contest=contest, user=actor).exists()
    )


def require_brief(*, actor: User, contest: Contest) -> None:
    if not brief_visible(actor=actor, contest=contest):
        raise PermissionDeniedError(_("Accept the NDA to see this private contest."))


def _with_versions(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.select_related("author").prefetch_related(
        Prefetch("versions", queryset=EntryVersion.objects.order_by("number"))
    )


def entries_visible(*, actor: User, contest: Contest) -> QuerySet[Entry]:
    """The brand sees every entry; in a blind contest others see only their own; in an open
    one everybody sees the active ones."""
    entries = _with_versions(contest.entries.all())
    if is_manager(actor, contest):
        return entries
    own = Q(author_id=actor.pk) if actor.is_authenticated else Q(pk__in=[])
    if contest.blind or not brief_visible(actor=actor, contest=contest):
        return entries.filter(own)
    return entries.filter(own | Q(status=EntryStatus.ACTIVE))


def entry_access(*, actor: User, contest: Contest, number: int) -> Entry:
    entry = entries_visible(actor=actor, contest=contest).filter(number=number).first()
    if entry is None:
        raise NotFoundError()
    return entry


def can_see_review(*, actor: User, entry: Entry) -> bool:
    """Ratings and the brand's notes: for the brand and the entry's author only."""
    return actor.is_authenticated and (
        entry.author_id == actor.pk or is_manager(actor, entry.contest)
    )


@dataclass(frozen=True)
class PollRow:
    entry: Entry
    votes: int
    score: float | None = None
    low: float | None = None
    high: float | None = None


def poll_counts_visible(*, actor: User, poll: Poll) -> bool:
    if not poll.hide_counts or timezone.now() >= poll.closes_at:
        return True
    return is_manager(actor, poll.contest)


def poll_results(*, poll: Poll) -> list[PollRow]:
    """Counts per entry, ranked; for pairwise polls a Bradley-Terry score with a 95% interval."""
    entries = list(
        _with_versions(poll.entries.all()).annotate(
            n=Count("votes", filter=Q(votes__poll=poll), distinct=True)
        )
    )
    if not poll.pairwise:
        return sorted(
            (PollRow(entry=e, votes=e.n) for e in entries),
            key=lambda row: (-row.votes, row.entry.number),
        )
    return _pairwise_results(poll, entries)


def _pairwise_results(poll: Poll, entries: list[Entry]) -> list[PollRow]:
    pairs = list(PairVote.objects.filter(poll=poll).values_list("low_id", "high_id", "winner_id"))
    wins = {e.pk: 0 for e in entries}
    for _low, _high, winner in pairs:
        wins[winner] += 1
    if not pairs:
        return [PollRow(entry=e, votes=0) for e in entries]
    lows, highs, winners = zip(*pairs, strict=True)
    ranking = bradley_terry(list(lows), list(highs), list(winners))
    scored = {
        int(item): (float(score), float(se))
        for item, score, se in zip(ranking.items, ranking.scores, ranking.std_errors, strict=True)
    }
    rows = []
    for entry in entries:
        score, se = scored.get(entry.pk, (None, None))
        rows.append(
            PollRow(
                entry=entry, votes=wins[entry.pk], score=score,
                low=None if score is None else score - 1.96 * se,
                high=None if score is None else score + 1.96 * se,
            )
        )  # fmt: skip
    return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.entry.number))


def entries_per_day(*, contest: Contest) -> list[DayCount]:
    return count_per_day(contest.entries.all(), "created_at")


def ratings_distribution(*, contest: Contest) -> list[tuple[str, int]]:
    counts = dict(
        contest.entries.filter(status=EntryStatus.ACTIVE)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    return [("—" if r is None else "★" * r, counts.get(r, 0)) for r in (None, 1, 2, 3, 4, 5)]


def portfolio_of(*, user: User) -> QuerySet[Entry]:
    """A designer's public entries: those of open contests, and winning ones of blind
    contests; nothing from a private contest, whose NDA covers the work too."""
    return (
        _with_versions(Entry.objects.filter(author=user, contest__private=False))
        .filter(Q(contest__blind=False) | Q(awards__isnull=False))
        .exclude(status=EntryStatus.WITHDRAWN)
        .exclude(contest__stage__in=(Stage.DRAFT, Stage.CANCELLED))
        .select_related("contest__campaign")
        .distinct()
        .order_by("-created_at")
    )
