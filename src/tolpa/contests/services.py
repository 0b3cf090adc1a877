"""Contest writes: the brief and its escrowed prizes, stages, entries and their versions,
brand review and finalists (the public vote is in `votes`, winners and the handover in
`winners`). Every action first brings the contest's stage up to date, so a deadline holds at
the action even if the periodic job has not run yet. Callers own the transaction."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.campaigns import services as campaign_services
from tolpa.community.models import NotificationKind
from tolpa.community.notify import notify_brand
from tolpa.contests import files
from tolpa.contests.models import (
    Award,
    BriefFile,
    BriefUpdate,
    Category,
    Contest,
    Entry,
    EntryStatus,
    EntryVersion,
    MediaKind,
    NdaAcceptance,
    Prize,
    PrizeMode,
    Stage,
)
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.errors import fields_from_validation_error as _fields
from tolpa.ledger import services as ledger
from tolpa.ledger.money import CURRENCIES, validate_amount, validate_currency

MAX_PRIZES = 10


class StageError(ConflictError):
    code = "wrong_stage"


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc


def _manage(actor: User, contest: Contest) -> None:
    membership_require(user=actor, organization=contest.campaign.organization)


def is_manager(actor: User, contest: Contest) -> bool:
    return (
        actor.is_authenticated
        and contest.campaign.organization.memberships.filter(user=actor).exists()
    )


def _escrow(contest: Contest):
    return ledger.account_escrow(reference=contest.escrow_reference, currency=contest.currency)


def _lock(contest_id: int) -> Contest:
    return Contest.objects.select_for_update().select_related("campaign").get(pk=contest_id)


def _minimum_prize(category: str, currency: str) -> int:
    return settings.TOLPA_CONTEST_MIN_PRIZE.get(category, 0) * 10 ** CURRENCIES[currency]


def _validate_prizes(prizes: list[int], *, mode: str, category: str, currency: str) -> None:
    if not prizes or len(prizes) > MAX_PRIZES:
        raise InvalidInput(fields={"prizes": [_("Give 1 to 10 prizes.")]})
    for amount in prizes:
        validate_amount(amount, field="prizes")
    if mode == PrizeMode.PLACES and prizes != sorted(prizes, reverse=True):
        raise InvalidInput(
            fields={"prizes": [_("A lower place cannot win more than a higher one.")]}
        )
    if mode == PrizeMode.BUY_ENTRIES and len(set(prizes)) != 1:
        raise InvalidInput(fields={"prizes": [_("Every bought entry has the same price.")]})
    minimum = _minimum_prize(category, currency)
    if sum(prizes) < minimum:
        raise InvalidInput(
            fields={
                "prizes": [
                    _("Prizes in this category total at least %(amount)s %(currency)s.")
                    % {"amount": minimum // 10 ** CURRENCIES[currency], "currency": currency}
                ]
            }
        )


# The brief ------------------------------------------------------------------------------


def contest_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    category: str,
    currency: str,
    prizes: list[int],
    prize_mode: str = PrizeMode.PLACES,
    entry_days: int = 7,
    selection_days: int = 7,
    finalists_max: int = 0,
    finalist_days: int = 3,
    guaranteed: bool = False,
    blind: bool = False,
    private: bool = False,
    nda_text: str = "",
    requirements: str = "",
    summary: str = "",
    must_have: str = "",
    avoid: str = "",
    deliverables: str = "",
    language: str = "en",
    tags: list[str] | None = None,
    cover=None,
) -> Contest:
    """A draft brief; the entry period counts from launch."""
    membership_require(user=actor, organization=organization)
    currency = validate_currency(currency)
    if category not in Category.values:
        raise InvalidInput(fields={"category": [_("Unknown category.")]})
    if prize_mode not in PrizeMode.values:
        raise InvalidInput(fields={"prize_mode": [_("Unknown prize mode.")]})
    _validate_prizes(prizes, mode=prize_mode, category=category, currency=currency)
    if not isinstance(entry_days, int) or not 1 <= entry_days <= 60:
        raise InvalidInput(fields={"entry_days": [_("The entry period is 1 to 60 days.")]})
    if private and not nda_text.strip():
        raise InvalidInput(fields={"nda_text": [_("A private contest needs the NDA text.")]})
    campaign = campaign_services.campaign_create(
        actor=actor, organization=organization, kind="contest", title=title, summary=summary,
        description=requirements, language=language, tags=tags, cover=cover,
        ends_at=timezone.now() + timedelta(days=entry_days),
    )  # fmt: skip
    contest = Contest(
        campaign=campaign, category=category, currency=currency, prize_mode=prize_mode,
        entry_days=entry_days, selection_days=selection_days, finalists_max=finalists_max,
        finalist_days=finalist_days, guaranteed=guaranteed, blind=blind, private=private,
        nda_text=nda_text, must_have=must_have, avoid=avoid, deliverables=deliverables,
    )  # fmt: skip
    _clean(contest)
    contest.save()
    Prize.objects.bulk_create(
        Prize(contest=contest, place=place, amount=amount)
        for place, amount in enumerate(prizes, start=1)
    )
    return contest


BRIEF_TEXT_FIELDS = ("summary", "requirements", "must_have", "avoid", "deliverables")


def contest_update_brief(
    *, actor: User, contest: Contest, title: str | None = None, **texts
) -> Contest:
    """Edit the brief while it is a draft; once entrants are working, changes go out as
    brief updates so nobody's work is judged against a text they never saw."""
    _manage(actor, contest)
    contest = _lock(contest.pk)
    if contest.stage != Stage.DRAFT:
        raise StageError(_("A live brief is not edited; post a brief update instead."))
    unknown = set(texts) - set(BRIEF_TEXT_FIELDS)
    if unknown:
        raise InvalidInput(fields={name: [_("Not an editable field.")] for name in unknown})
    campaign = contest.campaign
    if title is not None:
        campaign.title = title.strip()
    for name, value in texts.items():
        if value is None:
            continue
        if name == "requirements":
            campaign.description = value
        elif name == "summary":
            campaign.summary = value.strip()
        else:
            setattr(contest, name, value)
    _clean(campaign)
    _clean(contest)
    campaign.save()
    contest.save()
    return contest


