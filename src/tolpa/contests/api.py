"""The contests API: briefs for brands, entries for designers, votes and results.
Entries are addressed by their public number within the contest, never by database id."""

from django.db import transaction
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from tolpa.accounts.selectors import organization_access
from tolpa.api_auth import optional_auth
from tolpa.contests import selectors, services, votes, winners
from tolpa.contests.models import Award, Contest, Entry
from tolpa.contests.schemas import (
    AwardOut,
    BriefPatch,
    ContestIn,
    ContestOut,
    Created,
    DeclineIn,
    EntriesIn,
    EntryOut,
    PairVoteIn,
    PollIn,
    PollOut,
    ReviewIn,
    TextIn,
    UpdateOut,
    VoteIn,
    WinnersIn,
)
from tolpa.errors import InvalidInput, NotFoundError, PermissionDeniedError

router = Router(tags=["contests"])


def _contest_out(contest: Contest, actor) -> ContestOut:
    visible = selectors.brief_visible(actor=actor, contest=contest)
    prizes = list(contest.prizes.all())
    campaign = contest.campaign
    return ContestOut(
        slug=campaign.slug, title=campaign.title, category=contest.category,
        currency=contest.currency, prize_mode=contest.prize_mode,
        prizes=[{"place": p.place, "amount": p.amount} for p in prizes],
        prize_total=sum(p.amount for p in prizes), stage=contest.stage,
        stage_ends_at=contest.stage_ends_at, entry_ends_at=campaign.ends_at,
        guaranteed=contest.guaranteed, blind=contest.blind, private=contest.private,
        entries_count=contest.entries_count, brief_visible=visible, summary=campaign.summary,
        requirements=campaign.description if visible else None,
        must_have=contest.must_have if visible else None,
        avoid=contest.avoid if visible else None,
        deliverables=contest.deliverables if visible else None,
    )  # fmt: skip


def _entry_out(entry: Entry, actor) -> EntryOut:
    review = selectors.can_see_review(actor=actor, entry=entry)
    return EntryOut(
        number=entry.number, title=entry.title, author=entry.author.display_name,
        status=entry.status, shortlisted=entry.shortlisted, finalist=entry.finalist,
        created_at=entry.created_at,
        versions=[
            {
                "number": v.number, "media_kind": v.media_kind, "text": v.text, "note": v.note,
                "file_url": v.file.url if v.file else None,
                "thumbnail_url": v.thumbnail.url if v.thumbnail else None,
                "sha256": v.sha256, "created_at": v.created_at,
            }
            for v in entry.versions.all()
        ],
        rating=entry.rating if review else None,
        brand_comment=entry.brand_comment if review else None,
        decline_reason=entry.decline_reason if review else None,
    )  # fmt: skip


def _award_out(award: Award) -> AwardOut:
    return AwardOut(
        id=award.pk, place=award.place, amount=award.amount, entry=award.entry.number,
        winner=award.entry.author.display_name, status=award.status, by_rule=award.by_rule,
        brand_accepted_at=award.brand_accepted_at, winner_accepted_at=award.winner_accepted_at,
        paid_at=award.paid_at, agreement_text=award.agreement_text,
        deliverables=[{"name": d.name, "size": d.size, "sha256": d.sha256} for d in award.deliverables.all()],
    )  # fmt: skip


def _contest(request, slug: str) -> Contest:
    contest = selectors.contest_access(actor=request.user, slug=slug)
    selectors.require_brief(actor=request.user, contest=contest)
    return contest


def _managed(request, slug: str) -> Contest:
    contest = selectors.contest_access(actor=request.user, slug=slug)
    if not services.is_manager(request.user, contest):
        raise PermissionDeniedError()
    return contest


def _entry(request, contest: Contest, number: int) -> Entry:
    return selectors.entry_access(actor=request.user, contest=contest, number=number)


