"""What the tender services share: the campaign kind, who is who on a tender or contract,
the row locks (contract first, then the milestone, then the ledger's accounts, so two
writers never deadlock) and the ledger accounts of a milestone."""

from django.utils.translation import gettext as _

from tolpa.accounts.models import Organization, User
from tolpa.errors import NotFoundError, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.marketplace.models import Contract, Milestone

KIND = "tender"


def is_brand_member(actor: User, organization: Organization | int) -> bool:
    organization_id = getattr(organization, "pk", organization)
    return (
        actor.is_authenticated
        and actor.memberships.filter(organization_id=organization_id).exists()
    )


def is_operator(actor: User) -> bool:
    return actor.is_authenticated and actor.is_staff


def require_freelancer(actor: User, contract: Contract) -> None:
    if not actor.is_authenticated or actor.pk != contract.freelancer_id:
        raise PermissionDeniedError(_("Only the freelancer of this contract may do this."))


def require_brand(actor: User, contract: Contract) -> None:
    if not is_brand_member(actor, contract.organization_id):
        raise PermissionDeniedError(_("Only the brand of this contract may do this."))


def contract_lock(contract_id: int) -> Contract:
    contract = Contract.objects.select_for_update().filter(pk=contract_id).first()
    if contract is None:
        raise NotFoundError()
    return contract


def milestone_lock(milestone_id: int) -> Milestone:
    """The milestone and its contract, both locked (contract first)."""
    contract_id = (
        Milestone.objects.filter(pk=milestone_id).values_list("contract_id", flat=True).first()
    )
    if contract_id is None:
        raise NotFoundError()
    contract = contract_lock(contract_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone_id)
    milestone.contract = contract
    return milestone


def escrow_of(milestone: Milestone):
    return ledger.account_escrow(
        reference=milestone.escrow_reference, currency=milestone.contract.currency
    )


def brand_wallet(contract: Contract):
    return ledger.account_for_organization(
        organization=contract.organization, currency=contract.currency
    )


def freelancer_wallet(contract: Contract):
    return ledger.account_for_user(user=contract.freelancer, currency=contract.currency)
