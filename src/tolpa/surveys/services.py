"""Survey writes. Every write on a live survey locks its row first, so responses, rewards,
the award and closing are serialized per survey; the database still enforces one response
per account and one award per survey, and every payment has its own idempotency key.
Callers own the transaction."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.accounts.services import membership_require
from tolpa.campaigns import services as campaign_services
from tolpa.community.models import NotificationKind
from tolpa.community.notify import notify_brand
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.ledger.money import validate_amount, validate_currency
from tolpa.surveys.models import (
    DiscountCode,
    Question,
    Response,
    RewardMode,
    Survey,
    SurveyStatus,
)
from tolpa.surveys.rules import answers_clean, questions_clean

KIND = "survey"
AWARD_WINDOW = timedelta(days=14)
MAX_CODE = 64
MAX_CODES_PER_UPLOAD = 10_000


class SurveyFullError(ConflictError):
    code = "survey_full"


class AlreadyAnsweredError(ConflictError):
    code = "already_answered"


def is_manager(actor: User, survey: Survey) -> bool:
    return (
        actor.is_authenticated
        and survey.campaign.organization.memberships.filter(user=actor).exists()
    )


def _manage(actor: User, survey: Survey) -> None:
    membership_require(user=actor, organization=survey.campaign.organization)


def _lock(survey: Survey) -> Survey:
    return (
        Survey.objects.select_for_update()
        .select_related("campaign__organization")
        .get(pk=survey.pk)
    )


def cost_per_response(survey: Survey) -> int:
    """What one rewarded response costs the brand: the reward plus the fee on top."""
    if survey.reward_mode != RewardMode.MONEY:
        return 0
    return survey.reward + ledger.fee_for(campaign_kind=KIND, amount=survey.reward)


def budget_of(survey: Survey) -> int:
    return survey.max_responses * cost_per_response(survey) + survey.award


def _escrow(survey: Survey):
    return ledger.account_escrow(reference=survey.escrow_reference, currency=survey.currency)


def _brand_wallet(survey: Survey):
    return ledger.account_for_organization(
        organization=survey.campaign.organization, currency=survey.currency
    )


# Drafts ---------------------------------------------------------------------------------


def _check_terms(*, reward_mode, reward, max_responses, award) -> None:
    if reward_mode not in RewardMode.values:
        raise InvalidInput(fields={"reward_mode": [_("Choose money, a discount code or none.")]})
    if reward_mode == RewardMode.MONEY:
        validate_amount(reward, field="reward")
    elif reward:
        raise InvalidInput(fields={"reward": [_("Only a money reward has an amount.")]})
    if (
        isinstance(max_responses, bool)
        or not isinstance(max_responses, int)
        or not (1 <= max_responses <= 100_000)
    ):
        raise InvalidInput(fields={"max_responses": [_("Ask for 1 to 100,000 responses.")]})
    if award:
        validate_amount(award, field="award")


def _questions_save(survey: Survey, cleaned: list[dict]) -> None:
    Question.objects.bulk_create(
        Question(survey=survey, position=position, **spec)
        for position, spec in enumerate(cleaned, start=1)
    )


def survey_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    currency: str,
    questions: list[dict],
    reward_mode: str = RewardMode.MONEY,
    reward: int = 0,
    max_responses: int = 100,
    award: int = 0,
    summary: str = "",
    description: str = "",
    days: int = 14,
    language: str = "en",
    tags: list[str] | None = None,
) -> Survey:
    """A draft survey with its questions; nothing is escrowed until launch."""
    membership_require(user=actor, organization=organization)
    currency = validate_currency(currency)
    _check_terms(reward_mode=reward_mode, reward=reward, max_responses=max_responses, award=award)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise InvalidInput(fields={"days": [_("A survey runs 1 to 365 days.")]})
    cleaned = questions_clean(questions)
    campaign = campaign_services.campaign_create(
        actor=actor, organization=organization, kind=KIND, title=title, summary=summary,
        description=description, language=language, tags=tags,
        ends_at=timezone.now() + timedelta(days=days),
    )  # fmt: skip
    survey = Survey.objects.create(
        campaign=campaign, currency=currency, reward_mode=reward_mode, reward=reward or 0,
        max_responses=max_responses, award=award or 0,
    )  # fmt: skip
    _questions_save(survey, cleaned)
    return survey


def questions_set(*, actor: User, survey: Survey, questions: list[dict]) -> list[Question]:
    """Replace the questions of a draft; once live, answers depend on them."""
    _manage(actor, survey)
    cleaned = questions_clean(questions)
    survey = _lock(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ConflictError(_("Questions can only be changed while the survey is a draft."))
    survey.questions.all().delete()
    _questions_save(survey, cleaned)
    return list(survey.questions.all())


def _code_lines(text: str) -> list[str]:
    codes = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not codes:
        raise InvalidInput(fields={"codes": [_("Give at least one code, one per line.")]})
    if len(codes) > MAX_CODES_PER_UPLOAD:
        raise InvalidInput(
            fields={"codes": [_("At most %(n)s codes at once.") % {"n": MAX_CODES_PER_UPLOAD}]}
        )
    long = [code for code in codes if len(code) > MAX_CODE]
    if long:
        raise InvalidInput(fields={"codes": [_("A code is at most %(n)s characters: %(codes)s.")
                                             % {"n": MAX_CODE, "codes": ", ".join(long[:5])}]})  # fmt: skip
    return codes


def codes_upload(*, actor: User, survey: Survey, text: str) -> int:
    """Add codes to the bank, one per line. A duplicate (within the upload or against the
    bank) refuses the whole upload, naming the duplicates."""
    _manage(actor, survey)
    codes = _code_lines(text)
    survey = _lock(survey)
    if survey.reward_mode != RewardMode.CODE:
        raise ConflictError(_("This survey does not reward with discount codes."))
    if survey.status not in (SurveyStatus.DRAFT, SurveyStatus.LIVE):
        raise ConflictError(_("The survey is closed."))
    seen, duplicates = set(), []
    for code in codes:
        if code in seen and code not in duplicates:
            duplicates.append(code)
        seen.add(code)
    existing = set(
        DiscountCode.objects.filter(survey=survey, code__in=seen).values_list("code", flat=True)
    )
    duplicates += [code for code in sorted(existing) if code not in duplicates]
    if duplicates:
        raise InvalidInput(fields={"codes": [_("Duplicate codes: %(codes)s.")
                                             % {"codes": ", ".join(duplicates[:20])}]})  # fmt: skip
    DiscountCode.objects.bulk_create(DiscountCode(survey=survey, code=code) for code in codes)
    return len(codes)


def survey_launch(*, actor: User, survey: Survey) -> Survey:
    """Escrow every reward the survey may pay plus the award, then publish it."""
    _manage(actor, survey)
    survey = _lock(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ConflictError(_("Only a draft survey can be launched."))
    if not survey.questions.exists():
        raise InvalidInput(fields={"questions": [_("Add at least one question.")]})
    if survey.reward_mode == RewardMode.CODE and not survey.codes.exists():
        raise InvalidInput(fields={"codes": [_("Upload discount codes before launching.")]})
    budget = budget_of(survey)
    if budget:
        try:
            ledger.hold(
                source=_brand_wallet(survey), escrow=_escrow(survey), amount=budget,
                key=f"{survey.escrow_reference}:budget",
                memo=_("Budget of the survey %(title)s") % {"title": survey.campaign.title},
            )  # fmt: skip
        except ledger.InsufficientFundsError as exc:
            raise ledger.InsufficientFundsError(
                _("Not enough money in the brand wallet: the survey needs %(n)s minor units.")
                % {"n": budget}
            ) from exc
    survey.campaign = campaign_services.campaign_launch(actor=actor, campaign=survey.campaign)
    survey.status, survey.budget, survey.launched_at = SurveyStatus.LIVE, budget, timezone.now()
    survey.save(update_fields=["status", "budget", "launched_at"])
    return survey


# Responses ------------------------------------------------------------------------------


def respond_problem(survey: Survey, actor: User, now: datetime | None = None) -> str | None:
    """Why this account may not answer now, or None (re-checked under the lock on submit)."""
    if not actor.is_authenticated:
        return _("Log in to answer.")
    if is_manager(actor, survey):
        return _("A brand does not answer its own survey.")
    if survey.status != SurveyStatus.LIVE or not survey.campaign.is_open(now):
        return _("This survey is closed.")
    if survey.is_full or (
        survey.reward_mode == RewardMode.CODE
        and not survey.codes.filter(response__isnull=True).exists()
    ):
        return _("This survey is full.")
    return None


def _free_code(survey: Survey) -> DiscountCode | None:
    """The first code nobody holds; a code locked by a request in flight is skipped."""
    return (
        DiscountCode.objects.select_for_update(skip_locked=True)
        .filter(survey=survey, response__isnull=True)
        .order_by("pk")
        .first()
    )


def _reward(survey: Survey, response: Response, now: datetime) -> None:
    """Pay the reward or hand out a code, once: the payment's key names the response."""
    if survey.reward_mode == RewardMode.MONEY:
        ledger.release_plus_fee(
            escrow=_escrow(survey),
            payee=ledger.account_for_user(user=response.respondent, currency=survey.currency),
            amount=survey.reward, key=f"survey:{survey.pk}:response:{response.pk}:reward",
            campaign_kind=KIND,
            memo=_("Reward for answering %(title)s") % {"title": survey.campaign.title},
        )  # fmt: skip
    response.rewarded_at = now
    response.save(update_fields=["rewarded_at"])