def _entry_ids(contest: Contest, numbers: list[int]) -> list[int]:
    ids = dict(contest.entries.filter(number__in=numbers).values_list("number", "pk"))
    missing = sorted(set(numbers) - set(ids))
    if missing:
        raise InvalidInput(fields={"entries": [f"No entry #{n} in this contest." for n in missing]})
    return [ids[n] for n in numbers]


# Briefs ---------------------------------------------------------------------------------


@router.get("", response=list[ContestOut], auth=optional_auth)
def contest_list(request, category: str = "", stage: str = "", q: str = ""):
    """Launched contests, newest first; filter by category, stage or title."""
    contests = selectors.contests_public()
    if category:
        contests = contests.filter(category=category)
    if stage:
        contests = contests.filter(stage=stage)
    if q:
        contests = contests.filter(campaign__title__icontains=q[:100])
    return [_contest_out(c, request.user) for c in contests[:100]]


@router.post("", response={201: ContestOut})
def contest_create(request, payload: ContestIn):
    """A draft brief for one of your brands. Prizes are minor units; launching escrows them."""
    organization = organization_access(actor=request.user, id=payload.organization_id)
    with transaction.atomic():
        contest = services.contest_create(
            actor=request.user, organization=organization,
            **payload.dict(exclude={"organization_id"}),
        )  # fmt: skip
    return Status(201, _contest_out(contest, request.user))


@router.get("/{slug}", response=ContestOut, auth=optional_auth)
def contest_detail(request, slug: str):
    return _contest_out(selectors.contest_access(actor=request.user, slug=slug), request.user)


@router.patch("/{slug}", response=ContestOut)
def contest_update(request, slug: str, payload: BriefPatch):
    contest = _managed(request, slug)
    with transaction.atomic():
        contest = services.contest_update_brief(
            actor=request.user, contest=contest, **payload.dict(exclude_unset=True)
        )
    return _contest_out(contest, request.user)


@router.delete("/{slug}", response=ContestOut)
def contest_cancel(request, slug: str):
    """Drop a draft. A live contest is refunded instead (see /refund)."""
    contest = _managed(request, slug)
    with transaction.atomic():
        contest = services.contest_cancel(actor=request.user, contest=contest)
    return _contest_out(contest, request.user)


@router.post("/{slug}/launch", response=ContestOut)
def contest_launch(request, slug: str):
    contest = _managed(request, slug)
    with transaction.atomic():
        contest = services.contest_launch(actor=request.user, contest=contest)
    return _contest_out(contest, request.user)


@router.post("/{slug}/refund", response=ContestOut)
def contest_refund(request, slug: str):
    contest = _managed(request, slug)
    with transaction.atomic():
        contest = services.contest_refund(actor=request.user, contest=contest)
    return _contest_out(contest, request.user)


@router.post("/{slug}/nda", response=ContestOut)
def nda_accept(request, slug: str):
    contest = selectors.contest_access(actor=request.user, slug=slug)
    with transaction.atomic():
        services.nda_accept(actor=request.user, contest=contest)
    return _contest_out(contest, request.user)


@router.get("/{slug}/updates", response=list[UpdateOut], auth=optional_auth)
def update_list(request, slug: str):
    return list(_contest(request, slug).updates.all())


@router.post("/{slug}/updates", response={201: UpdateOut})
def update_post(request, slug: str, payload: TextIn):
    contest = _managed(request, slug)
    with transaction.atomic():
        update = services.brief_update_post(actor=request.user, contest=contest, body=payload.body)
    return Status(201, update)


# Entries --------------------------------------------------------------------------------


@router.get("/{slug}/entries", response=list[EntryOut], auth=optional_auth)
def entry_list(request, slug: str):
    """Every entry for the brand; only your own in a blind contest."""
    contest = selectors.contest_access(actor=request.user, slug=slug)
    return [
        _entry_out(e, request.user)
        for e in selectors.entries_visible(actor=request.user, contest=contest)
    ]


