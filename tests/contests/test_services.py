from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contests.conftest import (
    PRIZES,
    end_stage,
    escrow_balance,
    org_balance,
    png,
    user_balance,
)
from tolpa.campaigns.models import Status
from tolpa.community import services as community_services
from tolpa.community.models import Comment, Notification, NotificationKind
from tolpa.contests import services, votes, winners
from tolpa.contests.models import (
    Award,
    AwardStatus,
    Contest,
    Entry,
    EntryStatus,
    MediaKind,
    Stage,
)
from tolpa.contests.services import StageError
from tolpa.errors import (
    ConflictError,
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from tolpa.ledger.services import InsufficientFundsError
from tolpa.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db

FEE = 1500  # basis points for contests


def atomic(function, **kwargs):
    with transaction.atomic():
        return function(**kwargs)


# The brief ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"prizes": [5_000]}, "prizes"),  # below the 100 USD logo minimum
        ({"prizes": [10_000, 20_000]}, "prizes"),  # second place above first
        ({"prizes": [20_000, 10_000], "prize_mode": "buy_entries"}, "prizes"),
        ({"prizes": []}, "prizes"),
        ({"prizes": [0]}, "prizes"),
        ({"category": "tattoo"}, "category"),
        ({"currency": "XYZ"}, "currency"),
        ({"entry_days": 61}, "entry_days"),
        ({"private": True, "nda_text": " "}, "nda_text"),
    ],
)
def test_bad_briefs_are_refused_and_nothing_is_created(make_contest, fields, field):
    with pytest.raises(InvalidInput) as error:
        make_contest(launch=False, **fields)
    assert field in error.value.fields
    assert not Contest.objects.exists()


def test_only_brand_members_create(make_user, funded_organization):
    with pytest.raises(PermissionDeniedError):
        services.contest_create(actor=make_user(), organization=funded_organization, title="X",
                                category="logo", currency="USD", prizes=PRIZES)  # fmt: skip


def test_launch_escrows_every_prize(contest, funded_organization):
    assert contest.stage == Stage.ENTRY
    assert contest.campaign.status == Status.LIVE
    assert escrow_balance(contest) == sum(PRIZES)
    assert org_balance(funded_organization) == 100_000 - sum(PRIZES)
    assert contest.stage_ends_at == contest.campaign.ends_at


def test_an_unfunded_wallet_cannot_launch(make_contest, owner):
    contest = make_contest(launch=False, prizes=[200_000])
    with pytest.raises(InsufficientFundsError):
        atomic(services.contest_launch, actor=owner, contest=contest)
    contest.refresh_from_db()
    assert contest.stage == Stage.DRAFT
    assert contest.campaign.status == Status.DRAFT
    assert escrow_balance(contest) == 0


def test_launch_twice_is_refused_and_escrows_once(contest, owner, funded_organization):
    with pytest.raises(StageError):
        atomic(services.contest_launch, actor=owner, contest=contest)
    assert escrow_balance(contest) == sum(PRIZES)


def test_draft_brief_edits_then_live_brief_takes_updates(make_contest, owner):
    contest = make_contest(launch=False)
    atomic(services.contest_update_brief, actor=owner, contest=contest, title="New logo",
           avoid="Clip art")  # fmt: skip
    contest.refresh_from_db()
    assert (contest.campaign.title, contest.avoid) == ("New logo", "Clip art")
    atomic(services.contest_launch, actor=owner, contest=contest)
    with pytest.raises(StageError):
        atomic(services.contest_update_brief, actor=owner, contest=contest, avoid="x")
    update = atomic(services.brief_update_post, actor=owner, contest=contest, body="Use teal")
    assert contest.updates.get() == update


# Entries --------------------------------------------------------------------------------


def test_an_entry_gets_a_number_a_thumbnail_and_a_hash(contest, designer, enter):
    entry = enter(contest, designer())
    version = entry.versions.get()
    assert entry.number == 1
    assert version.media_kind == MediaKind.IMAGE
    assert version.thumbnail.name.endswith(".jpg")
    assert len(version.sha256) == 64
    contest.refresh_from_db()
    assert contest.entries_count == 1
    assert contest.campaign.participants_count == 1


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'


