"""The public vote, the brand's dashboard (review, finalists, winners) and the handover
pages."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.contests.conftest import end_stage, org_balance, page_text, page_url, png, user_balance
from tolpa.contests import services
from tolpa.contests.models import (
    Award,
    Entry,
    PairVote,
    Poll,
    Vote,
)

pytestmark = pytest.mark.django_db


# The vote ----------------------------------------------------------------------------------


@pytest.fixture
def voting(contest, designer, enter, poll_on):
    alice, bob = designer(display_name="Alice"), designer(display_name="Bob")
    entry_a, entry_b = enter(contest, alice, title="A"), enter(contest, bob, title="B")
    poll = poll_on(contest)
    return contest, poll, alice, entry_a, entry_b


def test_vote_through_the_widget(client, voting, make_user, owner):
    contest, _poll, _alice, entry_a, _entry_b = voting
    voter = make_user()
    client.force_login(voter)
    page = page_text(client, page_url("detail", contest))
    assert "Vote for #1" in page
    assert "Counts are hidden until the vote closes." in page
    response = client.post(page_url("vote", contest), {"entry": entry_a.pk})
    assert response.url == page_url("detail", contest) + "#vote"
    assert Vote.objects.get().entry == entry_a
    assert "You voted for #1." in page_text(client, page_url("detail", contest))
    again = client.post(page_url("vote", contest), {"entry": entry_a.pk})
    assert again.status_code == 409
    assert "You have already voted in this poll." in again.content.decode()
    assert Vote.objects.count() == 1
    client.force_login(owner)
    assert 'id="poll-results"' in page_text(client, page_url("dashboard", contest))


def test_vote_on_own_entry_is_refused(client, voting):
    contest, _poll, alice, entry_a, _entry_b = voting
    client.force_login(alice)
    assert "Vote for #1" not in page_text(client, page_url("detail", contest))
    response = client.post(page_url("vote", contest), {"entry": entry_a.pk})
    assert response.status_code == 403
    assert "You cannot vote for your own entry." in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_on_a_closed_poll_is_refused(client, voting, make_user):
    contest, poll, _alice, entry_a, _entry_b = voting
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(make_user())
    page = page_text(client, page_url("detail", contest))
    assert "The vote is closed." in page
    assert "Vote for #1" not in page
    assert 'id="poll-results"' in page  # hidden counts show once the poll closes
    response = client.post(page_url("vote", contest), {"entry": entry_a.pk})
    assert response.status_code == 409
    assert "This vote is closed." in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("data", [{}, {"entry": "x"}, {"entry": "999999"}, {"entry": "9" * 30}])
def test_bad_vote_input(client, voting, make_user, data):
    contest = voting[0]
    client.force_login(make_user())
    response = client.post(page_url("vote", contest), data)
    assert response.status_code in (400, 422)
    assert not Vote.objects.exists()


def test_vote_without_a_poll_is_404(client, contest, make_user):
    client.force_login(make_user())
    assert client.post(page_url("vote", contest), {"entry": 1}).status_code == 404


def test_pairwise_vote(client, contest, designer, enter, poll_on, make_user, owner):
    entries = [enter(contest, designer(), title=name) for name in ("A", "B", "C")]
    poll_on(contest, pairwise=True, hide_counts=False)
    client.force_login(make_user())
    page = page_text(client, page_url("detail", contest))
    assert page.count("is better</button>") == 2
    response = client.post(
        page_url("pair_vote", contest), {"winner": entries[0].pk, "loser": entries[1].pk}
    )
    assert response.status_code == 302
    vote = PairVote.objects.get()
    assert (vote.winner_id, vote.low_id, vote.high_id) == (
        entries[0].pk,
        entries[0].pk,
        entries[1].pk,
    )
    same = client.post(
        page_url("pair_vote", contest), {"winner": entries[1].pk, "loser": entries[0].pk}
    )
    assert same.status_code == 409
    assert PairVote.objects.count() == 1
    # Results need tolpa.aggregation.bradley_terry; without it the page says so, never a 500.
    client.force_login(owner)
    assert client.get(page_url("dashboard", contest)).status_code == 200


# The dashboard ---------------------------------------------------------------------------------


def test_dashboard_charts_compare_and_poll_form(client, contest, owner, designer, enter):
    for _ in range(3):
        enter(contest, designer())
    client.force_login(owner)
    page = page_text(client, page_url("dashboard", contest))
    assert page.count('<svg class="chart"') == 2
    assert 'id="poll-form"' in page
    assert 'id="compare-form"' in page
    compared = page_text(client, page_url("dashboard", contest) + "?compare=1,3")
    assert 'id="compare"' in compared
    assert (
        page_text(client, page_url("dashboard", contest) + "?compare=1&compare=2").count(
            'class="entry-card"'
        )
        == 2
    )
    huge = page_text(client, page_url("dashboard", contest) + "?compare=1," + "9" * 5000)
    assert "Pick 2 to 4 entries to compare." in huge
    single = page_text(client, page_url("dashboard", contest) + "?compare=1")
    assert "Pick 2 to 4 entries to compare." in single
    assert 'id="compare"' not in single


def test_brand_opens_a_vote_from_the_dashboard(client, contest, owner, designer, enter):
    entries = [enter(contest, designer()) for _ in range(3)]
    client.force_login(owner)
    form = {"action": "poll", "entries": "shortlisted", "days": "3", "min_account_age_days": "0"}
    refused = client.post(page_url("dashboard", contest), form)
    assert "Shortlist entries first" in refused.content.decode()
    assert not Poll.objects.exists()
    too_long = client.post(page_url("dashboard", contest), {**form, "entries": "all", "days": "30"})
    assert "less than or equal to 14" in too_long.content.decode()
    with transaction.atomic():
        for entry in entries[:2]:
            services.entry_review(actor=owner, entry=entry, shortlisted=True)
    client.post(page_url("dashboard", contest), {**form, "hide_counts": "on"})
    poll = Poll.objects.get()
    assert sorted(poll.entries.values_list("number", flat=True)) == [1, 2]
    assert poll.hide_counts
    assert not poll.pairwise


def test_finalists_then_winners(client, make_contest, owner, designer, enter):
    contest = make_contest(finalists_max=2)
    entries = [enter(contest, designer()) for _ in range(3)]
    end_stage(contest)
    client.force_login(owner)
    too_many = client.post(
        page_url("dashboard", contest), {"action": "finalists", "entries": [e.pk for e in entries]}
    )
    assert "Choose 1 to 2 finalists." in too_many.content.decode()
    client.post(
        page_url("dashboard", contest),
        {"action": "finalists", "entries": [entries[0].pk, entries[2].pk]},
    )
    contest.refresh_from_db()
    assert contest.stage == "finalists"
    assert set(Entry.objects.filter(finalist=True).values_list("number", flat=True)) == {1, 3}
    end_stage(contest)
    page = page_text(client, page_url("dashboard", contest))
    assert f'value="{entries[1].pk}"' not in page.split('id="winners-form"')[1]  # not a finalist


def test_brand_picks_winners(client, contest, owner, designer, enter):
    entries = [enter(contest, designer(), title=t) for t in ("Sun", "Moon", "Star")]
    client.force_login(owner)
    end_stage(contest)
    same = client.post(
        page_url("dashboard", contest),
        {"action": "winners", "place_1": entries[0].pk, "place_2": entries[0].pk},
    )
    assert "An entry wins one prize." in same.content.decode()
    missing = client.post(
        page_url("dashboard", contest), {"action": "winners", "place_1": entries[0].pk}
    )
    assert "This field is required." in missing.content.decode()
    assert not Award.objects.exists()
    client.post(
        page_url("dashboard", contest),
        {"action": "winners", "place_1": entries[1].pk, "place_2": entries[0].pk},
    )
    assert list(Award.objects.values_list("place", "entry__title", "amount")) == [
        (1, "Moon", 30_000), (2, "Sun", 10_000)
    ]  # fmt: skip
    client.logout()
    winners = page_text(client, page_url("winners", contest))
    assert "Moon" in winners
    assert "Sun" in winners
    assert "remains its author" in winners
    detail = page_text(client, page_url("detail", contest))
    assert detail.count("this entry remains its author's property") == 1  # Star only


def test_winners_cannot_be_picked_during_the_entry_period(client, contest, owner, designer, enter):
    entry = enter(contest, designer())
    client.force_login(owner)
    assert 'id="winners-form"' not in page_text(client, page_url("dashboard", contest))
    response = client.post(
        page_url("dashboard", contest),
        {"action": "winners", "place_1": entry.pk, "place_2": entry.pk},
    )
    assert response.status_code == 200
    assert not Award.objects.exists()


def test_brief_update_reaches_the_entrants(client, contest, owner, designer, enter):
    alice = designer()
    enter(contest, alice)
    client.force_login(owner)
    blank = client.post(page_url("dashboard", contest), {"action": "update", "body": ""})
    assert "This field is required." in blank.content.decode()
    client.post(
        page_url("dashboard", contest), {"action": "update", "body": "Prefer **round** shapes"}
    )
    client.force_login(alice)
    assert "<strong>round</strong>" in page_text(client, page_url("detail", contest))


def test_refund_needs_confirmation_and_returns_the_prizes(
    client, contest, owner, funded_organization, designer, enter
):
    enter(contest, designer())
    before = org_balance(funded_organization)
    client.force_login(owner)
    assert "loses the right to use any entry" in page_text(client, page_url("dashboard", contest))
    unconfirmed = client.post(page_url("dashboard", contest), {"action": "refund"})
    assert "Confirm that you give up the right" in unconfirmed.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "entry"
    client.post(page_url("dashboard", contest), {"action": "refund", "confirm": "on"})
    contest.refresh_from_db()
    assert contest.stage == "refunded"
    assert org_balance(funded_organization) == before + 40_000
    assert "this entry remains its author's property" in page_text(
        client, page_url("detail", contest)
    )


def test_guaranteed_contest_offers_no_refund(client, make_contest, owner):
    contest = make_contest(guaranteed=True)
    client.force_login(owner)
    assert 'id="refund-form"' not in page_text(client, page_url("dashboard", contest))
    response = client.post(page_url("dashboard", contest), {"action": "refund", "confirm": "on"})
    assert "A guaranteed prize cannot be refunded." in response.content.decode()
    contest.refresh_from_db()
    assert contest.stage == "entry"


def test_unknown_dashboard_action_changes_nothing(client, contest, owner):
    client.force_login(owner)
    assert client.post(page_url("dashboard", contest), {"action": "explode"}).status_code == 302


# The handover ------------------------------------------------------------------------------------


def test_handover_pays_the_winner_once_both_accept(
    client, make_contest, owner, designer, enter, pick, make_user
):
    contest = make_contest(prizes=[30_000])
    alice = designer()
    entry = enter(contest, alice)
    (award,) = pick(contest, entry)
    url = page_url("award", contest, award.pk)

    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.get(page_url("award", contest, 10**30)).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url).url

    client.force_login(owner)
    assert "Waiting for the winner's final files." in page_text(client, url)
    brand_upload = client.post(url, {"action": "upload", "files": [png("final.png")]})
    assert brand_upload.status_code == 403
    early = client.post(url, {"action": "accept"})
    assert "The winner uploads the final files first." in early.content.decode()

    client.force_login(alice)
    empty = client.post(url, {"action": "upload"})
    assert "This field is required." in empty.content.decode()
    client.post(url, {"action": "upload", "files": [png("final.png"), png("mark.png", (32, 32))]})
    deliverables = list(award.deliverables.order_by("pk"))
    page = page_text(client, url)
    assert all(d.sha256 in page for d in deliverables)
    assert "Preview: the text is fixed" in page
    assert "IP transfer agreement" in page
    client.post(url, {"action": "accept"})
    award.refresh_from_db()
    assert award.winner_accepted_at
    assert award.agreement_text
    assert 'id="deliverable-form"' not in page_text(client, url)

    client.force_login(owner)
    client.post(url, {"action": "accept"})
    award.refresh_from_db()
    assert award.status == "paid"
    assert user_balance(alice) == 30_000 * 85 // 100
    page = page_text(client, url)
    assert "Prize paid" in page
    assert "Brand Owner" in page
    assert "Prize paid" in page_text(client, page_url("dashboard", contest))
    client.post(url, {"action": "accept"})
    assert user_balance(alice) == 30_000 * 85 // 100
