from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import expire, png_bytes
from tests.marketplace.conftest import (
    FUNDS,
    PRICE,
    award,
    brand_balance,
    call,
    escrow_balance,
    fee_balance,
    milestones,
    propose,
    wallet,
)
from tolpa.campaigns.services import CampaignClosedError
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ledger import services as ledger
from tolpa.marketplace import services
from tolpa.marketplace.models import (
    Contract,
    ContractStatus,
    Milestone,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
    Review,
    Tender,
)

pytestmark = pytest.mark.django_db


# Tenders ------------------------------------------------------------------------------------


def test_tender_is_published_with_budget_skills_and_attachment(make_tender):
    pdf = SimpleUploadedFile("glossary.pdf", b"%PDF-1.4 glossary")
    tender = make_tender(attachments=[pdf])
    assert tender.campaign.status == "live"
    assert tender.campaign.kind == "tender"
    assert sorted(t.name for t in tender.campaign.tags.all()) == ["translation", "vietnamese"]
    assert (tender.budget_min, tender.budget_max, tender.is_fixed) == (30_000, 80_000, False)
    assert [a.kind for a in tender.attachments.all()] == ["pdf"]


def test_fixed_budget_is_one_amount(make_tender):
    tender = make_tender(budget_min=40_000, budget_max=None)
    assert tender.is_fixed
    assert tender.budget_max == 40_000


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"budget_min": 0}, "budget_min"),
        ({"budget_min": 50_000, "budget_max": 10_000}, "budget_max"),
        ({"currency": "XXX"}, "currency"),
        ({"description": "  "}, "description"),
        ({"offer_deadline": timezone.now() - timedelta(hours=1)}, "ends_at"),
        ({"attachments": [SimpleUploadedFile("a.txt", b"plain text")]}, "attachments"),
    ],
)
def test_bad_tender_is_refused_and_nothing_saved(make_tender, fields, field):
    with pytest.raises(InvalidInput) as caught:
        make_tender(**fields)
    assert field in caught.value.fields
    assert not Tender.objects.exists()


def test_only_brand_members_post_tenders(brand, user):
    with pytest.raises(PermissionDeniedError):
        call(services.tender_create, actor=user, organization=brand, title="x", description="y",
             currency="USD", budget_min=100, offer_deadline=timezone.now() + timedelta(days=1))  # fmt: skip


# Proposals -----------------------------------------------------------------------------------


def test_proposal_is_counted_and_can_be_edited_and_withdrawn(make_tender, freelancer):
    tender = make_tender()
    proposal = propose(tender, freelancer)
    tender.refresh_from_db()
    assert tender.proposals_count == 1
    call(services.proposal_edit, actor=freelancer, proposal=proposal, price=45_000, days=8,
         cover_letter="Cheaper and faster.", portfolio_links=[])  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.price, proposal.days) == (45_000, 8)
    call(services.proposal_withdraw, actor=freelancer, proposal=proposal)
    tender.refresh_from_db()
    assert tender.proposals_count == 0
    again = propose(tender, freelancer)  # after withdrawing one may send a new one
    assert again.pk != proposal.pk


def test_proposal_on_own_tender_is_refused(make_tender, owner, organization, make_user):
    tender = make_tender()
    manager = make_user()
    organization.memberships.create(user=manager, role="manager")
    for person in (owner, manager):
        with pytest.raises(PermissionDeniedError, match="own brand"):
            propose(tender, person)
    assert not Proposal.objects.exists()


def test_proposal_after_offer_deadline_is_refused(make_tender, freelancer):
    tender = make_tender()
    expire(tender.campaign)
    with pytest.raises(CampaignClosedError, match="deadline for offers"):
        propose(tender, freelancer)
    assert not Proposal.objects.exists()


def test_edit_and_withdraw_after_deadline_are_refused(make_tender, freelancer):
    tender = make_tender()
    proposal = propose(tender, freelancer)
    expire(tender.campaign)
    with pytest.raises(CampaignClosedError):
        call(services.proposal_edit, actor=freelancer, proposal=proposal, price=1, days=1,
             cover_letter="late")  # fmt: skip
    with pytest.raises(CampaignClosedError):
        call(services.proposal_withdraw, actor=freelancer, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.price, proposal.status) == (PRICE, ProposalStatus.SUBMITTED)


