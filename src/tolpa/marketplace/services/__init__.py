"""Tender writes, one module per step of the deal; every name is re-exported here so callers
write `services.proposal_submit(...)`."""

from tolpa.marketplace.services.common import KIND, is_brand_member, is_operator
from tolpa.marketplace.services.contracts import (
    AUTO_RELEASE_AFTER,
    MilestoneFrozenError,
    MilestoneNotFundedError,
    auto_release_due,
    milestone_accept,
    milestone_add,
    milestone_auto_release,
    milestone_deliver,
    milestone_fund,
    milestone_remove,
    milestone_request_changes,
    proposal_award,
)
from tolpa.marketplace.services.disputes import dispute_decide, dispute_open
from tolpa.marketplace.services.proposals import (
    AlreadyProposedError,
    message_post,
    proposal_decline,
    proposal_edit,
    proposal_shortlist,
    proposal_submit,
    proposal_withdraw,
    submit_problem,
)
from tolpa.marketplace.services.reviews import AlreadyReviewedError, review_leave, review_side
from tolpa.marketplace.services.tenders import tender_close, tender_create, tender_publish

__all__ = [
    "AUTO_RELEASE_AFTER",
    "KIND",
    "AlreadyProposedError",
    "AlreadyReviewedError",
    "MilestoneFrozenError",
    "MilestoneNotFundedError",
    "auto_release_due",
    "dispute_decide",
    "dispute_open",
    "is_brand_member",
    "is_operator",
    "message_post",
    "milestone_accept",
    "milestone_add",
    "milestone_auto_release",
    "milestone_deliver",
    "milestone_fund",
    "milestone_remove",
    "milestone_request_changes",
    "proposal_award",
    "proposal_decline",
    "proposal_edit",
    "proposal_shortlist",
    "proposal_submit",
    "proposal_withdraw",
    "review_leave",
    "review_side",
    "submit_problem",
    "tender_close",
    "tender_create",
    "tender_publish",
]