def brief_file_add(*, actor: User, contest: Contest, upload) -> BriefFile:
    """Examples and references: images or PDF, checked by content."""
    _manage(actor, contest)
    try:
        files.check_entry_file(upload, allow_video=False)
    except ValidationError as exc:
        raise InvalidInput(fields={"file": exc.messages}) from exc
    return BriefFile.objects.create(contest=contest, file=upload, name=upload.name[:200])


def contest_launch(*, actor: User, contest: Contest) -> Contest:
    """Escrow every prize from the brand's wallet, then open the entry period."""
    _manage(actor, contest)
    contest = _lock(contest.pk)
    if contest.stage != Stage.DRAFT:
        raise StageError(_("Only a draft can be launched."))
    total = sum(contest.prizes.values_list("amount", flat=True))
    ledger.hold(
        source=ledger.account_for_organization(
            organization=contest.campaign.organization, currency=contest.currency
        ),
        escrow=_escrow(contest),
        amount=total,
        key=f"contest:{contest.pk}:prizes",
        memo=_("Prizes of %(title)s") % {"title": contest.campaign.title},
    )
    campaign = campaign_services.campaign_launch(
        actor=actor,
        campaign=contest.campaign,
        ends_at=timezone.now() + timedelta(days=contest.entry_days),
    )
    contest.stage, contest.stage_ends_at = Stage.ENTRY, campaign.ends_at
    contest.save(update_fields=["stage", "stage_ends_at"])
    contest.campaign = campaign
    return contest


def contest_cancel(*, actor: User, contest: Contest) -> Contest:
    """Drop a draft; nothing was escrowed yet."""
    _manage(actor, contest)
    contest = _lock(contest.pk)
    if contest.stage != Stage.DRAFT:
        raise StageError(_("Only a draft can be cancelled; a live contest can be refunded."))
    campaign_services.campaign_cancel(actor=actor, campaign=contest.campaign)
    contest.stage = Stage.CANCELLED
    contest.save(update_fields=["stage"])
    return contest


