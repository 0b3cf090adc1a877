"""Who hears about a tender event, through the community app's notifications (which honour
each person's choices and email after the commit). A delivery must reach the brand: the
milestone pays itself out 14 days later if nobody answers. Each text is a function, so
`notify` writes it in the reader's language."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tolpa.community.models import NotificationKind
from tolpa.community.notify import Text, notify, notify_brand
from tolpa.ledger.money import format_minor
from tolpa.marketplace.models import Contract, Dispute, Milestone, Proposal


def _to_freelancer(contract: Contract, text: Text, url: str = "") -> None:
    notify(
        contract.freelancer, NotificationKind.DEAL, text,
        url or reverse("tenders:contract", args=[contract.pk]),
        campaign=contract.tender.campaign_id,
    )  # fmt: skip


def _to_brand(contract: Contract, text: Text) -> None:
    notify_brand(
        campaign=contract.tender.campaign, kind=NotificationKind.DEAL, text=text,
        url=reverse("tenders:contract", args=[contract.pk]),
    )  # fmt: skip


def new_proposal(proposal: Proposal) -> None:
    def text():
        return ngettext(
            "%(name)s offers %(price)s in %(days)s day",
            "%(name)s offers %(price)s in %(days)s days",
            proposal.days,
        ) % {
            "name": proposal.freelancer.display_name,
            "price": format_minor(proposal.price, proposal.tender.currency),
            "days": proposal.days,
        }

    notify_brand(
        campaign=proposal.tender.campaign, kind=NotificationKind.NEW_PROPOSAL, text=text,
        url=reverse("tenders:proposal", args=[proposal.pk]),
    )  # fmt: skip


def proposal_message(proposal: Proposal, *, from_brand: bool) -> None:
    title = proposal.tender.campaign.title
    url = reverse("tenders:proposal", args=[proposal.pk])
    if from_brand:
        notify(
            proposal.freelancer, NotificationKind.DEAL,
            lambda: _("The brand wrote about your proposal on “%(title)s”") % {"title": title},
            url, campaign=proposal.tender.campaign_id,
        )  # fmt: skip
    else:
        notify_brand(
            campaign=proposal.tender.campaign, kind=NotificationKind.DEAL, url=url,
            text=lambda: _("%(name)s wrote about the proposal on “%(title)s”") % {
                "name": proposal.freelancer.display_name, "title": title,
            },
        )  # fmt: skip


def proposal_declined(proposal: Proposal) -> None:
    def text():
        line = _("Your proposal on “%(title)s” was declined") % {
            "title": proposal.tender.campaign.title
        }
        return f"{line}: {proposal.decline_reason}" if proposal.decline_reason else line

    notify(
        proposal.freelancer, NotificationKind.DEAL, text,
        reverse("tenders:proposal", args=[proposal.pk]), campaign=proposal.tender.campaign_id,
    )  # fmt: skip


def awarded(contract: Contract) -> None:
    _to_freelancer(
        contract,
        lambda: (
            _("Your proposal on “%(title)s” is accepted: the contract is open")
            % {"title": contract.tender.campaign.title}
        ),
    )


def funded(milestone: Milestone) -> None:
    _to_freelancer(
        milestone.contract,
        lambda: (
            _("“%(milestone)s” is funded: %(amount)s held in escrow; you can start")
            % {
                "milestone": milestone.title,
                "amount": format_minor(milestone.amount, milestone.contract.currency),
            }
        ),
    )


def delivered(milestone: Milestone) -> None:
    _to_brand(
        milestone.contract,
        lambda: (
            _("%(name)s delivered “%(milestone)s”; accept it or ask for changes within 14 days")
            % {"name": milestone.contract.freelancer.display_name, "milestone": milestone.title}
        ),
    )


def released(milestone: Milestone, *, automatically: bool) -> None:
    def text():
        if automatically:
            return _(
                "“%(milestone)s” was released automatically after 14 days without an answer"
            ) % {"milestone": milestone.title}
        return _("“%(milestone)s” is accepted and paid") % {"milestone": milestone.title}

    _to_freelancer(milestone.contract, text)
    if automatically:
        _to_brand(milestone.contract, text)


def changes_requested(milestone: Milestone, feedback: str) -> None:
    _to_freelancer(
        milestone.contract,
        lambda: (
            _("Changes requested on “%(milestone)s”: %(feedback)s")
            % {"milestone": milestone.title, "feedback": feedback}
        ),
    )


def dispute_opened(milestone: Milestone, *, by_brand: bool, reason: str) -> None:
    (_to_freelancer if by_brand else _to_brand)(
        milestone.contract,
        lambda: (
            _(
                "A dispute is open on “%(milestone)s”; the escrow is frozen until an operator "
                "decides: %(reason)s"
            )
            % {"milestone": milestone.title, "reason": reason}
        ),
    )


def dispute_decided(milestone: Milestone, dispute: Dispute) -> None:
    currency = milestone.contract.currency

    def text():
        return _(
            "The operator decided the dispute on “%(milestone)s”: %(freelancer)s to the "
            "freelancer, %(brand)s back to the brand"
        ) % {
            "milestone": milestone.title,
            "freelancer": format_minor(dispute.freelancer_amount or 0, currency),
            "brand": format_minor(dispute.brand_amount or 0, currency),
        }

    _to_freelancer(milestone.contract, text)
    _to_brand(milestone.contract, text)
