"""The public vote on a contest's entries: one vote per account per poll (or pairwise
"which is better" votes ranked with Bradley-Terry), rate-limited, closed by its deadline.
Callers own the transaction."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.contests.models import (
    Contest,
    EntryStatus,
    NdaAcceptance,
    PairVote,
    Poll,
    Stage,
    Vote,
)
from tolpa.contests.services import (
    StageError,
    _manage,
    contest_advance,
    is_manager,
)
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError, RateLimitedError

MAX_POLL_ENTRIES = 8
MAX_POLL_DAYS = 14
VOTE_RATE_LIMIT = (30, 60)  # votes per account per this many seconds


def poll_open(
    *,
    actor: User,
    contest: Contest,
    days: int,
    entry_ids: list[int] | None = None,
    pairwise: bool = False,
    hide_counts: bool = True,
    min_account_age_days: int = 0,
) -> Poll:
    """A public vote on up to 8 chosen entries, or on every active entry."""
    _manage(actor, contest)
    contest = contest_advance(contest_id=contest.pk)
    if contest.stage not in (Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION):
        raise StageError(_("A vote opens while the contest runs."))
    if Poll.objects.filter(contest=contest).exists():
        raise ConflictError(_("This contest already has a vote."))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_POLL_DAYS:
        raise InvalidInput(fields={"days": [_("A vote runs for 1 to 14 days.")]})
    if not isinstance(min_account_age_days, int) or not 0 <= min_account_age_days <= 365:
        raise InvalidInput(fields={"min_account_age_days": [_("0 to 365 days.")]})
    active = contest.entries.filter(status=EntryStatus.ACTIVE)
    if entry_ids:
        if len(set(entry_ids)) > MAX_POLL_ENTRIES:
            raise InvalidInput(fields={"entries": [_("A vote shows at most 8 chosen entries.")]})
        chosen = list(active.filter(pk__in=set(entry_ids)))
        if len(chosen) != len(set(entry_ids)):
            raise InvalidInput(fields={"entries": [_("Choose active entries of this contest.")]})
    else:
        chosen = list(active)
    if len(chosen) < 2:
        raise InvalidInput(fields={"entries": [_("A vote needs at least two entries.")]})
    now = timezone.now()
    poll = Poll.objects.create(
        contest=contest, opens_at=now, closes_at=now + timedelta(days=days), pairwise=pairwise,
        hide_counts=hide_counts, min_account_age_days=min_account_age_days,
    )  # fmt: skip
    poll.entries.set(chosen)
    return poll


def _may_vote(actor: User, poll: Poll, entry_ids: list[int]) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    now = timezone.now()
    if not poll.is_open(now):
        raise StageError(_("This vote is closed."))
    if actor.date_joined > now - timedelta(days=poll.min_account_age_days):
        raise PermissionDeniedError(
            _("Accounts younger than %(n)s days cannot vote here.")
            % {"n": poll.min_account_age_days}
        )
    if is_manager(actor, poll.contest):
        raise PermissionDeniedError(_("A brand does not vote in its own contest."))
    contest = poll.contest
    if contest.private and not NdaAcceptance.objects.filter(contest=contest, user=actor).exists():
        raise PermissionDeniedError(_("Accept the NDA before voting in this private contest."))
    entries = list(poll.entries.filter(pk__in=entry_ids))
    if len(entries) != len(set(entry_ids)):
        raise InvalidInput(fields={"entry": [_("This entry is not part of the vote.")]})
    if any(entry.author_id == actor.pk for entry in entries):
        raise PermissionDeniedError(_("You cannot vote for your own entry."))
    limit, window = VOTE_RATE_LIMIT
    key = f"contests:votes:{actor.pk}:{int(now.timestamp()) // window}"
    cache.add(key, 0, timeout=window * 2)
    if cache.incr(key) > limit:
        raise RateLimitedError(_("Too many votes in a minute; wait a little."))


def vote_cast(*, actor: User, poll: Poll, entry_id: int) -> Vote:
    """One vote per account per poll, enforced by a unique constraint under any concurrency."""
    _may_vote(actor, poll, [entry_id])
    try:
        with transaction.atomic():
            return Vote.objects.create(poll=poll, voter=actor, entry_id=entry_id)
    except IntegrityError as exc:
        raise ConflictError(_("You have already voted in this poll.")) from exc


def pair_vote_cast(*, actor: User, poll: Poll, winner_id: int, loser_id: int) -> PairVote:
    """One answer per account and pair: "which of these two is better"."""
    if not poll.pairwise:
        raise InvalidInput(_("This vote is not pairwise."))
    if winner_id == loser_id:
        raise InvalidInput(fields={"loser": [_("Compare two different entries.")]})
    _may_vote(actor, poll, [winner_id, loser_id])
    low, high = sorted((winner_id, loser_id))
    try:
        with transaction.atomic():
            return PairVote.objects.create(
                poll=poll, voter=actor, low_id=low, high_id=high, winner_id=winner_id
            )
    except IntegrityError as exc:
        raise ConflictError(_("You have already compared these two.")) from exc


def polls_close_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Poll.objects.filter(closed_at__isnull=True, closes_at__lte=now).update(closed_at=now)