def nda_accept(*, actor: User, contest: Contest) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    NdaAcceptance.objects.get_or_create(contest=contest, user=actor)


def brief_update_post(*, actor: User, contest: Contest, body: str) -> BriefUpdate:
    """A note every entrant sees on the brief (clarifications, direction after review)."""
    _manage(actor, contest)
    if not body.strip():
        raise InvalidInput(fields={"body": [_("Write the update.")]})
    contest = contest_advance(contest_id=contest.pk)
    if contest.stage in (Stage.DRAFT, Stage.COMPLETED, Stage.REFUNDED, Stage.CANCELLED):
        raise StageError(_("Updates are posted while the contest runs."))
    update = BriefUpdate(contest=contest, body=body.strip())
    _clean(update)
    update.save()
    return update


# Stages ---------------------------------------------------------------------------------


def contest_advance(*, contest_id: int, now: datetime | None = None) -> Contest:
    """Move a contest through every stage whose deadline has passed. Idempotent."""
    now = now or timezone.now()
    contest = _lock(contest_id)
    changed = True
    while changed:
        changed = _advance_once(contest, now)
    return contest


def _advance_once(contest: Contest, now: datetime) -> bool:
    if contest.stage_ends_at is None or now < contest.stage_ends_at:
        return False
    if contest.stage in (Stage.ENTRY, Stage.FINALISTS):
        if contest.stage == Stage.ENTRY:
            campaign_services.campaign_close(campaign_id=contest.campaign_id, now=now)
        contest.stage = Stage.SELECTION
        contest.stage_ends_at = contest.stage_ends_at + timedelta(days=contest.selection_days)
        contest.save(update_fields=["stage", "stage_ends_at"])
        return True
    if contest.stage == Stage.SELECTION:
        _selection_expired(contest)
        return True
    return False


def _selection_expired(contest: Contest) -> None:
    """The brand picked no winner in time. A guaranteed prize, or one whose finalists were
    chosen, is split among the finalists or else the top-rated entries; otherwise the
    brand gets its money back."""
    if contest.guaranteed or contest.finalists_chosen_at:
        entries = list(_split_candidates(contest))
        if entries:
            _awards_by_rule(contest, entries)
            return
    _refund_all(contest, reason=_("no winner was picked"))


def _split_candidates(contest: Contest):
    active = contest.entries.filter(status=EntryStatus.ACTIVE)
    if contest.finalists_chosen_at:
        return active.filter(finalist=True).order_by("number")
    count = contest.prizes.count()
    return active.order_by(F("rating").desc(nulls_last=True), "number")[:count]


def prize_shares(total: int, count: int) -> list[int]:
    """Split a prize into `count` shares that differ by at most one minor unit, the odd
    units going to the higher places, so the shares always add up to the total."""
    share, remainder = divmod(total, count)
    return [share + (1 if place < remainder else 0) for place in range(count)]


def _awards_by_rule(contest: Contest, entries: list[Entry]) -> None:
    total = sum(contest.prizes.values_list("amount", flat=True))
    now = timezone.now()
    awards = [
        Award(contest=contest, entry=entry, place=place, amount=amount, by_rule=True,
              brand_accepted_at=now)
        for place, (entry, amount) in enumerate(zip(entries, prize_shares(total, len(entries)), strict=True), start=1)
    ]  # fmt: skip
    Award.objects.bulk_create(awards)
    contest.stage, contest.stage_ends_at = Stage.HANDOVER, None
    contest.save(update_fields=["stage", "stage_ends_at"])


def _refund_all(contest: Contest, *, reason: str) -> None:
    ledger.refund(
        escrow=_escrow(contest),
        key=f"contest:{contest.pk}:refund",
        memo=_("Refund of %(title)s: %(reason)s")
        % {"title": contest.campaign.title, "reason": reason},
    )
    contest.stage, contest.stage_ends_at = Stage.REFUNDED, None
    contest.save(update_fields=["stage", "stage_ends_at"])
    campaign_services.campaign_close(campaign_id=contest.campaign_id)
    campaign_services.campaign_settle(campaign_id=contest.campaign_id)


