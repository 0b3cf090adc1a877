"""Crowdfunding writes: projects, tiers, pledges held in escrow, exactly-once settlement,
updates, the public spending ledger and reward fulfilment. Callers own the transaction."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.campaigns import services as campaign_services
from tolpa.campaigns.models import Status
from tolpa.crowdfunding.models import (
    Fulfilment,
    FulfilmentStatus,
    FundingModel,
    Outcome,
    Pledge,
    PledgeStatus,
    Project,
    ProjectUpdate,
    RewardTier,
    SpendingCategory,
    SpendingEntry,
)
from tolpa.errors import ConflictError, InvalidInput, NotFoundError, PermissionDeniedError
from tolpa.errors import fields_from_validation_error as _fields
from tolpa.ledger import services as ledger
from tolpa.ledger.money import validate_amount, validate_currency

MAX_DURATION_DAYS = 60
UPDATE_EDIT_WINDOW = timedelta(minutes=30)
SETTLEMENT_BATCH = 1000


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=_fields(exc)) from exc


def _validate_duration(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DURATION_DAYS:
        raise InvalidInput(fields={"duration_days": [_("A campaign runs for 1 to 60 days.")]})


def project_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    goal: int,
    currency: str,
    duration_days: int,
    summary: str = "",
    story: str = "",
    funding_model: str = FundingModel.ALL_OR_NOTHING,
    video_url: str = "",
    risks: str = "",
    faq: str = "",
    spending_plan: list[tuple[str, int]] | None = None,
    language: str = "en",
    tags: list[str] | None = None,
    cover=None,
) -> Project:
    """A draft campaign; its duration counts from launch."""
    membership_require(user=actor, organization=organization)
    currency = validate_currency(currency)
    validate_amount(goal, field="goal")
    _validate_duration(duration_days)
    if funding_model not in FundingModel.values:
        raise InvalidInput(fields={"funding_model": [_("Unknown funding model.")]})
    campaign = campaign_services.campaign_create(
        actor=actor,
        organization=organization,
        kind="crowdfunding",
        title=title,
        summary=summary,
        description=story,
        language=language,
        tags=tags,
        cover=cover,
        ends_at=timezone.now() + timedelta(days=duration_days),
    )
    project = Project(
        campaign=campaign,
        goal=goal,
        currency=currency,
        duration_days=duration_days,
        funding_model=funding_model,
        video_url=video_url,
        risks=risks,
        faq=faq,
    )
    _clean(project)
    project.save()
    for name, planned in spending_plan or []:
        category = SpendingCategory(project=project, name=name.strip(), planned=planned)
        _clean(category)
        category.save()
    return project


def _manage(actor: User, project: Project) -> None:
    membership_require(user=actor, organization=project.campaign.organization)


def tier_create(
    *,
    actor: User,
    project: Project,
    title: str,
    minimum: int,
    description: str = "",
    quantity_limit: int | None = None,
    estimated_delivery: date | None = None,
    shipping_required: bool = False,
    available_until=None,
) -> RewardTier:
    _manage(actor, project)
    if project.campaign.status not in (Status.DRAFT, Status.LIVE) or not (
        project.campaign.status == Status.DRAFT or project.campaign.is_open()
    ):
        raise ConflictError(_("Tiers can be added only before the campaign ends."))
    validate_amount(minimum, field="minimum")
    if quantity_limit is not None and quantity_limit < 1:
        raise InvalidInput(fields={"quantity_limit": [_("A limited tier has at least one unit.")]})
    tier = RewardTier(
        project=project,
        title=title.strip(),
        description=description,
        minimum=minimum,
        quantity_limit=quantity_limit,
        estimated_delivery=estimated_delivery,
        shipping_required=shipping_required,
        available_until=available_until,
        position=project.tiers.count(),
    )
    _clean(tier)
    tier.save()
    return tier


def project_launch(*, actor: User, project: Project) -> Project:
    _manage(actor, project)
    campaign_services.campaign_launch(
        actor=actor,
        campaign=project.campaign,
        ends_at=timezone.now() + timedelta(days=project.duration_days),
    )
    project.campaign.refresh_from_db()
    return project


def _lock_project(project_id: int) -> Project:
    return Project.objects.select_for_update().select_related("campaign").get(pk=project_id)


def _escrow(project: Project):
    return ledger.account_escrow(reference=project.escrow_reference, currency=project.currency)


def _tier_for(
    project: Project, tier_id: int | None, amount: int, *, keeping: RewardTier | None
) -> RewardTier | None:
    if tier_id is None:
        return None
    tier = RewardTier.objects.select_for_update().filter(pk=tier_id, project=project).first()
    if tier is None:
        raise InvalidInput(fields={"tier": [_("This reward is not part of the campaign.")]})
    if amount < tier.minimum:
        raise InvalidInput(fields={"amount": [_("The pledge is below this reward's minimum.")]})
    if keeping is None or keeping.pk != tier.pk:
        if tier.sold_out:
            raise ConflictError(_("This reward is sold out."), fields={"tier": [_("Sold out.")]})
        if tier.available_until and timezone.now() > tier.available_until:
            raise ConflictError(_("This reward is no longer available."))
    return tier


def _claim(tier: RewardTier | None, delta: int) -> None:
    if tier is not None:
        RewardTier.objects.filter(pk=tier.pk).update(claimed=F("claimed") + delta)


def _refresh_totals(project: Project) -> None:
    active = project.pledges.filter(status=PledgeStatus.ACTIVE)
    totals = active.aggregate(raised=Sum("amount"))
    project.raised = totals["raised"] or 0
    project.backers_count = active.count()
    project.save(update_fields=["raised", "backers_count"])
    campaign_services.campaign_participants_set(
        campaign_id=project.campaign_id, count=project.backers_count
    )


def pledge_set(
    *,
    actor: User,
    project: Project,
    amount: int,
    tier_id: int | None = None,
    anonymous: bool = False,
) -> Pledge:
    """Pledge, or change one's pledge, before the deadline; the difference is held or returned."""
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    validate_amount(amount)
    project = _lock_project(project.pk)
    campaign_services.campaign_ensure_open(campaign=project.campaign)
    if project.campaign.organization.memberships.filter(user=actor).exists():
        raise PermissionDeniedError(_("A brand cannot back its own campaign."))
    wallet = ledger.account_for_user(user=actor, currency=project.currency)
    pledge = Pledge.objects.filter(
        project=project, backer=actor, status=PledgeStatus.ACTIVE
    ).first()
    old_tier = pledge.tier if pledge else None
    tier = _tier_for(project, tier_id, amount, keeping=old_tier)
    if pledge is None:
        pledge = Pledge.objects.create(
            project=project, backer=actor, tier=tier, amount=amount, anonymous=anonymous
        )
        ledger.hold(source=wallet, escrow=_escrow(project), amount=amount, key=f"pledge:{pledge.pk}:rev0",
                    memo=_("Pledge to %(title)s") % {"title": project.campaign.title})  # fmt: skip
        _claim(tier, +1)
    else:
        delta = amount - pledge.amount
        key = f"pledge:{pledge.pk}:rev{pledge.revision + 1}"
        if delta > 0:
            ledger.hold(source=wallet, escrow=_escrow(project), amount=delta, key=key,
                        memo=_("Pledge raised for %(title)s") % {"title": project.campaign.title})  # fmt: skip
        elif delta < 0:
            ledger.refund(escrow=_escrow(project), payer=wallet, amount=-delta, key=key,
                          memo=_("Pledge lowered for %(title)s") % {"title": project.campaign.title})  # fmt: skip
        if (old_tier.pk if old_tier else None) != (tier.pk if tier else None):
            _claim(old_tier, -1)
            _claim(tier, +1)
        pledge.amount, pledge.tier, pledge.anonymous = amount, tier, anonymous
        pledge.revision += 1
        pledge.save(update_fields=["amount", "tier", "anonymous", "revision", "updated_at"])
    _refresh_totals(project)
    return pledge