def response_submit(*, actor: User, survey: Survey, answers: dict) -> Response:
    """Store one account's answers and reward them once. A repeat, a full survey or a closed
    one is refused (409) and changes nothing."""
    if not actor.is_authenticated:
        raise PermissionDeniedError(_("Log in to answer."))
    if is_manager(actor, survey):
        raise PermissionDeniedError(_("A brand does not answer its own survey."))
    cleaned = answers_clean(list(survey.questions.all()), answers)
    survey = _lock(survey)
    now = timezone.now()
    if survey.status != SurveyStatus.LIVE:
        raise campaign_services.CampaignClosedError(_("This survey is closed."))
    campaign_services.campaign_ensure_open(campaign=survey.campaign, now=now)
    if Response.objects.filter(survey=survey, respondent=actor).exists():
        raise AlreadyAnsweredError(_("You have already answered this survey."))
    if survey.is_full:
        raise SurveyFullError(_("This survey is full."))
    code = _free_code(survey) if survey.reward_mode == RewardMode.CODE else None
    if survey.reward_mode == RewardMode.CODE and code is None:
        raise SurveyFullError(_("This survey is full: no discount code is left."))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, respondent=actor, answers=cleaned)
    except IntegrityError as exc:
        raise AlreadyAnsweredError(_("You have already answered this survey.")) from exc
    if code is not None:
        code.response, code.assigned_at = response, now
        code.save(update_fields=["response", "assigned_at"])
    _reward(survey, response, now)
    survey.responses_count += 1
    survey.save(update_fields=["responses_count"])
    campaign_services.campaign_participants_set(
        campaign_id=survey.campaign_id, count=survey.responses_count
    )
    notify_brand(
        campaign=survey.campaign,
        kind=NotificationKind.NEW_RESPONSE,
        text=survey.campaign.title,
        url=reverse("surveys:dashboard", args=[survey.campaign.slug]),
    )
    if survey.is_full:
        _close(survey, now)
    return response


