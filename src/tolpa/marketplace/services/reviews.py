"""Reviews both ways once a contract is completed: one by the brand about the freelancer,
one by the freelancer about the brand (a database constraint). Callers own the transaction."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.marketplace.models import Contract, ContractStatus, Review, ReviewSide
from tolpa.marketplace.services.common import is_brand_member


class AlreadyReviewedError(ConflictError):
    code = "already_reviewed"


def review_side(actor: User, contract: Contract) -> str | None:
    if actor.is_authenticated and actor.pk == contract.freelancer_id:
        return ReviewSide.FREELANCER
    if is_brand_member(actor, contract.organization_id):
        return ReviewSide.BRAND
    return None


def review_leave(*, actor: User, contract: Contract, rating, text: str = "") -> Review:
    side = review_side(actor, contract)
    if side is None:
        raise PermissionDeniedError(_("Only the two sides of the contract review it."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(fields={"rating": [_("Rate from 1 to 5.")]})
    text = (text or "").strip()
    if len(text) > 4000:
        raise InvalidInput(fields={"text": [_("At most 4,000 characters.")]})
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.COMPLETED:
        raise ConflictError(_("Reviews open when the contract is completed."))
    if contract.reviews.filter(side=side).exists():
        raise AlreadyReviewedError(_("Your side has already reviewed this contract."))
    try:
        with transaction.atomic():
            return Review.objects.create(
                contract=contract, side=side, author=actor, rating=rating, text=text
            )
    except IntegrityError as exc:
        raise AlreadyReviewedError(_("Your side has already reviewed this contract.")) from exc