def contest_refund(*, actor: User, contest: Contest) -> Contest:
    """A refundable contest may be refunded before finalists are chosen and while no winner
    is picked; the brand then loses the right to use any entry."""
    _manage(actor, contest)
    contest = contest_advance(contest_id=contest.pk)
    if contest.guaranteed:
        raise StageError(_("A guaranteed prize cannot be refunded."))
    if contest.finalists_chosen_at:
        raise StageError(_("Finalists are chosen: the prize can no longer be refunded."))
    if contest.stage not in (Stage.ENTRY, Stage.SELECTION):
        raise StageError(_("This contest cannot be refunded now."))
    if contest.stage == Stage.ENTRY:
        campaign_services.campaign_close(
            campaign_id=contest.campaign_id, now=max(timezone.now(), contest.campaign.ends_at)
        )
    _refund_all(contest, reason=_("the brand asked for a refund"))
    return contest


def finalists_choose(*, actor: User, contest: Contest, entry_ids: list[int]) -> Contest:
    """After the entry period: up to N finalists, who may revise during the finalist round."""
    _manage(actor, contest)
    contest = contest_advance(contest_id=contest.pk)
    if not contest.finalists_max:
        raise StageError(_("This contest has no finalist round."))
    if contest.stage != Stage.SELECTION or contest.finalists_chosen_at:
        raise StageError(_("Finalists are chosen once, after the entry period."))
    ids = set(entry_ids)
    if not 1 <= len(ids) <= contest.finalists_max:
        raise InvalidInput(
            fields={"entries": [_("Choose 1 to %(n)s finalists.") % {"n": contest.finalists_max}]}
        )
    chosen = contest.entries.filter(pk__in=ids, status=EntryStatus.ACTIVE)
    if chosen.count() != len(ids):
        raise InvalidInput(fields={"entries": [_("Finalists are active entries of this contest.")]})
    chosen.update(finalist=True)
    now = timezone.now()
    contest.finalists_chosen_at = now
    contest.stage, contest.stage_ends_at = (
        Stage.FINALISTS,
        now + timedelta(days=contest.finalist_days),
    )
    contest.save(update_fields=["finalists_chosen_at", "stage", "stage_ends_at"])
    return contest


# Entries --------------------------------------------------------------------------------


