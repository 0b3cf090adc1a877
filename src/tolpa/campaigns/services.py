"""Campaign lifecycle: draft → live → closed → settled | cancelled. Callers own the transaction."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.campaigns.models import Campaign, Status, Tag
from tolpa.campaigns.registry import Kind
from tolpa.errors import ConflictError, InvalidInput
from tolpa.errors import fields_from_validation_error as _fields
from tolpa.web.slugs import latin_slug

MAX_TAGS = 10
MAX_DURATION = timedelta(days=366)


class CampaignClosedError(ConflictError):
    code = "campaign_closed"


def campaign_ensure_open(*, campaign: Campaign, now: datetime | None = None) -> None:
    """Refuse a crowd action unless the campaign is open at this very moment."""
    now = now or timezone.now()
    if campaign.is_open(now):
        return
    if campaign.status == Status.LIVE and campaign.starts_at and now < campaign.starts_at:
        raise CampaignClosedError(_("This campaign has not started yet."))
    raise CampaignClosedError(_("This campaign is closed."))


def _unique_slug(title: str) -> str:
    base = latin_slug(title, fallback="campaign", max_length=160)
    slug, n = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _tags_from_names(names: list[str]) -> list[Tag]:
    cleaned = sorted({name.strip().lower()[:40] for name in names if name.strip()})
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(fields={"tags": [_("At most %(n)s tags.") % {"n": MAX_TAGS}]})
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def _validate_window(*, starts_at: datetime | None, ends_at: datetime, now: datetime) -> None:
    errors = {}
    if timezone.is_naive(ends_at) or (starts_at and timezone.is_naive(starts_at)):
        errors["ends_at"] = [_("Give times with a time zone.")]
    elif ends_at <= (starts_at or now):
        errors["ends_at"] = [_("The end must be after the start and in the future.")]
    elif ends_at - (starts_at or now) > MAX_DURATION:
        errors["ends_at"] = [_("A campaign can run for at most a year.")]
    if errors:
        raise InvalidInput(fields=errors)


def campaign_create(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    title: str,
    ends_at: datetime,
    summary: str = "",
    description: str = "",
    language: str = "en",
    tags: list[str] | None = None,
    starts_at: datetime | None = None,
    cover=None,
) -> Campaign:
    membership_require(user=actor, organization=organization)
    if kind not in Kind.values:
        raise InvalidInput(fields={"kind": [_("Unknown campaign kind.")]})
    _validate_window(starts_at=starts_at, ends_at=ends_at, now=timezone.now())
    campaign = Campaign(
        kind=kind,
        organization=organization,
        created_by=actor,
        title=title.strip(),
        slug=_unique_slug(title),
        summary=summary.strip(),
        description=description,
        language=language,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if cover:
        campaign.cover = cover
    try:
        campaign.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc
    tag_objects = _tags_from_names(tags or [])
    campaign.save()
    campaign.tags.set(tag_objects)
    return campaign


def campaign_lock(*, campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def campaign_launch(
    *, actor: User, campaign: Campaign, ends_at: datetime | None = None
) -> Campaign:
    """Publish a draft. Kinds that escrow money do so before calling this; kinds whose
    duration counts from launch pass the new `ends_at`."""
    membership_require(user=actor, organization=campaign.organization)
    campaign = campaign_lock(campaign_id=campaign.pk)
    if campaign.status != Status.DRAFT:
        raise ConflictError(_("Only a draft can be launched."))
    now = timezone.now()
    campaign.ends_at = ends_at or campaign.ends_at
    _validate_window(starts_at=campaign.starts_at, ends_at=campaign.ends_at, now=now)
    campaign.status = Status.LIVE
    campaign.starts_at = campaign.starts_at or now
    campaign.save(update_fields=["status", "starts_at", "ends_at", "updated_at"])
    return campaign


def campaign_cancel(*, actor: User, campaign: Campaign) -> Campaign:
    membership_require(user=actor, organization=campaign.organization)
    campaign = campaign_lock(campaign_id=campaign.pk)
    if campaign.status not in (Status.DRAFT, Status.LIVE):
        raise ConflictError(_("Only a draft or live campaign can be cancelled."))
    campaign.status = Status.CANCELLED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    return campaign


def campaign_close(*, campaign_id: int, now: datetime | None = None, early: bool = False) -> bool:
    """Close a live campaign whose deadline passed, or before it when its kind ended it
    (`early`: a survey that is full or closed by its brand). Idempotent: False if nothing
    changed."""
    now = now or timezone.now()
    campaign = campaign_lock(campaign_id=campaign_id)
    if campaign.status != Status.LIVE or (campaign.ends_at > now and not early):
        return False
    campaign.status = Status.CLOSED
    campaign.closed_at = now
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    return True


def campaign_settle(*, campaign_id: int) -> bool:
    """Mark a closed campaign settled once its kind has paid out. Idempotent."""
    campaign = campaign_lock(campaign_id=campaign_id)
    if campaign.status != Status.CLOSED:
        return False
    campaign.status = Status.SETTLED
    campaign.save(update_fields=["status", "updated_at"])
    return True


def campaign_participants_set(*, campaign_id: int, count: int) -> None:
    """Kinds report how many people take part, for discovery's "most participants" sort."""
    Campaign.objects.filter(pk=campaign_id).update(participants_count=max(count, 0))


def campaigns_due(*, now: datetime | None = None) -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=Status.LIVE, ends_at__lte=now or timezone.now())
