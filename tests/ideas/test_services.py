import pytest
from django.db import transaction

from tests.ideas.conftest import move_to, png
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ideas import merging, reviews, screening, services
from tolpa.ideas.models import Follow, Idea, IdeaStatus, Stage, Vote

pytestmark = pytest.mark.django_db


def test_stage_follows_the_dates_without_a_job(challenge):
    assert challenge.stage() == Stage.SUBMISSION
    for stage in ("review", "voting", "decision"):
        assert move_to(challenge, stage).stage() == stage
    assert challenge.campaign.ends_at < challenge.campaign.ends_at.now(
        challenge.campaign.ends_at.tzinfo
    )


def test_stage_dates_must_be_in_order(make_challenge):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(InvalidInput) as exc:
        make_challenge(review_ends_at=now + timedelta(days=1))
    assert "review_ends_at" in exc.value.fields


def test_bad_domains_and_weights_are_refused(make_challenge):
    with pytest.raises(InvalidInput) as exc:
        make_challenge(audience="internal", allowed_domains="acme.com, not a domain!")
    assert "allowed_domains" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        make_challenge(criteria=[("Impact", 11)])
    assert "criteria" in exc.value.fields


def test_domains_are_normalised(make_challenge):
    challenge = make_challenge(
        audience="internal", allowed_domains="@Acme.com; acme.co.uk acme.com"
    )
    assert challenge.domains == ["acme.com", "acme.co.uk"]


def test_ideas_are_numbered_and_only_submitted_during_submission(challenge, user, post_idea):
    first = post_idea(challenge, user)
    second = post_idea(challenge, user, title="Paper bags")
    assert (first.number, second.number) == (1, 2)
    assert first.status_changes.get().status == IdeaStatus.NEW
    move_to(challenge, "review")
    with pytest.raises(ConflictError):
        post_idea(challenge, user, title="Late")
    assert Idea.objects.count() == 2


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("", "text", "title"), ("x" * 161, "text", "title"), ("ok", "", "body"),
     ("ok", "   ", "body"), ("ok", "x" * 1_048_576, "body")],
)  # fmt: skip
def test_bad_idea_text_is_refused(challenge, user, post_idea, title, body, field):
    with pytest.raises(InvalidInput) as exc:
        post_idea(challenge, user, title=title, body=body)
    assert field in exc.value.fields
    assert not Idea.objects.exists()