def pledge_cancel(*, actor: User, project: Project) -> Pledge:
    project = _lock_project(project.pk)
    campaign_services.campaign_ensure_open(campaign=project.campaign)
    pledge = Pledge.objects.filter(
        project=project, backer=actor, status=PledgeStatus.ACTIVE
    ).first()
    if pledge is None:
        raise NotFoundError(_("You have no pledge on this campaign."))
    wallet = ledger.account_for_user(user=actor, currency=project.currency)
    ledger.refund(escrow=_escrow(project), payer=wallet, amount=pledge.amount, key=f"pledge:{pledge.pk}:cancel",
                  memo=_("Pledge cancelled: %(title)s") % {"title": project.campaign.title})  # fmt: skip
    _claim(pledge.tier, -1)
    pledge.status = PledgeStatus.CANCELLED
    pledge.save(update_fields=["status", "updated_at"])
    _refresh_totals(project)
    return pledge


# Settlement ---------------------------------------------------------------------------


def _decide(project: Project) -> str:
    if project.funding_model == FundingModel.FLEXIBLE:
        return Outcome.FUNDED if project.raised > 0 else Outcome.FAILED
    return Outcome.FUNDED if project.raised >= project.goal else Outcome.FAILED


def project_settle(*, project_id: int) -> bool:
    """Settle once the deadline has passed: release to the creator, or refund every backer.
    Crash-safe and resumable: each step commits with the pledges it settles, and a re-run
    continues from the pledges still active. Returns False when there was nothing to do."""
    with transaction.atomic():
        project = _lock_project(project_id)
        campaign = project.campaign
        if project.settled_at is not None:
            return False
        if campaign.status not in (Status.LIVE, Status.CLOSED) or timezone.now() < campaign.ends_at:
            return False
        if not project.outcome:
            project.outcome = _decide(project)
            project.save(update_fields=["outcome"])
    if project.outcome == Outcome.FUNDED:
        _settle_funded(project_id)
    else:
        _settle_refunds(project_id)
    with transaction.atomic():
        project = _lock_project(project_id)
        project.settled_at = timezone.now()
        project.save(update_fields=["settled_at"])
        campaign_services.campaign_close(campaign_id=project.campaign_id)
        campaign_services.campaign_settle(campaign_id=project.campaign_id)
    return True