def test_second_live_proposal_is_refused(make_tender, freelancer):
    tender = make_tender()
    propose(tender, freelancer)
    with pytest.raises(services.AlreadyProposedError):
        propose(tender, freelancer)
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"price": 0}, "price"),
        ({"price": "12"}, "price"),
        ({"days": 0}, "days"),
        ({"cover_letter": " "}, "cover_letter"),
        ({"portfolio_links": ["javascript:alert(1)"]}, "portfolio_links"),
    ],
)
def test_bad_proposal_terms_are_refused(make_tender, freelancer, terms, field):
    tender = make_tender()
    options = {"price": 100, "days": 3, "cover_letter": "Hi", "portfolio_links": [], **terms}
    with pytest.raises(InvalidInput) as caught:
        call(services.proposal_submit, actor=freelancer, tender=tender, **options)
    assert field in caught.value.fields
    assert not Proposal.objects.exists()


def test_only_the_author_edits_and_only_the_brand_shortlists(make_tender, freelancer, owner, user):
    proposal = propose(make_tender(), freelancer)
    with pytest.raises(PermissionDeniedError):
        call(services.proposal_withdraw, actor=user, proposal=proposal)
    with pytest.raises(PermissionDeniedError):
        call(services.proposal_shortlist, actor=freelancer, proposal=proposal, shortlisted=True)
    call(services.proposal_shortlist, actor=owner, proposal=proposal, shortlisted=True)
    proposal.refresh_from_db()
    assert proposal.shortlisted


def test_private_thread_is_brand_and_author_only(make_tender, freelancer, owner, user):
    proposal = propose(make_tender(), freelancer)
    question = call(services.message_post, actor=owner, proposal=proposal, body="Do you know SEO?")
    answer = call(services.message_post, actor=freelancer, proposal=proposal, body="Yes.")
    assert (question.from_brand, answer.from_brand) == (True, False)
    with pytest.raises(PermissionDeniedError):
        call(services.message_post, actor=user, proposal=proposal, body="Me too")
    with pytest.raises(InvalidInput):
        call(services.message_post, actor=owner, proposal=proposal, body=" ")
    assert proposal.messages.count() == 2


# Award and milestones -----------------------------------------------------------------------------


def test_award_makes_a_contract_with_one_milestone_by_default(make_tender, freelancer, owner):
    proposal = propose(make_tender(), freelancer, days=12)
    contract = award(owner, proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWARDED
    assert (contract.price, contract.freelancer, contract.status) == (PRICE, freelancer, "active")
    (only,) = milestones(contract)
    assert (only.amount, only.status) == (PRICE, MilestoneStatus.PENDING)
    assert only.due_date == timezone.now().date() + timedelta(days=12)


def test_several_proposals_can_be_awarded_but_each_once(make_tender, freelancer, owner, user):
    tender = make_tender()
    first, second = propose(tender, freelancer), propose(tender, user, price=30_000)
    award(owner, first)
    award(owner, second)
    assert Contract.objects.filter(tender=tender).count() == 2
    with pytest.raises(ConflictError):
        award(owner, first)
    assert Contract.objects.count() == 2


def test_award_after_the_deadline_is_allowed_but_not_of_a_withdrawn_proposal(
    make_tender, freelancer, owner, user
):
    tender = make_tender()
    kept, withdrawn = propose(tender, freelancer), propose(tender, user)
    call(services.proposal_withdraw, actor=user, proposal=withdrawn)
    expire(tender.campaign)
    award(owner, kept)
    with pytest.raises(ConflictError):
        award(owner, withdrawn)


def test_only_the_brand_awards(make_tender, freelancer, user):
    proposal = propose(make_tender(), freelancer)
    with pytest.raises(PermissionDeniedError):
        award(user, proposal)
    assert not Contract.objects.exists()


def test_milestones_exceeding_the_contract_are_refused(make_tender, freelancer, owner, contract):
    due = timezone.now().date() + timedelta(days=3)
    with pytest.raises(InvalidInput, match="more than the contract"):
        call(services.milestone_add, actor=owner, contract=contract, title="Extra", amount=1,
             due_date=due)  # fmt: skip
    assert contract.milestones.count() == 2
    proposal = propose(make_tender(title="Another job"), freelancer)
    with pytest.raises(InvalidInput, match="more than the contract"):
        award(owner, proposal, [{"title": "All", "amount": PRICE + 1, "due_date": due}])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert Contract.objects.count() == 1


def test_milestone_can_be_added_up_to_the_price_and_removed_while_pending(
    owner, freelancer, make_tender
):
    proposal = propose(make_tender(), freelancer)
    due = timezone.now().date() + timedelta(days=3)
    contract = award(owner, proposal, [{"title": "Part 1", "amount": 10_000, "due_date": due}])
    added = call(services.milestone_add, actor=owner, contract=contract, title="Part 2",
                 amount=PRICE - 10_000, due_date=due)  # fmt: skip
    assert added.position == 2
    with pytest.raises(PermissionDeniedError):
        call(services.milestone_add, actor=freelancer, contract=contract, title="x", amount=1,
             due_date=due)  # fmt: skip
    call(services.milestone_remove, actor=owner, milestone=added)
    assert contract.milestones.count() == 1


def test_fund_holds_once(contract, owner, brand):
    first, _second = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=first)
    call(services.milestone_fund, actor=owner, milestone=first)
    first.refresh_from_db()
    assert first.status == MilestoneStatus.FUNDED
    assert escrow_balance(first) == 20_000
    assert brand_balance(brand) == FUNDS - 20_000