def test_attachments_checked_by_content(challenge, user, post_idea):
    from django.core.files.uploadedfile import SimpleUploadedFile

    idea = post_idea(
        challenge, user, attachments=[png(), SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n...")]
    )
    assert sorted(idea.attachments.values_list("kind", flat=True)) == ["image", "pdf"]
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image at all")
    with pytest.raises(InvalidInput) as exc:
        post_idea(challenge, user, title="Other", attachments=[fake])
    assert "PDF" in exc.value.fields["attachments"][0]
    assert Idea.objects.count() == 1


def test_one_vote_per_account_retractable_and_not_for_own_idea(
    challenge, user, make_user, post_idea, vote
):
    idea = post_idea(challenge, user)
    voter = make_user()
    assert vote(idea, voter).votes_count == 1
    assert vote(idea, voter).votes_count == 1
    assert vote(idea, voter, retract=True).votes_count == 0
    with pytest.raises(PermissionDeniedError):
        vote(idea, user)
    assert Vote.objects.count() == 0


def test_voting_closed_in_review_unless_voting_stage(challenge, user, make_user, post_idea, vote):
    idea = post_idea(challenge, user)
    voter = make_user()
    vote(idea, voter)
    move_to(challenge, "review")
    with pytest.raises(ConflictError):
        vote(idea, make_user())
    with pytest.raises(ConflictError):
        vote(idea, voter, retract=True)
    idea.refresh_from_db()
    assert idea.votes_count == 1
    assert Vote.objects.count() == 1
    move_to(challenge, "voting")
    assert vote(idea, make_user()).votes_count == 2


def test_no_voting_during_submission_when_disabled(
    make_challenge, user, make_user, post_idea, vote
):
    challenge = make_challenge(vote_while_submitting=False)
    idea = post_idea(challenge, user)
    with pytest.raises(ConflictError):
        vote(idea, make_user())


def test_declining_needs_a_reason_and_history_is_kept(challenge, owner, user, post_idea):
    idea = post_idea(challenge, user)
    with pytest.raises(InvalidInput) as exc:
        services.status_set(actor=owner, idea=idea, status="declined")
    assert "answer" in exc.value.fields
    services.status_set(actor=owner, idea=idea, status="shortlisted", answer="We like it.")
    services.status_set(actor=owner, idea=idea, status="declined", answer="Too costly.")
    assert list(idea.status_changes.values_list("status", flat=True)) == [
        "new", "shortlisted", "declined",
    ]  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.status_set(actor=user, idea=idea, status="accepted", answer="self")


def test_coauthor_invite_accept_edit_and_no_self_vote(challenge, user, make_user, post_idea, vote):
    idea = post_idea(challenge, user)
    friend = make_user(email="friend@example.com")
    services.coauthor_invite(actor=user, idea=idea, email="Friend@example.com")
    with pytest.raises(PermissionDeniedError):
        services.idea_update(actor=friend, idea=idea, title="New", body="b")
    services.coauthor_accept(actor=friend, idea=idea)
    services.idea_update(actor=friend, idea=idea, title="New title", body="Better body")
    idea.refresh_from_db()
    assert idea.title == "New title"
    with pytest.raises(PermissionDeniedError):
        vote(idea, friend)
    with pytest.raises(InvalidInput):
        services.coauthor_invite(actor=user, idea=idea, email="not-an-email")


def test_merge_moves_votes_once_and_unmerge_restores_exactly(
    challenge, owner, user, make_user, post_idea, vote
):
    keep = post_idea(challenge, user, title="Refill stations")
    dupe = post_idea(challenge, make_user(), title="Refill station for soap")
    both, only_dupe, only_keep = make_user(), make_user(), make_user()
    vote(keep, both), vote(dupe, both), vote(dupe, only_dupe), vote(keep, only_keep)
    follower = make_user()
    services.follow(actor=follower, idea=dupe)
    before = {
        i: set(Vote.objects.filter(idea=i).values_list("voter", flat=True)) for i in (keep, dupe)
    }
    with transaction.atomic():
        merging.idea_merge(actor=owner, source=dupe, target=keep)
    keep.refresh_from_db(), dupe.refresh_from_db()
    assert keep.votes_count == 3
    assert dupe.votes_count == 0
    assert set(Vote.objects.filter(idea=keep).values_list("voter", flat=True)) == {
        both.pk,
        only_dupe.pk,
        only_keep.pk,
    }
    assert Follow.objects.filter(idea=keep, user=follower).exists()
    assert dupe.merged_into == keep
    with pytest.raises(ConflictError):
        vote(dupe, make_user())
    with transaction.atomic():
        merge = merging.idea_unmerge(actor=owner, source=dupe)
    keep.refresh_from_db(), dupe.refresh_from_db()
    after = {
        i: set(Vote.objects.filter(idea=i).values_list("voter", flat=True)) for i in (keep, dupe)
    }
    assert after == before
    assert (keep.votes_count, dupe.votes_count) == (2, 2)
    assert Follow.objects.filter(idea=dupe, user=follower).exists()
    assert merge.unmerged_by == owner
    assert merge.unmerged_at


def test_merge_rules(challenge, owner, user, make_user, post_idea):
    a, b, c = (post_idea(challenge, make_user(), title=t) for t in ("A idea", "B idea", "C idea"))
    with pytest.raises(InvalidInput):
        merging.idea_merge(actor=owner, source=a, target=a)
    with pytest.raises(PermissionDeniedError):
        merging.idea_merge(actor=user, source=a, target=b)
    merging.idea_merge(actor=owner, source=a, target=b)
    a.refresh_from_db()
    with pytest.raises(ConflictError):
        merging.idea_merge(actor=owner, source=b, target=c)
    with pytest.raises(InvalidInput):
        merging.idea_merge(actor=owner, source=c, target=a)


def test_weighted_ranking_averages_reviewers(challenge, owner, user, make_user, post_idea):
    idea = post_idea(challenge, user)
    services.status_set(actor=owner, idea=idea, status="shortlisted")
    impact, feasibility = challenge.criteria.all()
    first = reviews.reviewer_add(actor=owner, challenge=challenge, email=make_user().email)
    second = reviews.reviewer_add(actor=owner, challenge=challenge, email=make_user().email)
    idea.refresh_from_db()
    reviews.score_set(reviewer=first, idea=idea, scores={impact.pk: 5, feasibility.pk: 1})
    reviews.score_set(reviewer=second, idea=idea, scores={impact.pk: 3, feasibility.pk: 3})
    reviews.score_set(reviewer=second, idea=idea, scores={impact.pk: 1, feasibility.pk: 1})
    (row,) = reviews.ranking(actor=owner, challenge=challenge)
    assert row.reviewers == 2
    assert row.score == round(((5 * 3 + 1) / 4 + 1) / 2, 2)
    with pytest.raises(InvalidInput):
        reviews.score_set(reviewer=first, idea=idea, scores={impact.pk: 6})
    with pytest.raises(PermissionDeniedError):
        reviews.ranking(actor=user, challenge=challenge)
    move_to(challenge, "decision")
    idea.refresh_from_db()
    with pytest.raises(ConflictError):
        reviews.score_set(reviewer=first, idea=idea, scores={impact.pk: 2})


def test_similar_titles_and_duplicate_clusters(challenge, user, make_user, post_idea):
    post_idea(challenge, user, title="Refill stations for shampoo", body="Refill your bottle.")
    post_idea(challenge, make_user(), title="Refill station for shampoo", body="Refill bottles.")
    post_idea(challenge, make_user(), title="Paper bags at the till", body="No plastic bags.")
    hits = screening.similar(challenge=challenge, title="refill station shampoo")
    assert [i.number for i, _s in hits][:2] == [1, 2] or {i.number for i, _s in hits} >= {1, 2}
    assert 3 not in {i.number for i, _s in hits}
    groups = screening.duplicate_clusters(challenge=challenge)
    assert [sorted(i.number for i in g) for g in groups] == [[1, 2]]


def test_top_uses_wilson_over_distinct_voters(challenge, user, make_user, post_idea, vote):
    a = post_idea(challenge, user, title="A")
    b = post_idea(challenge, user, title="B")
    voters = [make_user() for _ in range(3)]
    for v in voters:
        vote(b, v)
    vote(a, voters[0])
    ideas = list(Idea.objects.filter(challenge=challenge))
    ordered = screening.ordered(ideas, challenge=challenge, sort="top")
    assert [i.number for i in ordered] == [2, 1]
    assert [i.number for i in screening.ordered(ideas, challenge=challenge, sort="new")] == [2, 1]
