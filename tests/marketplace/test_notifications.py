"""Both sides of a tender hear about each step: the brand of proposals (batched per tender)
and deliveries, the freelancer of the award, funding, answers and money; a dispute reaches
the other side, its decision both."""

from datetime import timedelta

import pytest
from django.core import mail

from tests.marketplace.conftest import call, milestones, propose
from tolpa.community.models import Notification, NotificationKind
from tolpa.marketplace import services

pytestmark = pytest.mark.django_db


def texts(person, kind=NotificationKind.DEAL) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, kind=kind)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_proposals_reach_the_brand_in_one_batch(make_tender, owner, freelancer, make_user):
    tender = make_tender()
    propose(tender, freelancer, price=45_000, days=9)
    propose(tender, make_user(display_name="Second Bidder"))
    batch = Notification.objects.get(recipient=owner, kind=NotificationKind.NEW_PROPOSAL)
    assert batch.count == 2
    assert batch.text.startswith("Second Bidder offers 500.00")
    assert not Notification.objects.filter(recipient=freelancer).exists()


def test_each_step_of_a_contract_tells_the_other_side(
    contract, owner, freelancer, operator, django_capture_on_commit_callbacks
):
    first, second = milestones(contract)
    assert texts(freelancer) == [
        "Your proposal on “Translate our site into Vietnamese” is accepted: the contract is open"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call(services.milestone_fund, actor=owner, milestone=first)
    assert "“First half” is funded: 200.00" in texts(freelancer)[-1]
    assert mail.outbox[-1].to == [freelancer.email]
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="Pages 1-20")
    assert texts(owner)[-1].startswith("Fay Freelancer delivered “First half”")
    call(services.milestone_request_changes, actor=owner, milestone=first, feedback="Fix typos")
    assert texts(freelancer)[-1] == "Changes requested on “First half”: Fix typos"
    call(services.milestone_deliver, actor=freelancer, milestone=first, message="Fixed")
    call(services.milestone_accept, actor=owner, milestone=first)
    assert texts(freelancer)[-1] == "“First half” is accepted and paid"

    call(services.milestone_fund, actor=owner, milestone=second)
    call(services.milestone_deliver, actor=freelancer, milestone=second, message="Pages 21-40")
    second.refresh_from_db()
    later = second.delivered_at + timedelta(days=14)
    call(services.milestone_auto_release, milestone_id=second.pk, now=later)
    automatic = "“Second half” was released automatically after 14 days without an answer"
    assert texts(freelancer)[-1] == automatic
    assert texts(owner)[-1] == automatic


def test_disputes_reach_the_other_side_and_the_decision_both(contract, owner, freelancer, operator):
    first, _second = milestones(contract)
    call(services.milestone_fund, actor=owner, milestone=first)
    before = len(texts(owner))
    call(services.dispute_open, actor=freelancer, milestone=first, reason="No answer for weeks")
    assert texts(owner)[-1].endswith("decides: No answer for weeks")
    assert len(texts(freelancer)) == 2
    call(services.dispute_decide, actor=operator, milestone=first, decision="split",
         freelancer_amount=15_000, brand_amount=5_000)  # fmt: skip
    decided = "150.00 USD to the freelancer, 50.00 USD back to the brand"
    assert texts(owner)[-1].endswith(decided)
    assert texts(freelancer)[-1].endswith(decided)
    assert len(texts(owner)) == before + 2


def test_private_thread_messages_reach_the_other_side(make_tender, owner, freelancer):
    proposal = propose(make_tender(), freelancer)
    call(services.message_post, actor=owner, proposal=proposal, body="Can you start Monday?")
    assert texts(freelancer)[-1].startswith("The brand wrote about your proposal")
    call(services.message_post, actor=freelancer, proposal=proposal, body="Yes")
    assert texts(owner)[-1].startswith("Fay Freelancer wrote about the proposal")