# Award ------------------------------------------------------------------------------------


def award_open(survey: Survey, now: datetime | None = None) -> bool:
    """The brand may still pick the best feedback: live, or closed within the window."""
    now = now or timezone.now()
    if not survey.award or survey.awarded_at:
        return False
    if survey.status == SurveyStatus.LIVE:
        return True
    return survey.status == SurveyStatus.CLOSED and now < survey.closed_at + AWARD_WINDOW


def award_give(*, actor: User, survey: Survey, response_id: int) -> Response:
    """Pay the best-feedback award to one response's author, once (again → 409)."""
    _manage(actor, survey)
    survey = _lock(survey)
    response = (
        Response.objects.filter(pk=response_id, survey=survey).select_related("respondent").first()
    )
    if response is None:
        raise InvalidInput(fields={"response": [_("Pick a response to this survey.")]})
    if not survey.award:
        raise ConflictError(_("This survey has no award."))
    if survey.awarded_at:
        raise ConflictError(_("The award was already given."))
    now = timezone.now()
    if not award_open(survey, now):
        raise ConflictError(_("The time to give the award has passed."))
    ledger.release(
        escrow=_escrow(survey),
        payee=ledger.account_for_user(user=response.respondent, currency=survey.currency),
        amount=survey.award, key=f"{survey.escrow_reference}:award", campaign_kind=KIND,
        memo=_("Best feedback award of %(title)s") % {"title": survey.campaign.title},
    )  # fmt: skip
    response.awarded = True
    response.save(update_fields=["awarded"])
    survey.awarded_at = now
    survey.save(update_fields=["awarded_at"])
    if survey.status == SurveyStatus.CLOSED:
        _settle(survey)
    return response


