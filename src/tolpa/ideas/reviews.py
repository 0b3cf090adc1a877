"""Reviewers score shortlisted ideas against the rubric; only the brand sees the ranking,
and a reviewer sees only their own scores."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ideas.access import is_manager
from tolpa.ideas.models import Challenge, Idea, IdeaStatus, Reviewer, Score, Stage
from tolpa.ideas.services import StageClosedError

SCORABLE_STAGES = (Stage.SUBMISSION, Stage.REVIEW, Stage.VOTING)


def reviewer_add(*, actor: User, challenge: Challenge, email: str) -> Reviewer:
    """Members or any existing account, found by email."""
    if not is_manager(actor, challenge):
        raise PermissionDeniedError()
    person = User.objects.filter(email__iexact=(email or "").strip()).first()
    if person is None:
        raise InvalidInput(fields={"email": [_("No account has this email address.")]})
    try:
        with transaction.atomic():
            return Reviewer.objects.create(challenge=challenge, user=person)
    except IntegrityError as exc:
        raise ConflictError(_("This person reviews this challenge already.")) from exc


def reviewer_remove(*, actor: User, challenge: Challenge, reviewer_id: int) -> None:
    if not is_manager(actor, challenge):
        raise PermissionDeniedError()
    challenge.reviewers.filter(pk=reviewer_id).delete()


def score_set(*, reviewer: Reviewer, idea: Idea, scores: dict[int, int]) -> list[Score]:
    """One score 1–5 per reviewer, idea and criterion; editable until the decision stage."""
    challenge = idea.challenge
    if reviewer.challenge_id != challenge.pk:
        raise PermissionDeniedError()
    if idea.status != IdeaStatus.SHORTLISTED or idea.merged_into_id:
        raise ConflictError(_("Only shortlisted ideas are scored."))
    if challenge.stage() not in SCORABLE_STAGES:
        raise StageClosedError(_("Scores can no longer be changed."))
    criteria = {c.pk: c for c in challenge.criteria.all()}
    errors = [
        _("Score each criterion of this challenge from 1 to 5.")
        for pk, value in scores.items()
        if pk not in criteria or isinstance(value, bool) or value not in range(1, 6)
    ]
    if errors or not scores:
        raise InvalidInput(fields={"scores": errors[:1] or [_("Give at least one score.")]})
    saved = []
    for pk, value in scores.items():
        score, _created = Score.objects.update_or_create(
            idea=idea, reviewer=reviewer, criterion_id=pk, defaults={"value": value}
        )
        saved.append(score)
    return saved


def scores_of(*, reviewer: Reviewer) -> dict[tuple[int, int], int]:
    """The reviewer's own scores by (idea id, criterion id)."""
    rows = Score.objects.filter(reviewer=reviewer).values_list("idea_id", "criterion_id", "value")
    return {(idea, criterion): value for idea, criterion, value in rows}


@dataclass(frozen=True)
class RankedIdea:
    idea: Idea
    score: float | None
    reviewers: int


def ranking(*, actor: User, challenge: Challenge) -> list[RankedIdea]:
    """Weighted mean over criteria per reviewer, averaged over reviewers; brand only."""
    if not is_manager(actor, challenge):
        raise PermissionDeniedError()
    weights = dict(challenge.criteria.values_list("pk", "weight"))
    per_reviewer: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = Score.objects.filter(idea__challenge=challenge).values_list(
        "idea_id", "reviewer_id", "criterion_id", "value"
    )
    for idea_id, reviewer_id, criterion_id, value in rows:
        per_reviewer[idea_id][reviewer_id].append((weights.get(criterion_id, 1), value))
    ranked = []
    ideas = challenge.ideas.filter(merged_into__isnull=True).select_related("author")
    for idea in ideas:
        means = [
            sum(w * v for w, v in pairs) / sum(w for w, _v in pairs)
            for pairs in per_reviewer[idea.pk].values()
        ]
        score = round(sum(means) / len(means), 2) if means else None
        ranked.append(RankedIdea(idea=idea, score=score, reviewers=len(means)))
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.idea.number))
    return ranked