@router.post("/{slug}/entries", response={201: EntryOut})
def entry_submit(
    request,
    slug: str,
    declared_original: Form[bool],
    title: Form[str] = "",
    text: Form[str] = "",
    file: File[UploadedFile] = None,
    poster: File[UploadedFile] = None,
):
    """Multipart: `file` (image, SVG, PDF or video) or `text` for naming contests, and
    `declared_original=true`."""
    contest = _contest(request, slug)
    with transaction.atomic():
        entry = services.entry_submit(
            actor=request.user, contest=contest, declared_original=declared_original,
            upload=file, text=text, title=title, poster=poster,
        )  # fmt: skip
    return Status(201, _entry_out(entry, request.user))


@router.get("/{slug}/entries/{number}", response=EntryOut, auth=optional_auth)
def entry_detail(request, slug: str, number: int):
    contest = selectors.contest_access(actor=request.user, slug=slug)
    return _entry_out(_entry(request, contest, number), request.user)


@router.post("/{slug}/entries/{number}/versions", response={201: Created})
def entry_revise(
    request,
    slug: str,
    number: int,
    note: Form[str] = "",
    text: Form[str] = "",
    file: File[UploadedFile] = None,
    poster: File[UploadedFile] = None,
):
    contest = selectors.contest_access(actor=request.user, slug=slug)
    entry = _entry(request, contest, number)
    with transaction.atomic():
        version = services.entry_revise(
            actor=request.user, entry=entry, upload=file, text=text, note=note, poster=poster
        )
    return Status(201, Created(number=version.number))


@router.post("/{slug}/entries/{number}/withdraw", response=EntryOut)
def entry_withdraw(request, slug: str, number: int):
    contest = selectors.contest_access(actor=request.user, slug=slug)
    entry = _entry(request, contest, number)
    with transaction.atomic():
        services.entry_withdraw(actor=request.user, entry=entry)
    return _entry_out(_entry(request, contest, number), request.user)


@router.patch("/{slug}/entries/{number}/review", response=EntryOut)
def entry_review(request, slug: str, number: int, payload: ReviewIn):
    """The brand's stars (1–5), private comment and shortlist."""
    contest = _managed(request, slug)
    entry = _entry(request, contest, number)
    with transaction.atomic():
        services.entry_review(actor=request.user, entry=entry, **payload.dict(exclude_unset=True))
    return _entry_out(_entry(request, contest, number), request.user)


@router.post("/{slug}/entries/{number}/decline", response=EntryOut)
def entry_decline(request, slug: str, number: int, payload: DeclineIn):
    contest = _managed(request, slug)
    entry = _entry(request, contest, number)
    with transaction.atomic():
        services.entry_decline(actor=request.user, entry=entry, reason=payload.reason)
    return _entry_out(_entry(request, contest, number), request.user)


@router.post("/{slug}/finalists", response=ContestOut)
def finalists_choose(request, slug: str, payload: EntriesIn):
    contest = _managed(request, slug)
    with transaction.atomic():
        contest = services.finalists_choose(
            actor=request.user, contest=contest, entry_ids=_entry_ids(contest, payload.entries)
        )
    return _contest_out(contest, request.user)


# The public vote ------------------------------------------------------------------------


def _poll(contest: Contest):
    poll = getattr(contest, "poll", None)
    if poll is None:
        raise NotFoundError("This contest has no vote.")
    return poll


def _poll_out(poll, actor) -> PollOut:
    visible = selectors.poll_counts_visible(actor=actor, poll=poll)
    return PollOut(
        opens_at=poll.opens_at, closes_at=poll.closes_at, pairwise=poll.pairwise,
        counts_visible=visible,
        results=[
            {"entry": row.entry.number, "votes": row.votes if visible else None,
             "score": row.score if visible else None, "low": row.low if visible else None,
             "high": row.high if visible else None}
            for row in selectors.poll_results(poll=poll)
        ],
    )  # fmt: skip