# Closing ------------------------------------------------------------------------------------


def _close(survey: Survey, now: datetime) -> None:
    """Stop responses and return the unused budget, keeping only an award still to give.
    Runs once: the caller holds the lock and saw the survey live."""
    survey.status, survey.closed_at = SurveyStatus.CLOSED, now
    survey.save(update_fields=["status", "closed_at"])
    campaign_services.campaign_close(campaign_id=survey.campaign_id, now=now, early=True)
    survey.campaign.refresh_from_db()
    escrow = _escrow(survey)
    keep = survey.award if award_open(survey, now) else 0
    if not keep:
        _settle(survey)
        return
    unused = ledger.accounts_lock(account_ids=[escrow.pk])[escrow.pk].balance - keep
    if unused > 0:
        ledger.release(
            escrow=escrow, payee=_brand_wallet(survey), amount=unused,
            key=f"{survey.escrow_reference}:unused",
            memo=_("Unused budget of %(title)s") % {"title": survey.campaign.title},
        )  # fmt: skip


def _settle(survey: Survey) -> None:
    """Give back whatever the escrow still holds; the survey is done."""
    ledger.escrow_return_rest(
        escrow=_escrow(survey), payer=_brand_wallet(survey),
        key=f"{survey.escrow_reference}:rest",
        memo=_("Unused budget of %(title)s") % {"title": survey.campaign.title},
    )  # fmt: skip
    survey.status = SurveyStatus.SETTLED
    survey.save(update_fields=["status"])


def survey_close(*, actor: User, survey: Survey) -> Survey:
    """The brand stops a live survey early."""
    _manage(actor, survey)
    survey = _lock(survey)
    if survey.status != SurveyStatus.LIVE:
        raise ConflictError(_("Only a live survey can be closed."))
    _close(survey, timezone.now())
    return survey


def survey_finish(*, survey_id: int, now: datetime | None = None) -> bool:
    """The job's step for one survey: close it past its deadline or when full, settle it once
    the award is given or its window passed. Idempotent: False when nothing changed."""
    now = now or timezone.now()
    survey = _lock(Survey(pk=survey_id))
    if survey.status == SurveyStatus.LIVE and (survey.is_full or survey.campaign.ends_at <= now):
        _close(survey, now)
        return True
    if survey.status == SurveyStatus.CLOSED and not award_open(survey, now):
        _settle(survey)
        return True
    return False