def _settle_funded(project_id: int) -> None:
    with transaction.atomic():
        project = _lock_project(project_id)
        active = project.pledges.filter(status=PledgeStatus.ACTIVE)
        total = active.aggregate(total=Sum("amount"))["total"] or 0
        if total:
            organization = project.campaign.organization
            ledger.release(
                escrow=_escrow(project),
                payee=ledger.account_for_organization(
                    organization=organization, currency=project.currency
                ),
                amount=total,
                key=f"crowdfunding:{project.pk}:release",
                campaign_kind="crowdfunding",
                memo=_("Funds raised by %(title)s") % {"title": project.campaign.title},
            )
        active.update(status=PledgeStatus.CHARGED)
        Fulfilment.objects.bulk_create(
            [
                Fulfilment(pledge=p)
                for p in project.pledges.filter(
                    status=PledgeStatus.CHARGED, fulfilment__isnull=True
                )
            ]
        )


def _settle_refunds(project_id: int) -> None:
    while True:
        with transaction.atomic():
            project = _lock_project(project_id)
            batch = list(
                project.pledges.filter(status=PledgeStatus.ACTIVE).order_by("pk")[:SETTLEMENT_BATCH]
            )
            if not batch:
                return
            wallets = ledger.accounts_for_users(
                user_ids=[p.backer_id for p in batch], currency=project.currency
            )
            payouts = [(wallets[p.backer_id], p.amount) for p in batch]
            ledger.refund_many(
                escrow=_escrow(project),
                payouts=payouts,
                key=f"crowdfunding:{project.pk}:refund:{batch[0].pk}",
                memo=_("Refund: %(title)s was not funded") % {"title": project.campaign.title},
            )
            Pledge.objects.filter(pk__in=[p.pk for p in batch]).update(status=PledgeStatus.REFUNDED)
        settlement_checkpoint(project_id=project_id, settled=len(batch))


