"""The idea challenge API. Ideas are addressed by their number within the challenge; an
internal challenge is 404 to everyone outside its audience, on every route."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Status

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.errors import InvalidInput, NotFoundError
from tolpa.ideas import merging, reviews, screening, selectors, services
from tolpa.ideas.models import Challenge, Idea, Merge
from tolpa.ideas.schemas import (
    ChallengeIn,
    ChallengeOut,
    EmailIn,
    FollowOut,
    IdeaIn,
    IdeaOut,
    MergeIn,
    MergeOut,
    RankedOut,
    ReviewerOut,
    ScoreIn,
    SimilarOut,
    StatusIn,
    VoteOut,
)

router = Router(tags=["ideas"])


def _challenge_out(challenge: Challenge) -> ChallengeOut:
    campaign = challenge.campaign
    return ChallengeOut(
        slug=campaign.slug, title=campaign.title, summary=campaign.summary,
        description=campaign.description, status=campaign.effective_status,
        stage=challenge.stage(), audience=challenge.audience,
        submission_ends_at=challenge.submission_ends_at, review_ends_at=challenge.review_ends_at,
        voting_ends_at=campaign.ends_at, vote_while_submitting=challenge.vote_while_submitting,
        voting_open=challenge.voting_open(),
        criteria=[{"id": c.pk, "name": c.name, "weight": c.weight} for c in challenge.criteria.all()],
    )  # fmt: skip


def _idea_out(idea: Idea) -> IdeaOut:
    return IdeaOut(
        number=idea.number, title=idea.title, body=idea.body, author=idea.author.display_name,
        status=idea.status, answer=idea.answer, votes=idea.votes_count,
        tags=[t.name for t in idea.tags.all()],
        merged_into=idea.merged_into.number if idea.merged_into_id else None,
        created_at=idea.created_at,
    )  # fmt: skip


def _merge_out(merge: Merge) -> MergeOut:
    return MergeOut(
        source=merge.source.number, target=merge.target.number,
        merged_by=merge.merged_by.display_name if merge.merged_by else None,
        merged_at=merge.merged_at, unmerged_at=merge.unmerged_at,
        unmerged_by=merge.unmerged_by.display_name if merge.unmerged_by else None,
    )  # fmt: skip


def _idea(request, slug: str, number: int) -> tuple[Challenge, Idea]:
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    return challenge, selectors.idea_access(actor=request.user, challenge=challenge, number=number)


@router.post("", response={201: ChallengeOut})
def challenge_create(request, payload: ChallengeIn):
    """A draft challenge of one of your brands; the title is the question."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    data = payload.dict(exclude={"organization_id", "criteria"})
    with transaction.atomic():
        challenge = services.challenge_create(
            actor=request.user, organization=organization,
            criteria=[(c.name, c.weight) for c in payload.criteria], **data,
        )  # fmt: skip
    return Status(201, _challenge_out(challenge))


@router.get("/{slug}", response=ChallengeOut, auth=optional_auth)
def challenge_detail(request, slug: str):
    return _challenge_out(selectors.challenge_access(actor=request.user, slug=slug))


@router.post("/{slug}/launch", response=ChallengeOut)
def challenge_launch(request, slug: str):
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    with transaction.atomic():
        challenge = services.challenge_launch(actor=request.user, challenge=challenge)
    return _challenge_out(challenge)


@router.get("/{slug}/ideas", response=list[IdeaOut], auth=optional_auth)
def idea_list(request, slug: str, sort: str = "top", q: str = "", tag: str = ""):
    """Ideas not merged away; sort=top (Wilson lower bound), trending or new."""
    if sort not in screening.Sort.ALL:
        raise InvalidInput(fields={"sort": [_("Use top, trending or new.")]})
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    ideas = list(selectors.ideas_listed(challenge=challenge, q=q[:100], tag=tag[:40])[:500])
    return [_idea_out(i) for i in screening.ordered(ideas, challenge=challenge, sort=sort)]


@router.post("/{slug}/ideas", response={201: IdeaOut})
def idea_submit(request, slug: str, payload: IdeaIn):
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    with transaction.atomic():
        idea = services.idea_submit(actor=request.user, challenge=challenge, **payload.dict())
    return Status(201, _idea_out(idea))


@router.get("/{slug}/ideas/{number}", response=IdeaOut, auth=optional_auth)
def idea_detail(request, slug: str, number: int):
    return _idea_out(_idea(request, slug, number)[1])


@router.post("/{slug}/ideas/{number}/vote", response=VoteOut)
def vote_cast(request, slug: str, number: int):
    """One up-vote per account; repeating it changes nothing."""
    _challenge, idea = _idea(request, slug, number)
    with transaction.atomic():
        idea = services.vote_cast(actor=request.user, idea=idea)
    return VoteOut(number=idea.number, votes=idea.votes_count, voted=True)


