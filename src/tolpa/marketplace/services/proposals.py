"""Proposals: sent, edited and withdrawn by their author before the offer deadline;
shortlisted or declined by the brand; a private thread per proposal. Callers own the
transaction."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.accounts.services import membership_require
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Campaign
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger.money import validate_amount
from tolpa.marketplace.models import Proposal, ProposalMessage, ProposalStatus, Tender
from tolpa.marketplace.services import notices
from tolpa.marketplace.services.common import is_brand_member

MAX_LINKS = 10
MAX_LETTER = 10_000
MAX_MESSAGE = 4000
MAX_DECLINE_REASON = 1000


class AlreadyProposedError(ConflictError):
    code = "already_proposed"


def _clean_terms(*, price, days, cover_letter, portfolio_links) -> dict:
    price = validate_amount(price, field="price")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise InvalidInput(fields={"days": [_("The timeline is 1 to 3650 days.")]})
    letter = (cover_letter or "").strip()
    if not letter:
        raise InvalidInput(fields={"cover_letter": [_("Write a cover letter.")]})
    if len(letter) > MAX_LETTER:
        raise InvalidInput(
            fields={"cover_letter": [_("At most %(n)s characters.") % {"n": MAX_LETTER}]}
        )
    links = [link.strip() for link in portfolio_links or [] if link and link.strip()]
    if len(links) > MAX_LINKS:
        raise InvalidInput(
            fields={"portfolio_links": [_("At most %(n)s links.") % {"n": MAX_LINKS}]}
        )
    validate = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            if len(link) > 300:
                raise ValidationError("too long")
            validate(link)
        except ValidationError as exc:
            raise InvalidInput(
                fields={"portfolio_links": [_("Not a web address: %(link)s") % {"link": link[:80]}]}
            ) from exc
    return {"price": price, "days": days, "cover_letter": letter, "portfolio_links": links}


def submit_problem(tender: Tender, actor: User, now=None) -> str | None:
    """Why this account may not send a proposal now, or None (re-checked on submit)."""
    if not actor.is_authenticated:
        return _("Log in to send a proposal.")
    if is_brand_member(actor, tender.campaign.organization_id):
        return _("You cannot send a proposal to your own brand's tender.")
    if not tender.campaign.is_open(now):
        return _("The deadline for offers has passed.")
    return None


def _lock_tender(tender: Tender) -> Tender:
    locked = Tender.objects.select_for_update().get(pk=tender.pk)
    locked.campaign = Campaign.objects.select_related("organization").get(pk=locked.campaign_id)
    return locked


def _recount(tender: Tender) -> None:
    count = tender.proposals.exclude(status=ProposalStatus.WITHDRAWN).count()
    Tender.objects.filter(pk=tender.pk).update(proposals_count=count)
    tender.proposals_count = count
    campaign_services.campaign_participants_set(campaign_id=tender.campaign_id, count=count)


def _ensure_open(tender: Tender) -> None:
    try:
        campaign_services.campaign_ensure_open(campaign=tender.campaign, now=timezone.now())
    except campaign_services.CampaignClosedError as exc:
        raise campaign_services.CampaignClosedError(
            _("The deadline for offers has passed.")
        ) from exc


def proposal_submit(
    *, actor: User, tender: Tender, price, days, cover_letter: str, portfolio_links=()
) -> Proposal:
    """One live proposal per person and tender; never on one's own brand's tender, never
    after the offer deadline."""
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in to send a proposal."))
    if is_brand_member(actor, tender.campaign.organization_id):
        raise PermissionDeniedError(_("You cannot send a proposal to your own brand's tender."))
    terms = _clean_terms(
        price=price, days=days, cover_letter=cover_letter, portfolio_links=portfolio_links
    )
    tender = _lock_tender(tender)
    _ensure_open(tender)
    if tender.proposals.filter(freelancer=actor).exclude(status=ProposalStatus.WITHDRAWN).exists():
        raise AlreadyProposedError(_("You have already sent a proposal; edit it instead."))
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(tender=tender, freelancer=actor, **terms)
    except IntegrityError as exc:
        raise AlreadyProposedError(_("You have already sent a proposal; edit it instead.")) from exc
    _recount(tender)
    notices.new_proposal(proposal)
    return proposal


def _lock_own(actor: User, proposal: Proposal) -> Proposal:
    if not actor.is_authenticated or actor.pk != proposal.freelancer_id:
        raise PermissionDeniedError(_("Only the author may change a proposal."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    locked.tender = _lock_tender(proposal.tender)
    if locked.status != ProposalStatus.SUBMITTED:
        raise ConflictError(
            _("This proposal is %(status)s and can no longer change.")
            % {"status": locked.get_status_display().lower()}
        )
    _ensure_open(locked.tender)
    return locked


def proposal_edit(
    *, actor: User, proposal: Proposal, price, days, cover_letter: str, portfolio_links=()
) -> Proposal:
    terms = _clean_terms(
        price=price, days=days, cover_letter=cover_letter, portfolio_links=portfolio_links
    )
    proposal = _lock_own(actor, proposal)
    for name, value in terms.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=[*terms, "updated_at"])
    return proposal


def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _lock_own(actor, proposal)
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.shortlisted = False
    proposal.save(update_fields=["status", "shortlisted", "updated_at"])
    _recount(proposal.tender)
    return proposal


def _closed_problem(proposal: Proposal) -> str | None:
    if proposal.status == ProposalStatus.WITHDRAWN:
        return _("This proposal was withdrawn.")
    if proposal.status == ProposalStatus.DECLINED:
        return _("This proposal was declined.")
    return None


def proposal_shortlist(*, actor: User, proposal: Proposal, shortlisted: bool) -> Proposal:
    membership_require(user=actor, organization=proposal.tender.campaign.organization)
    proposal = Proposal.objects.select_for_update().select_related("tender").get(pk=proposal.pk)
    problem = _closed_problem(proposal)
    if problem:
        raise ConflictError(problem)
    proposal.shortlisted = bool(shortlisted)
    proposal.save(update_fields=["shortlisted", "updated_at"])
    return proposal


def proposal_decline(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    """The brand says no, so the author stops waiting; the optional reason is theirs to read.
    A declined proposal cannot be awarded, edited or sent again to the same tender. Under
    the proposal's row lock, so a decline racing an award or a withdrawal loses cleanly."""
    membership_require(user=actor, organization=proposal.tender.campaign.organization)
    reason = (reason or "").strip()
    if len(reason) > MAX_DECLINE_REASON:
        raise InvalidInput(
            fields={"reason": [_("At most %(n)s characters.") % {"n": MAX_DECLINE_REASON}]}
        )
    proposal = Proposal.objects.select_for_update().select_related("tender").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ConflictError(
            _("This proposal is %(status)s; only a submitted proposal can be declined.")
            % {"status": proposal.get_status_display().lower()}
        )
    proposal.status, proposal.shortlisted = ProposalStatus.DECLINED, False
    proposal.decline_reason = reason
    proposal.save(update_fields=["status", "shortlisted", "decline_reason", "updated_at"])
    notices.proposal_declined(proposal)
    return proposal


def message_post(*, actor: User, proposal: Proposal, body: str) -> ProposalMessage:
    """A question or an answer in the proposal's private thread."""
    from_brand = is_brand_member(actor, proposal.tender.campaign.organization_id)
    if not from_brand and (not actor.is_authenticated or actor.pk != proposal.freelancer_id):
        raise PermissionDeniedError()
    body = (body or "").strip()
    if not body:
        raise InvalidInput(fields={"body": [_("Write a message.")]})
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(fields={"body": [_("At most %(n)s characters.") % {"n": MAX_MESSAGE}]})
    proposal.refresh_from_db(fields=["status"])
    problem = _closed_problem(proposal)
    if problem:
        raise ConflictError(problem)
    message = ProposalMessage.objects.create(
        proposal=proposal, author=actor, from_brand=from_brand, body=body
    )
    notices.proposal_message(proposal, from_brand=from_brand)
    return message