@pytest.mark.parametrize(
    "upload",
    [
        _file("logo.png", b"this is not an image at all"),
        _file(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
        _file("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        _file(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x()"/></svg>'
        ),
        _file("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'),
        _file("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100),  # video in a logo contest
    ],
)
def test_lying_or_dangerous_files_are_refused(contest, designer, enter, upload):
    with pytest.raises(InvalidInput) as error:
        enter(contest, designer(), upload=upload)
    assert "file" in error.value.fields
    assert not Entry.objects.exists()


def test_images_over_the_pixel_limit_are_refused(contest, designer, enter, settings):
    settings.TOLPA_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(InvalidInput):
        enter(contest, designer(), upload=png(size=(100, 100)))
    assert not Entry.objects.exists()


def test_safe_svg_and_pdf_are_accepted(contest, designer, enter):
    svg = enter(contest, designer(), upload=_file("a.svg", SAFE_SVG))
    pdf = enter(contest, designer(), upload=_file("a.pdf", b"%PDF-1.7\n%%EOF"))
    assert svg.versions.get().media_kind == MediaKind.SVG
    assert pdf.versions.get().media_kind == MediaKind.PDF


def test_video_contest_takes_videos_up_to_the_cap(make_contest, designer, enter, settings):
    contest = make_contest(category="video", prizes=[50_000])
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    entry = enter(contest, designer(), upload=_file("clip.mp4", mp4), poster=png())
    version = entry.versions.get()
    assert version.media_kind == MediaKind.VIDEO
    assert version.thumbnail
    settings.TOLPA_MAX_VIDEO_BYTES = 50
    with pytest.raises(InvalidInput):
        enter(contest, designer(), upload=_file("big.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 100))


def test_naming_contest_takes_text_only(make_contest, designer, enter):
    contest = make_contest(category="naming", prizes=[5_000])
    with pytest.raises(InvalidInput):
        enter(contest, designer())
    entry = atomic(services.entry_submit, actor=designer(), contest=contest,
                   declared_original=True, text="Foxly")  # fmt: skip
    assert entry.versions.get().text == "Foxly"


def test_entry_rules(contest, owner, designer, make_user, enter):
    with pytest.raises(PermissionDeniedError):
        enter(contest, owner)
    with pytest.raises(InvalidInput), transaction.atomic():
        services.entry_submit(actor=designer(), contest=contest, declared_original=False,
                              upload=png())  # fmt: skip
    end_stage(contest)
    with pytest.raises(StageError):
        enter(contest, designer())
    assert not Entry.objects.exists()


def test_guaranteed_contests_take_only_accounts_older_than_the_launch(make_contest, designer,
                                                                      make_user, enter):  # fmt: skip
    contest = make_contest(guaranteed=True)
    enter(contest, designer())
    with pytest.raises(PermissionDeniedError):
        enter(contest, make_user())


def test_private_contest_needs_the_nda(make_contest, designer, enter):
    contest = make_contest(private=True, nda_text="Keep it secret.")
    person = designer()
    with pytest.raises(PermissionDeniedError):
        enter(contest, person)
    services.nda_accept(actor=person, contest=contest)
    assert enter(contest, person).number == 1


def test_revisions_are_versions_and_close_with_the_entry_period(contest, designer, enter):
    person = designer()
    entry = enter(contest, person)
    version = atomic(services.entry_revise, actor=person, entry=entry, upload=png(color=(1, 2, 3)),
                     note="Bolder")  # fmt: skip
    assert version.number == 2
    assert entry.current.number == 2
    with pytest.raises(PermissionDeniedError):
        atomic(services.entry_revise, actor=designer(), entry=entry, upload=png())
    end_stage(contest)
    with pytest.raises(StageError):
        atomic(services.entry_revise, actor=person, entry=entry, upload=png())
    assert entry.versions.count() == 2


def test_withdraw(contest, designer, enter):
    person = designer()
    entry = enter(contest, person)
    with pytest.raises(PermissionDeniedError):
        atomic(services.entry_withdraw, actor=designer(), entry=entry)
    atomic(services.entry_withdraw, actor=person, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    with pytest.raises(StageError):
        atomic(services.entry_withdraw, actor=person, entry=entry)


# Review ---------------------------------------------------------------------------------


def test_brand_reviews_and_declines(contest, owner, designer, enter):
    person = designer()
    entry = enter(contest, person)
    atomic(
        services.entry_review, actor=owner, entry=entry, rating=4, comment="Nice", shortlisted=True
    )
    entry.refresh_from_db()
    assert (entry.rating, entry.brand_comment, entry.shortlisted) == (4, "Nice", True)
    for rating in (0, 6, True):
        with pytest.raises(InvalidInput):
            atomic(services.entry_review, actor=owner, entry=entry, rating=rating)
    with pytest.raises(PermissionDeniedError):
        atomic(services.entry_review, actor=person, entry=entry, rating=5)
    with pytest.raises(InvalidInput):
        atomic(services.entry_decline, actor=owner, entry=entry, reason="  ")
    atomic(services.entry_decline, actor=owner, entry=entry, reason="Off brief")
    entry.refresh_from_db()
    assert (entry.status, entry.shortlisted, entry.rating) == (EntryStatus.DECLINED, False, 4)


def test_comments_are_between_author_and_brand(contest, owner, designer, enter):
    person = designer()
    entry = enter(contest, person)
    on_entry = {"campaign": contest.campaign, "item_number": entry.number}
    first = atomic(community_services.comment_post, actor=owner, body="Try teal?", **on_entry)
    reply = atomic(
        community_services.comment_post, actor=person, body="Sure", parent_id=first.pk,
        campaign=contest.campaign,
    )  # fmt: skip
    assert (first.is_brand, reply.is_brand, reply.item_number) == (True, False, entry.number)
    with pytest.raises(NotFoundError):
        atomic(community_services.comment_post, actor=designer(), body="Me too", **on_entry)
    with pytest.raises(NotFoundError):
        atomic(
            community_services.comment_post, actor=owner, body="?",
            campaign=contest.campaign, item_number=99,
        )  # fmt: skip
    assert Comment.objects.filter(item_number=entry.number).count() == 2
    talk = (NotificationKind.ITEM_COMMENT, NotificationKind.REPLY)
    told = Notification.objects.filter(kind__in=talk).values_list("recipient", "kind")
    assert sorted(told) == sorted(
        [(person.pk, NotificationKind.ITEM_COMMENT), (owner.pk, NotificationKind.REPLY)]
    )
    assert first.get_absolute_url().endswith(f"/entries/{entry.number}/#comment-{first.pk}")


# Finalists ------------------------------------------------------------------------------


def test_finalist_round(make_contest, owner, designer, enter):
    contest = make_contest(finalists_max=2, finalist_days=2)
    people = [designer() for _ in range(3)]
    entries = [enter(contest, p) for p in people]
    with pytest.raises(StageError):  # still open for entries
        atomic(services.finalists_choose, actor=owner, contest=contest, entry_ids=[entries[0].pk])
    end_stage(contest)
    with pytest.raises(InvalidInput):
        atomic(services.finalists_choose, actor=owner, contest=contest,
               entry_ids=[e.pk for e in entries])  # fmt: skip
    contest = atomic(services.finalists_choose, actor=owner, contest=contest,
                     entry_ids=[entries[0].pk, entries[1].pk])  # fmt: skip
    assert contest.stage == Stage.FINALISTS
    atomic(services.entry_revise, actor=people[0], entry=entries[0], upload=png(color=(9, 9, 9)))
    with pytest.raises(StageError):
        atomic(services.entry_revise, actor=people[2], entry=entries[2], upload=png())
    with pytest.raises(StageError):  # refundable, but finalists are chosen
        atomic(services.contest_refund, actor=owner, contest=contest)
    contest = end_stage(contest)
    contest = atomic(services.contest_advance, contest_id=contest.pk)
    assert contest.stage == Stage.SELECTION
    with pytest.raises(InvalidInput):  # winners come from the finalists
        atomic(winners.winners_pick, actor=owner, contest=contest,
               picks={1: entries[2].pk, 2: entries[0].pk})  # fmt: skip


# The public vote ------------------------------------------------------------------------


@pytest.fixture
def poll_setup(contest, owner, designer, enter):
    people = [designer(), designer()]
    entries = [enter(contest, p) for p in people]
    for entry in entries:
        atomic(services.entry_review, actor=owner, entry=entry, shortlisted=True)
    poll = atomic(votes.poll_open, actor=owner, contest=contest, days=3,
                  entry_ids=[e.pk for e in entries])  # fmt: skip
    return poll, people, entries


def test_one_vote_per_account(poll_setup, designer):
    poll, _people, entries = poll_setup
    voter = designer()
    votes.vote_cast(actor=voter, poll=poll, entry_id=entries[0].pk)
    with pytest.raises(ConflictError):
        votes.vote_cast(actor=voter, poll=poll, entry_id=entries[1].pk)
    assert poll.votes.count() == 1


def test_vote_rules(poll_setup, owner, make_user, designer):
    poll, people, entries = poll_setup
    with pytest.raises(PermissionDeniedError):  # one's own entry
        votes.vote_cast(actor=people[0], poll=poll, entry_id=entries[0].pk)
    with pytest.raises(PermissionDeniedError):  # the brand
        votes.vote_cast(actor=owner, poll=poll, entry_id=entries[0].pk)
    poll.min_account_age_days = 7
    poll.save()
    with pytest.raises(PermissionDeniedError):  # a fresh account
        votes.vote_cast(actor=make_user(), poll=poll, entry_id=entries[0].pk)
    poll.closes_at = timezone.now() - timedelta(seconds=1)
    poll.save()
    with pytest.raises(StageError):
        votes.vote_cast(actor=designer(), poll=poll, entry_id=entries[0].pk)
    assert not poll.votes.exists()


def test_votes_are_rate_limited(poll_setup, designer, monkeypatch):
    poll, _people, entries = poll_setup
    monkeypatch.setattr(votes, "VOTE_RATE_LIMIT", (1, 60))
    voter = designer()
    votes.vote_cast(actor=voter, poll=poll, entry_id=entries[0].pk)
    with pytest.raises(RateLimitedError):
        votes.vote_cast(actor=voter, poll=poll, entry_id=entries[1].pk)


def test_poll_bad_input(contest, owner, designer, enter):
    entry = enter(contest, designer())
    with pytest.raises(InvalidInput):  # one entry is not a vote
        atomic(votes.poll_open, actor=owner, contest=contest, days=3)
    enter(contest, designer())
    with pytest.raises(InvalidInput):
        atomic(votes.poll_open, actor=owner, contest=contest, days=30)
    with pytest.raises(InvalidInput):
        atomic(votes.poll_open, actor=owner, contest=contest, days=3, entry_ids=[entry.pk, 999])
    poll = atomic(votes.poll_open, actor=owner, contest=contest, days=3)
    assert poll.entries.count() == 2
    with pytest.raises(ConflictError):
        atomic(votes.poll_open, actor=owner, contest=contest, days=3)


def test_pair_votes_once_per_pair(contest, owner, designer, enter):
    entries = [enter(contest, designer()) for _ in range(3)]
    poll = atomic(votes.poll_open, actor=owner, contest=contest, days=3, pairwise=True)
    voter = designer()
    votes.pair_vote_cast(actor=voter, poll=poll, winner_id=entries[0].pk, loser_id=entries[1].pk)
    with pytest.raises(ConflictError):
        votes.pair_vote_cast(actor=voter, poll=poll, winner_id=entries[1].pk,
                                loser_id=entries[0].pk)  # fmt: skip
    with pytest.raises(InvalidInput):
        votes.pair_vote_cast(actor=voter, poll=poll, winner_id=entries[2].pk,
                                loser_id=entries[2].pk)  # fmt: skip
    votes.pair_vote_cast(actor=voter, poll=poll, winner_id=entries[2].pk, loser_id=entries[1].pk)
    assert poll.pair_votes.count() == 2


def test_polls_close_by_job(poll_setup):
    poll, _people, _entries = poll_setup
    assert votes.polls_close_due() == 0
    poll.closes_at = timezone.now() - timedelta(seconds=1)
    poll.save()
    assert votes.polls_close_due() == 1
    assert votes.polls_close_due() == 0


# Winners and handover -------------------------------------------------------------------


def _handover(contest, owner, designer, enter):
    people = [designer(), designer()]
    entries = [enter(contest, p) for p in people]
    end_stage(contest)
    awards = atomic(winners.winners_pick, actor=owner, contest=contest,
                    picks={1: entries[1].pk, 2: entries[0].pk})  # fmt: skip
    return people, entries, awards


def test_winner_paid_once_after_both_accept(contest, owner, designer, enter):
    people, _entries, _awards = _handover(contest, owner, designer, enter)
    first = Award.objects.get(place=1)
    winner = people[1]
    with pytest.raises(StageError):  # files first
        atomic(winners.agreement_accept, actor=winner, award=first)
    with pytest.raises(PermissionDeniedError):
        atomic(winners.deliverable_add, actor=people[0], award=first, upload=png("final.png"))
    atomic(winners.deliverable_add, actor=winner, award=first, upload=png("final.png"))
    atomic(winners.agreement_accept, actor=winner, award=first)
    first.refresh_from_db()
    assert first.status == AwardStatus.AWAITING_AGREEMENT
    assert first.deliverables.get().sha256 in first.agreement_text
    assert winner.email in first.agreement_text
    with pytest.raises(StageError):  # the files are final once a side accepted
        atomic(winners.deliverable_add, actor=winner, award=first, upload=png("late.png"))
    for _retry in range(3):
        atomic(winners.agreement_accept, actor=owner, award=first)
    first.refresh_from_db()
    assert first.status == AwardStatus.PAID
    assert user_balance(winner) == 30_000 - 30_000 * FEE // 10_000
    assert escrow_balance(contest) == 10_000
    contest.refresh_from_db()
    assert contest.stage == Stage.HANDOVER
    second = Award.objects.get(place=2)
    atomic(winners.deliverable_add, actor=people[0], award=second, upload=png("b.png"))
    atomic(winners.agreement_accept, actor=owner, award=second)
    atomic(winners.agreement_accept, actor=people[0], award=second)
    contest.refresh_from_db()
    assert contest.stage == Stage.COMPLETED
    assert contest.campaign.status == Status.SETTLED
    assert escrow_balance(contest) == 0
    assert ledger_verify().ok


def test_winner_rules(contest, owner, designer, enter):
    entries = [enter(contest, designer()) for _ in range(2)]
    with pytest.raises(StageError):  # entry period still open
        atomic(winners.winners_pick, actor=owner, contest=contest,
               picks={1: entries[0].pk, 2: entries[1].pk})  # fmt: skip
    end_stage(contest)
    for picks in (
        {1: entries[0].pk},
        {1: entries[0].pk, 2: entries[0].pk},
        {1: entries[0].pk, 3: entries[1].pk},
    ):
        with pytest.raises(InvalidInput):
            atomic(winners.winners_pick, actor=owner, contest=contest, picks=picks)
    assert not Award.objects.exists()


def test_guaranteed_prize_is_split_by_rule_when_nobody_is_picked(
    make_contest, owner, designer, enter
):
    contest = make_contest(guaranteed=True, prizes=[20_001])
    people = [designer() for _ in range(3)]
    entries = [enter(contest, p) for p in people]
    atomic(services.entry_review, actor=owner, entry=entries[2], rating=5)
    end_stage(contest)
    atomic(services.contest_advance, contest_id=contest.pk)
    end_stage(contest)  # the selection period passed too
    from tolpa.contests.tasks import advance_due_contests

    assert advance_due_contests() == 1
    assert advance_due_contests() == 0
    contest.refresh_from_db()
    assert contest.stage == Stage.HANDOVER
    (award,) = contest.awards.all()  # one prize place: the top-rated entry takes it
    assert (award.entry, award.amount, award.by_rule) == (entries[2], 20_001, True)
    atomic(winners.deliverable_add, actor=people[2], award=award, upload=png())
    atomic(winners.agreement_accept, actor=people[2], award=award)
    assert user_balance(people[2]) == 20_001 - 20_001 * FEE // 10_000
    assert ledger_verify().ok


def test_refundable_contest_refunds_the_brand(contest, owner, funded_organization, designer, enter):
    enter(contest, designer())
    contest = atomic(services.contest_refund, actor=owner, contest=contest)
    assert contest.stage == Stage.REFUNDED
    assert org_balance(funded_organization) == 100_000
    assert escrow_balance(contest) == 0
    with pytest.raises(StageError):
        atomic(services.contest_refund, actor=owner, contest=contest)
    assert org_balance(funded_organization) == 100_000


def test_guaranteed_contest_cannot_be_refunded(make_contest, owner):
    contest = make_contest(guaranteed=True)
    with pytest.raises(StageError):
        atomic(services.contest_refund, actor=owner, contest=contest)
    assert escrow_balance(contest) == sum(PRIZES)


def test_refundable_contest_without_a_pick_refunds_itself(
    contest, funded_organization, designer, enter
):
    enter(contest, designer())
    end_stage(contest)
    atomic(services.contest_advance, contest_id=contest.pk)
    end_stage(contest)
    atomic(services.contest_advance, contest_id=contest.pk)
    contest.refresh_from_db()
    assert contest.stage == Stage.REFUNDED
    assert org_balance(funded_organization) == 100_000


@settings(max_examples=40, deadline=None)
@given(total=st.integers(1, 10**9), count=st.integers(1, 12))
def test_split_by_rule_pays_out_exactly_the_prize_total(total, count):
    amounts = services.prize_shares(total, count)
    assert len(amounts) == count
    assert sum(amounts) == total
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True)


def test_private_contest_votes_need_the_nda(make_contest, owner, designer, enter):
    contest = make_contest(private=True, nda_text="Hush")
    entries = []
    for _ in range(2):
        person = designer()
        services.nda_accept(actor=person, contest=contest)
        entries.append(enter(contest, person))
    poll = atomic(votes.poll_open, actor=owner, contest=contest, days=2)
    voter = designer()
    with pytest.raises(PermissionDeniedError):
        votes.vote_cast(actor=voter, poll=poll, entry_id=entries[0].pk)
    services.nda_accept(actor=voter, contest=contest)
    votes.vote_cast(actor=voter, poll=poll, entry_id=entries[0].pk)
    assert poll.votes.count() == 1


def test_portfolio_never_shows_private_work(make_contest, owner, designer, enter):
    from tolpa.contests.selectors import portfolio_of

    person = designer()
    open_entry = enter(make_contest(), person)
    blind_entry = enter(make_contest(title="Blind", blind=True, prizes=[20_000]), person)
    private = make_contest(title="Secret", private=True, nda_text="Hush", prizes=[20_000])
    services.nda_accept(actor=person, contest=private)
    private_entry = enter(private, person)
    for entry in (blind_entry, private_entry):
        end_stage(entry.contest)
        atomic(winners.winners_pick, actor=owner, contest=entry.contest, picks={1: entry.pk})
    assert set(portfolio_of(user=person)) == {open_entry, blind_entry}