def _version_fields(contest: Contest, *, upload, text: str, poster) -> dict:
    if contest.is_text:
        text = (text or "").strip()
        if not text or upload:
            raise InvalidInput(
                fields={"text": [_("This contest takes a name or text, not a file.")]}
            )
        if len(text) > 500:
            raise InvalidInput(fields={"text": [_("At most 500 characters.")]})
        return {
            "media_kind": MediaKind.TEXT,
            "text": text,
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
    if not upload:
        raise InvalidInput(fields={"file": [_("Attach your design.")]})
    try:
        checked = files.check_entry_file(upload, allow_video=contest.category == Category.VIDEO)
        thumbnail = files.check_poster(poster) if poster else checked.thumbnail
    except ValidationError as exc:
        raise InvalidInput(fields={"file": exc.messages}) from exc
    fields = {"media_kind": checked.media_kind, "file": upload, "sha256": checked.sha256}
    if thumbnail is not None:
        fields["thumbnail"] = thumbnail
    return fields


def _may_enter(actor: User, contest: Contest) -> None:
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    if is_manager(actor, contest):
        raise PermissionDeniedError(_("A brand cannot enter its own contest."))
    if contest.private and not NdaAcceptance.objects.filter(contest=contest, user=actor).exists():
        raise PermissionDeniedError(_("Accept the NDA before entering this private contest."))
    if contest.guaranteed and actor.date_joined >= contest.campaign.starts_at:
        raise PermissionDeniedError(
            _("Only accounts that existed before this guaranteed contest launched may enter.")
        )


def entry_submit(
    *,
    actor: User,
    contest: Contest,
    declared_original: bool,
    upload=None,
    text: str = "",
    title: str = "",
    poster=None,
) -> Entry:
    _may_enter(actor, contest)
    contest = contest_advance(contest_id=contest.pk)
    if contest.stage != Stage.ENTRY or not contest.campaign.is_open():
        raise StageError(_("The entry period is over."))
    if not declared_original:
        raise InvalidInput(
            fields={"declared_original": [_("Confirm the work is original and yours.")]}
        )
    version = _version_fields(contest, upload=upload, text=text, poster=poster)
    now = timezone.now()
    contest.entries_count += 1
    contest.save(update_fields=["entries_count"])
    entry = Entry.objects.create(
        contest=contest, author=actor, number=contest.entries_count, title=title.strip()[:160],
        originality_declared_at=now,
    )  # fmt: skip
    EntryVersion.objects.create(entry=entry, number=1, **version)
    campaign_services.campaign_participants_set(
        campaign_id=contest.campaign_id,
        count=contest.entries.values("author").distinct().count(),
    )
    notify_brand(
        campaign=contest.campaign,
        kind=NotificationKind.NEW_ENTRY,
        text=f"{contest.campaign.title}: #{entry.number} {entry.title}".strip(),
        url=reverse("contests:dashboard", args=[contest.campaign.slug]),
    )
    return entry


def _own_entry(actor: User, entry: Entry) -> None:
    if not actor.is_authenticated or entry.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the entry's author can do this."))


def entry_revise(
    *, actor: User, entry: Entry, upload=None, text: str = "", note: str = "", poster=None
) -> EntryVersion:
    """A revision is a new version; during the finalist round only finalists revise."""
    _own_entry(actor, entry)
    contest = contest_advance(contest_id=entry.contest_id)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.ACTIVE:
        raise StageError(_("A withdrawn or declined entry cannot be revised."))
    in_entry = contest.stage == Stage.ENTRY and contest.campaign.is_open()
    in_final = contest.stage == Stage.FINALISTS and entry.finalist
    if not (in_entry or in_final):
        raise StageError(_("Revisions are closed for this entry."))
    fields = _version_fields(contest, upload=upload, text=text, poster=poster)
    number = (entry.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return EntryVersion.objects.create(
        entry=entry, number=number, note=note.strip()[:500], **fields
    )


def entry_withdraw(*, actor: User, entry: Entry) -> Entry:
    _own_entry(actor, entry)
    contest = contest_advance(contest_id=entry.contest_id)
    if contest.stage not in (Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION):
        raise StageError(_("Entries cannot be withdrawn once winners are picked."))
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.ACTIVE:
        raise StageError(_("This entry is not active."))
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    return entry


def entry_review(
    *,
    actor: User,
    entry: Entry,
    rating: int | None = None,
    comment: str | None = None,
    shortlisted: bool | None = None,
) -> Entry:
    """The brand's stars, private note and shortlist; the entrant sees their own."""
    _manage(actor, entry.contest)
    if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
        raise InvalidInput(fields={"rating": [_("Rate from 1 to 5 stars.")]})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.ACTIVE:
        raise StageError(_("This entry is not active."))
    if rating is not None:
        entry.rating = rating
    if comment is not None:
        entry.brand_comment = comment.strip()[:4000]
    if shortlisted is not None:
        entry.shortlisted = shortlisted
    entry.save(update_fields=["rating", "brand_comment", "shortlisted", "updated_at"])
    return entry


def entry_decline(*, actor: User, entry: Entry, reason: str) -> Entry:
    _manage(actor, entry.contest)
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Say why the entry is declined.")]})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.ACTIVE:
        raise StageError(_("This entry is not active."))
    if entry.awards.exists():
        raise StageError(_("A winning entry cannot be declined."))
    entry.status, entry.decline_reason = EntryStatus.DECLINED, reason.strip()[:300]
    entry.shortlisted = entry.finalist = False
    entry.save(update_fields=["status", "decline_reason", "shortlisted", "finalist", "updated_at"])
    return entry


def contests_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Contest.objects.filter(
            stage__in=(Stage.ENTRY, Stage.FINALISTS, Stage.SELECTION), stage_ends_at__lte=now
        ).values_list("pk", flat=True)
    )