@router.delete("/{slug}/ideas/{number}/vote", response=VoteOut)
def vote_retract(request, slug: str, number: int):
    _challenge, idea = _idea(request, slug, number)
    with transaction.atomic():
        idea = services.vote_retract(actor=request.user, idea=idea)
    return VoteOut(number=idea.number, votes=idea.votes_count, voted=False)


@router.post("/{slug}/ideas/{number}/follow", response=FollowOut)
def follow(request, slug: str, number: int):
    _challenge, idea = _idea(request, slug, number)
    with transaction.atomic():
        services.follow(actor=request.user, idea=idea)
    return FollowOut(number=idea.number, following=True)


@router.delete("/{slug}/ideas/{number}/follow", response=FollowOut)
def unfollow(request, slug: str, number: int):
    _challenge, idea = _idea(request, slug, number)
    with transaction.atomic():
        services.unfollow(actor=request.user, idea=idea)
    return FollowOut(number=idea.number, following=False)


@router.post("/{slug}/ideas/{number}/status", response=IdeaOut)
def status_set(request, slug: str, number: int, payload: StatusIn):
    """The brand's public status and answer; declining needs an answer."""
    _challenge, idea = _idea(request, slug, number)
    with transaction.atomic():
        idea = services.status_set(actor=request.user, idea=idea, **payload.dict())
    return _idea_out(idea)


@router.post("/{slug}/reviewers", response={201: ReviewerOut})
def reviewer_add(request, slug: str, payload: EmailIn):
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    with transaction.atomic():
        reviewer = reviews.reviewer_add(
            actor=request.user, challenge=challenge, email=payload.email
        )
    return Status(201, ReviewerOut(id=reviewer.pk, user=reviewer.user.display_name,
                                   email=reviewer.user.email))  # fmt: skip


@router.put("/{slug}/ideas/{number}/scores", response=dict[int, int])
def score_set(request, slug: str, number: int, payload: ScoreIn):
    """The reviewer's own scores of a shortlisted idea, criterion id → 1..5."""
    challenge, reviewer = selectors.challenge_reviewed(actor=request.user, slug=slug)
    idea = selectors.idea_access(actor=request.user, challenge=challenge, number=number)
    with transaction.atomic():
        saved = reviews.score_set(reviewer=reviewer, idea=idea, scores=payload.scores)
    return {s.criterion_id: s.value for s in saved}


@router.get("/{slug}/ranking", response=list[RankedOut])
def ranking(request, slug: str):
    """Brand only: weighted reviewer scores with the number of reviewers."""
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    return [
        RankedOut(number=r.idea.number, title=r.idea.title, votes=r.idea.votes_count,
                  score=r.score, reviewers=r.reviewers)
        for r in reviews.ranking(actor=request.user, challenge=challenge)
    ]  # fmt: skip


@router.get("/{slug}/similar", response=list[SimilarOut], auth=optional_auth)
def similar(request, slug: str, title: str = ""):
    if len(title) > 160:
        raise InvalidInput(fields={"title": [_("At most 160 characters.")]})
    challenge = selectors.challenge_access(actor=request.user, slug=slug)
    hits = screening.similar(challenge=challenge, title=title)
    return [SimilarOut(number=i.number, title=i.title, score=s) for i, s in hits]


@router.get("/{slug}/clusters", response=list[list[int]])
def clusters(request, slug: str):
    """Brand only: numbers of likely-duplicate ideas, grouped."""
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    return [
        [i.number for i in group] for group in screening.duplicate_clusters(challenge=challenge)
    ]


@router.post("/{slug}/ideas/{number}/merge", response=MergeOut)
def merge(request, slug: str, number: int, payload: MergeIn):
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    source = selectors.idea_access(actor=request.user, challenge=challenge, number=number)
    try:
        target = selectors.idea_access(
            actor=request.user, challenge=challenge, number=payload.target
        )
    except NotFoundError as exc:
        raise InvalidInput(fields={"target": [_("No idea has this number.")]}) from exc
    with transaction.atomic():
        return _merge_out(merging.idea_merge(actor=request.user, source=source, target=target))


@router.post("/{slug}/ideas/{number}/unmerge", response=MergeOut)
def unmerge(request, slug: str, number: int):
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    source = selectors.idea_access(actor=request.user, challenge=challenge, number=number)
    with transaction.atomic():
        return _merge_out(merging.idea_unmerge(actor=request.user, source=source))


@router.get("/{slug}/merges", response=list[MergeOut])
def merge_log(request, slug: str):
    challenge = selectors.challenge_managed(actor=request.user, slug=slug)
    return [_merge_out(m) for m in selectors.merge_log(challenge=challenge)[:200]]
