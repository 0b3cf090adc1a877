"""Posting a tender: the campaign (title, description, skills as tags, the offer deadline as
`ends_at`), the budget and reference files. Callers own the transaction."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Status
from tolpa.errors import ConflictError, InvalidInput
from tolpa.ideas.files import check_attachment, stored_name
from tolpa.ledger.money import validate_amount, validate_currency
from tolpa.marketplace.models import Tender, TenderAttachment
from tolpa.marketplace.services.common import KIND

MAX_ATTACHMENTS = 5


def _check_budget(budget_min, budget_max) -> tuple[int, int]:
    budget_min = validate_amount(budget_min, field="budget_min")
    budget_max = validate_amount(budget_max if budget_max else budget_min, field="budget_max")
    if budget_max < budget_min:
        raise InvalidInput(fields={"budget_max": [_("The top of the budget is below its bottom.")]})
    return budget_min, budget_max


def _checked_uploads(attachments) -> list[tuple]:
    uploads = list(attachments or [])
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            fields={"attachments": [_("At most %(n)s files.") % {"n": MAX_ATTACHMENTS}]}
        )
    checked = []
    for upload in uploads:
        try:
            kind = check_attachment(upload)
        except ValidationError as exc:
            raise InvalidInput(fields={"attachments": list(exc.messages)}) from exc
        checked.append((upload, kind))
    return checked


def tender_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str,
    currency: str,
    budget_min: int,
    budget_max: int | None = None,
    offer_deadline: datetime,
    skills: list[str] | None = None,
    summary: str = "",
    language: str = "en",
    attachments=(),
    publish: bool = True,
) -> Tender:
    """A tender, published at once unless `publish` is False (a draft only its brand sees).
    A fixed budget has no `budget_max` (or the same amount)."""
    membership_require(user=actor, organization=organization)
    currency = validate_currency(currency)
    budget_min, budget_max = _check_budget(budget_min, budget_max)
    if not (description or "").strip():
        raise InvalidInput(fields={"description": [_("Describe the job.")]})
    if not isinstance(offer_deadline, datetime):
        raise InvalidInput(fields={"offer_deadline": [_("Give the deadline for offers.")]})
    checked = _checked_uploads(attachments)
    campaign = campaign_services.campaign_create(
        actor=actor, organization=organization, kind=KIND, title=title or "", summary=summary,
        description=description, language=language, tags=skills, ends_at=offer_deadline,
    )  # fmt: skip
    tender = Tender.objects.create(
        campaign=campaign, currency=currency, budget_min=budget_min, budget_max=budget_max
    )
    for upload, kind in checked:
        name, display = stored_name(upload, kind)
        upload.seek(0)
        attachment = TenderAttachment(tender=tender, kind=kind, name=display, size=upload.size)
        attachment.file.save(name, upload, save=True)
    if publish:
        tender = tender_publish(actor=actor, tender=tender)
    return tender


def tender_publish(*, actor: User, tender: Tender) -> Tender:
    tender.campaign = campaign_services.campaign_launch(actor=actor, campaign=tender.campaign)
    return tender


def tender_close(*, actor: User, tender: Tender) -> Tender:
    """Stop taking proposals before the deadline; proposals already in may still be awarded."""
    membership_require(user=actor, organization=tender.campaign.organization)
    campaign = campaign_services.campaign_lock(campaign_id=tender.campaign_id)
    if campaign.status != Status.LIVE:
        raise ConflictError(_("Only a published tender can be closed."))
    campaign_services.campaign_close(campaign_id=campaign.pk, now=timezone.now(), early=True)
    campaign.refresh_from_db()
    tender.campaign = campaign
    return tender