def test_fund_without_money_is_refused(make_tender, owner, brand, freelancer):
    proposal = propose(make_tender(budget_min=1, budget_max=10**9), freelancer, price=FUNDS + 1)
    contract = award(owner, proposal)
    (only,) = milestones(contract)
    with pytest.raises(ledger.InsufficientFundsError, match="Not enough money"):
        call(services.milestone_fund, actor=owner, milestone=only)
    only.refresh_from_db()
    assert only.status == MilestoneStatus.PENDING
    assert brand_balance(brand) == FUNDS


def test_accepting_an_unfunded_milestone_is_refused(contract, owner, brand, freelancer):
    first, _second = milestones(contract)
    with pytest.raises(services.MilestoneNotFundedError, match="not funded"):
        call(services.milestone_accept, actor=owner, milestone=first)
    first.refresh_from_db()
    assert first.status == MilestoneStatus.PENDING
    assert (brand_balance(brand), wallet(freelancer)) == (FUNDS, 0)


def test_deliver_accept_pays_less_fee_and_completes(contract, owner, freelancer, brand):
    fees_before = fee_balance()
    for milestone in milestones(contract):
        call(services.milestone_fund, actor=owner, milestone=milestone)
        delivery = call(services.milestone_deliver, actor=freelancer, milestone=milestone,
                        message="Done", upload=SimpleUploadedFile("shot.png", png_bytes()))  # fmt: skip
        assert delivery.file_name == "shot.png"
        call(services.milestone_accept, actor=owner, milestone=milestone)
    assert wallet(freelancer) == PRICE - PRICE // 10
    assert fee_balance() - fees_before == PRICE // 10
    assert brand_balance(brand) == FUNDS - PRICE
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED


def test_deliver_needs_funding_and_the_freelancer(contract, owner, freelancer, user):
    first, _second = milestones(contract)
    with pytest.raises(services.MilestoneNotFundedError):
        call(services.milestone_deliver, actor=freelancer, milestone=first, message="Early")
    call(services.milestone_fund, actor=owner, milestone=first)
    with pytest.raises(PermissionDeniedError):
        call(services.milestone_deliver, actor=user, milestone=first, message="Not mine")
    with pytest.raises(InvalidInput):
        call(services.milestone_deliver, actor=freelancer, milestone=first, message="x",
             upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00"))  # fmt: skip
    assert not first.deliveries.exists()


def test_request_changes_then_redeliver(contract, owner, freelancer):
    first, _second = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=first)
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="v1")
    call(services.milestone_request_changes, actor=owner, milestone=first, feedback="Fix typos")
    first.refresh_from_db()
    assert (first.status, first.delivered_at) == (MilestoneStatus.FUNDED, None)
    assert first.deliveries.get().answer == "changes"
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="v2")
    call(services.milestone_accept, actor=owner, milestone=first)
    assert [d.answer for d in first.deliveries.order_by("pk")] == ["changes", "accepted"]


# Auto-release ---------------------------------------------------------------------------------


def _delivered(contract, owner, freelancer) -> Milestone:
    first = milestones(contract)[0]
    call(services.milestone_fund, actor=owner, milestone=first)
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="Done")
    first.refresh_from_db()
    return first