@router.post("/{slug}/poll", response={201: PollOut})
def poll_open(request, slug: str, payload: PollIn):
    contest = _managed(request, slug)
    with transaction.atomic():
        poll = votes.poll_open(
            actor=request.user, contest=contest, days=payload.days,
            entry_ids=_entry_ids(contest, payload.entries) if payload.entries else None,
            pairwise=payload.pairwise, hide_counts=payload.hide_counts,
            min_account_age_days=payload.min_account_age_days,
        )  # fmt: skip
    return Status(201, _poll_out(poll, request.user))


@router.get("/{slug}/poll", response=PollOut, auth=optional_auth)
def poll_results(request, slug: str):
    """Entries of the vote; counts only once it closes, if the brand hides them until then."""
    return _poll_out(_poll(_contest(request, slug)), request.user)


@router.post("/{slug}/votes", response={201: VoteIn})
def vote_cast(request, slug: str, payload: VoteIn):
    """One vote per account per poll."""
    poll = selectors.poll_for_voting(actor=request.user, slug=slug)
    (entry_id,) = _entry_ids(poll.contest, [payload.entry])
    votes.vote_cast(actor=request.user, poll=poll, entry_id=entry_id)
    return Status(201, payload)


@router.post("/{slug}/pair-votes", response={201: PairVoteIn})
def pair_vote_cast(request, slug: str, payload: PairVoteIn):
    """In a pairwise vote: which of two entries is better (once per pair)."""
    poll = selectors.poll_for_voting(actor=request.user, slug=slug)
    winner_id, loser_id = _entry_ids(poll.contest, [payload.winner, payload.loser])
    votes.pair_vote_cast(actor=request.user, poll=poll, winner_id=winner_id, loser_id=loser_id)
    return Status(201, payload)


# Winners and handover -------------------------------------------------------------------


@router.post("/{slug}/winners", response={201: list[AwardOut]})
def winners_pick(request, slug: str, payload: WinnersIn):
    contest = _managed(request, slug)
    ids = _entry_ids(contest, list(payload.picks.values()))
    picks = dict(zip(payload.picks, ids, strict=True))
    with transaction.atomic():
        awards = winners.winners_pick(actor=request.user, contest=contest, picks=picks)
    return Status(201, [_award_out(a) for a in Award.objects.filter(pk__in=[a.pk for a in awards])])


@router.get("/{slug}/awards", response=list[AwardOut], auth=optional_auth)
def award_list(request, slug: str):
    contest = _contest(request, slug)
    return [_award_out(a) for a in contest.awards.select_related("entry__author")]


def _award_for_party(request, slug: str, award_id: int) -> Award:
    contest = selectors.contest_access(actor=request.user, slug=slug)
    award = contest.awards.select_related("entry__author").filter(pk=award_id).first()
    if award is None:
        raise NotFoundError()
    if award.entry.author_id != request.user.pk and not services.is_manager(request.user, contest):
        raise PermissionDeniedError()
    return award


@router.post("/{slug}/awards/{award_id}/files", response={201: AwardOut})
def deliverable_add(request, slug: str, award_id: int, file: File[UploadedFile]):
    """The winner's final files; their SHA-256 goes into the IP transfer agreement."""
    award = _award_for_party(request, slug, award_id)
    with transaction.atomic():
        winners.deliverable_add(actor=request.user, award=award, upload=file)
    return Status(201, _award_out(Award.objects.get(pk=award.pk)))


@router.post("/{slug}/awards/{award_id}/accept", response=AwardOut)
def agreement_accept(request, slug: str, award_id: int):
    """Accept the IP transfer agreement; when both sides have, the prize is paid once."""
    award = _award_for_party(request, slug, award_id)
    with transaction.atomic():
        winners.agreement_accept(actor=request.user, award=award)
    return _award_out(Award.objects.get(pk=award.pk))
