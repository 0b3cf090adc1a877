"""Winners and the handover: the brand picks winners, the winner uploads final files, both
sides accept the IP transfer agreement, and that pays the prize less the fee exactly once.
Callers own the transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.campaigns import services as campaign_services
from tolpa.contests import files
from tolpa.contests.agreements import agreement_text
from tolpa.contests.models import (
    Award,
    AwardStatus,
    Category,
    Contest,
    Deliverable,
    EntryStatus,
    Stage,
)
from tolpa.contests.services import (
    StageError,
    _escrow,
    _lock,
    _manage,
    _own_entry,
    contest_advance,
)
from tolpa.errors import InvalidInput
from tolpa.ledger import services as ledger


def winners_pick(*, actor: User, contest: Contest, picks: dict[int, int]) -> list[Award]:
    """Award every prize place (place → entry) at once, during the selection period. When
    finalists were chosen, winners come from them."""
    _manage(actor, contest)
    contest = contest_advance(contest_id=contest.pk)
    if contest.stage != Stage.SELECTION:
        raise StageError(_("Winners are picked during the selection period."))
    prizes = {p.place: p.amount for p in contest.prizes.all()}
    if set(picks) != set(prizes):
        raise InvalidInput(fields={"picks": [_("Pick an entry for every prize.")]})
    if len(set(picks.values())) != len(picks):
        raise InvalidInput(fields={"picks": [_("An entry wins one prize.")]})
    entries = contest.entries.filter(pk__in=picks.values(), status=EntryStatus.ACTIVE)
    if contest.finalists_chosen_at:
        entries = entries.filter(finalist=True)
    if entries.count() != len(picks):
        raise InvalidInput(
            fields={"picks": [_("Winners are active entries (finalists, after a finalist round).")]}
        )
    awards = Award.objects.bulk_create(
        Award(contest=contest, entry_id=entry_id, place=place, amount=prizes[place])
        for place, entry_id in sorted(picks.items())
    )
    contest.stage, contest.stage_ends_at = Stage.HANDOVER, None
    contest.save(update_fields=["stage", "stage_ends_at"])
    return awards


def _lock_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update()
        .select_related("contest__campaign", "entry__author")
        .get(pk=award.pk)
    )


def deliverable_add(*, actor: User, award: Award, upload) -> Deliverable:
    """The winner's final files; their SHA-256 goes into the agreement."""
    award = _lock_award(award)
    _own_entry(actor, award.entry)
    if award.agreement_text:
        raise StageError(_("The agreement is accepted; the files are final."))
    cap = (
        settings.TOLPA_MAX_VIDEO_BYTES
        if award.contest.category == Category.VIDEO
        else settings.TOLPA_MAX_FILE_BYTES
    )
    if not upload or upload.size > cap:
        raise InvalidInput(
            fields={"file": [_("Attach a file of at most %(mb)s MB.") % {"mb": cap // 1048576}]}
        )
    if upload.name.lower().endswith(".svg") or b"<svg" in files.head_bytes(upload, 2048).lower():
        try:
            files.check_svg(upload)
        except ValidationError as exc:
            raise InvalidInput(fields={"file": exc.messages}) from exc
    deliverable = Deliverable.objects.create(
        award=award,
        file=upload,
        name=upload.name[:200],
        sha256=files.sha256_of(upload),
        size=upload.size,
    )
    award.status = AwardStatus.AWAITING_AGREEMENT
    award.save(update_fields=["status"])
    return deliverable


def agreement_accept(*, actor: User, award: Award) -> Award:
    """Each side accepts the IP transfer once; when both have, the prize is paid exactly once."""
    award = _lock_award(award)
    if not award.deliverables.exists():
        raise StageError(_("The winner uploads the final files first."))
    now = timezone.now()
    if actor.is_authenticated and award.entry.author_id == actor.pk:
        award.winner_accepted_at = award.winner_accepted_at or now
    else:
        _manage(actor, award.contest)
        if award.brand_accepted_at is None:
            award.brand_accepted_at, award.brand_accepted_by = now, actor
    if not award.agreement_text:
        award.agreement_text = agreement_text(award)
    award.save(
        update_fields=[
            "winner_accepted_at",
            "brand_accepted_at",
            "brand_accepted_by",
            "agreement_text",
        ]
    )
    if award.winner_accepted_at and award.brand_accepted_at:
        _award_pay(award)
    return award


def _award_pay(award: Award) -> None:
    if award.status == AwardStatus.PAID:
        return
    contest = award.contest
    ledger.release(
        escrow=_escrow(contest),
        payee=ledger.account_for_user(user=award.entry.author, currency=contest.currency),
        amount=award.amount,
        key=f"contest:{contest.pk}:award:{award.pk}",
        campaign_kind="contest",
        memo=_("Prize #%(place)s of %(title)s")
        % {"place": award.place, "title": contest.campaign.title},
    )
    award.status, award.paid_at = AwardStatus.PAID, timezone.now()
    award.save(update_fields=["status", "paid_at"])
    contest = _lock(contest.pk)
    if not contest.awards.exclude(status=AwardStatus.PAID).exists():
        contest.stage = Stage.COMPLETED
        contest.save(update_fields=["stage"])
        campaign_services.campaign_close(campaign_id=contest.campaign_id)
        campaign_services.campaign_settle(campaign_id=contest.campaign_id)