def test_auto_release_after_fourteen_days_once(contract, owner, freelancer):
    first = _delivered(contract, owner, freelancer)
    soon = first.delivered_at + timedelta(days=13, hours=23)
    assert not call(services.milestone_auto_release, milestone_id=first.pk, now=soon)
    later = first.delivered_at + timedelta(days=14)
    assert call(services.milestone_auto_release, milestone_id=first.pk, now=later)
    assert not call(services.milestone_auto_release, milestone_id=first.pk, now=later)
    first.refresh_from_db()
    assert (first.status, first.auto_released) == (MilestoneStatus.RELEASED, True)
    assert wallet(freelancer) == 20_000 - 2_000


def test_auto_release_skips_disputed(contract, owner, freelancer):
    first = _delivered(contract, owner, freelancer)
    call(services.dispute_open, actor=owner, milestone=first, reason="Not what we asked for")
    later = timezone.now() + timedelta(days=30)
    assert list(services.auto_release_due(now=later)) == []
    assert not call(services.milestone_auto_release, milestone_id=first.pk, now=later)
    assert escrow_balance(first) == 20_000
    assert wallet(freelancer) == 0


# Disputes -------------------------------------------------------------------------------------


def test_dispute_freezes_and_operator_splits(contract, owner, freelancer, operator, brand):
    first = _delivered(contract, owner, freelancer)
    call(services.dispute_open, actor=freelancer, milestone=first, reason="They went silent")
    with pytest.raises(services.MilestoneFrozenError):
        call(services.milestone_accept, actor=owner, milestone=first)
    with pytest.raises(PermissionDeniedError):
        call(services.dispute_decide, actor=owner, milestone=first, decision="refund")
    with pytest.raises(InvalidInput, match="add up"):
        call(services.dispute_decide, actor=operator, milestone=first, decision="split",
             freelancer_amount=5_000, brand_amount=5_000)  # fmt: skip
    dispute = call(services.dispute_decide, actor=operator, milestone=first, decision="split",
                   freelancer_amount=15_000, brand_amount=5_000, note="Mostly done")  # fmt: skip
    assert (dispute.freelancer_amount, dispute.brand_amount) == (15_000, 5_000)
    first.refresh_from_db()
    assert first.status == MilestoneStatus.SPLIT
    assert escrow_balance(first) == 0
    assert wallet(freelancer) == 15_000 - 1_500
    assert brand_balance(brand) == FUNDS - 15_000
    with pytest.raises(ConflictError):
        call(services.dispute_decide, actor=operator, milestone=first, decision="refund")


def test_dispute_refund_and_only_funded_milestones(contract, owner, freelancer, operator, user):
    first, second = milestones(contract)
    with pytest.raises(ConflictError):
        call(services.dispute_open, actor=owner, milestone=second, reason="Unfunded")
    call(services.milestone_fund, actor=owner, milestone=first)
    with pytest.raises(PermissionDeniedError):
        call(services.dispute_open, actor=user, milestone=first, reason="Stranger")
    call(services.dispute_open, actor=owner, milestone=first, reason="No work")
    with pytest.raises(ConflictError):
        call(services.dispute_open, actor=freelancer, milestone=first, reason="Again")
    call(services.dispute_decide, actor=operator, milestone=first, decision="refund")
    first.refresh_from_db()
    assert (first.status, first.refunded_amount) == (MilestoneStatus.REFUNDED, 20_000)


# Reviews --------------------------------------------------------------------------------------


def test_reviews_both_ways_after_completion(make_tender, owner, freelancer, user):
    contract = award(owner, propose(make_tender(), freelancer))
    with pytest.raises(ConflictError, match="completed"):
        call(services.review_leave, actor=owner, contract=contract, rating=5)
    (only,) = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=only)
    call(services.milestone_accept, actor=owner, milestone=only)
    call(services.review_leave, actor=owner, contract=contract, rating=5, text="Great work")
    call(services.review_leave, actor=freelancer, contract=contract, rating=4, text="Clear brief")
    with pytest.raises(services.AlreadyReviewedError):
        call(services.review_leave, actor=owner, contract=contract, rating=1)
    with pytest.raises(PermissionDeniedError):
        call(services.review_leave, actor=user, contract=contract, rating=1)
    with pytest.raises(InvalidInput):
        call(services.review_leave, actor=freelancer, contract=contract, rating=6)
    assert sorted(Review.objects.values_list("side", "rating")) == [("brand", 5), ("freelancer", 4)]