def settlement_checkpoint(*, project_id: int, settled: int) -> None:
    """Called after each committed batch: a seam where tests inject a crash."""


def projects_due_for_settlement() -> list[int]:
    return list(
        Project.objects.filter(
            settled_at__isnull=True,
            campaign__status__in=(Status.LIVE, Status.CLOSED),
            campaign__ends_at__lte=timezone.now(),
        ).values_list("pk", flat=True)
    )


# After funding -------------------------------------------------------------------------


def update_post(
    *, actor: User, project: Project, title: str, body: str, audience: str
) -> ProjectUpdate:
    _manage(actor, project)
    update = ProjectUpdate(
        project=project, author=actor, title=title.strip(), body=body, audience=audience
    )
    _clean(update)
    update.save()
    return update


def update_edit(*, actor: User, update: ProjectUpdate, title: str, body: str) -> ProjectUpdate:
    """Updates may be corrected for 30 minutes, then they are part of the record."""
    _manage(actor, update.project)
    if timezone.now() - update.created_at > UPDATE_EDIT_WINDOW:
        raise ConflictError(_("Updates can be edited for 30 minutes after posting."))
    update.title, update.body, update.edited_at = title.strip(), body, timezone.now()
    _clean(update)
    update.save(update_fields=["title", "body", "edited_at"])
    return update


def spending_record(
    *,
    actor: User,
    project: Project,
    category_id: int,
    amount: int,
    currency: str,
    description: str,
    spent_on: date,
    receipt=None,
) -> SpendingEntry:
    _manage(actor, project)
    if project.outcome != Outcome.FUNDED:
        raise ConflictError(_("Spending is recorded once the campaign is funded."))
    validate_amount(amount)
    if validate_currency(currency) != project.currency:
        raise InvalidInput(fields={"currency": [_("Record spending in the campaign's currency.")]})
    category = project.spending_plan.filter(pk=category_id).first()
    if category is None:
        raise InvalidInput(fields={"category": [_("Choose a category of the spending plan.")]})
    entry = SpendingEntry(
        category=category,
        amount=amount,
        currency=currency.upper(),
        description=description.strip(),
        spent_on=spent_on,
        created_by=actor,
    )
    if receipt:
        entry.receipt = receipt
    _clean(entry)
    entry.save()
    return entry


def fulfilment_answer(*, actor: User, project: Project, address: str, choice: str) -> Fulfilment:
    fulfilment = Fulfilment.objects.filter(pledge__project=project, pledge__backer=actor).first()
    if fulfilment is None:
        raise NotFoundError(_("You have no reward to claim on this campaign."))
    fulfilment.address, fulfilment.choice = address.strip(), choice.strip()
    if fulfilment.status == FulfilmentStatus.AWAITING:
        fulfilment.status = FulfilmentStatus.READY
    _clean(fulfilment)
    fulfilment.save(update_fields=["address", "choice", "status", "updated_at"])
    return fulfilment


def fulfilment_set_status(*, actor: User, fulfilment: Fulfilment, status: str) -> Fulfilment:
    _manage(actor, fulfilment.pledge.project)
    if status not in FulfilmentStatus.values:
        raise InvalidInput(fields={"status": [_("Unknown status.")]})
    fulfilment.status = status
    fulfilment.save(update_fields=["status", "updated_at"])
    return fulfilment
