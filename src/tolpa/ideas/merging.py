"""Merging duplicates: the source idea's votes and follows move to the kept idea, counted
once per person, its comment thread joins the kept idea's, and the move is recorded so
that unmerging restores exactly what moved.

Merges are one level deep: a merged idea cannot be a target, and an idea that others were
merged into cannot itself be merged until they are unmerged. That keeps every recorded
move reversible on its own."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tolpa.accounts.models import User
from tolpa.community.services import comments_move, comments_move_back
from tolpa.errors import ConflictError, InvalidInput, PermissionDeniedError
from tolpa.ideas.access import is_manager
from tolpa.ideas.models import Follow, Idea, Merge, Vote
from tolpa.ideas.services import _touch, lock_ideas, recount


def idea_merge(*, actor: User, source: Idea, target: Idea) -> Merge:
    if not is_manager(actor, source.challenge):
        raise PermissionDeniedError()
    if source.challenge_id != target.challenge_id:
        raise InvalidInput(fields={"target": [_("Merge only ideas of the same challenge.")]})
    if source.pk == target.pk:
        raise InvalidInput(fields={"target": [_("An idea cannot be merged into itself.")]})
    locked = lock_ideas(source.pk, target.pk)
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise ConflictError(_("This idea is merged already."))
    if target.merged_into_id:
        raise InvalidInput(fields={"target": [_("That idea was itself merged; pick the one it was merged into.")]})  # fmt: skip
    if Idea.objects.filter(merged_into=source).exists():
        raise ConflictError(_("Other ideas were merged into this one; unmerge them first."))
    target_voters = set(Vote.objects.filter(idea=target).values_list("voter_id", flat=True))
    source_votes = list(Vote.objects.filter(idea=source).values_list("voter_id", "created_at"))
    kept_out = target_voters | _authors(target)
    moved = [(v, t) for v, t in source_votes if v not in kept_out]
    shared = [(v, t) for v, t in source_votes if v in kept_out]
    Vote.objects.filter(idea=source, voter_id__in=[v for v, _t in moved]).update(idea=target)
    Vote.objects.filter(idea=source).delete()
    target_followers = set(Follow.objects.filter(idea=target).values_list("user_id", flat=True))
    source_follows = list(Follow.objects.filter(idea=source).values_list("user_id", "created_at"))
    moved_follows = [(u, t) for u, t in source_follows if u not in target_followers]
    shared_follows = [(u, t) for u, t in source_follows if u in target_followers]
    ids = [u for u, _t in moved_follows]
    Follow.objects.filter(idea=source, user_id__in=ids).update(idea=target)
    Follow.objects.filter(idea=source).delete()
    moved_comments = comments_move(
        campaign=source.challenge.campaign, from_item=source.number, to_item=target.number
    )
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    recount(source.pk)
    recount(target.pk)
    _touch(source.challenge)
    return Merge.objects.create(
        source=source, target=target, merged_by=actor,
        moved_votes=_record(moved), shared_votes=_record(shared),
        moved_follows=_record(moved_follows), shared_follows=_record(shared_follows),
        moved_comments=moved_comments,
    )  # fmt: skip


def _authors(idea: Idea) -> set[int]:
    """People who may not vote for the idea: its author and accepted co-authors."""
    coauthors = idea.coauthor_invites.filter(accepted_at__isnull=False)
    return {idea.author_id, *coauthors.values_list("user_id", flat=True)}


def _record(rows: list[tuple[int, datetime]]) -> list[list]:
    return [[pk, moment.isoformat()] for pk, moment in rows]


def _restore(rows: list[list], model, field: str, source: Idea, target: Idea, moved: bool):
    """Give the source back its recorded rows. Moved rows come back from the target only
    while they are still there (a vote withdrawn after the merge stays withdrawn); rows the
    merge dropped as duplicates come back as they were."""
    people = {pk: datetime.fromisoformat(moment) for pk, moment in rows}
    still = set(people)
    if moved:
        on_target = model.objects.filter(idea=target, **{f"{field}__in": people})
        still = set(on_target.values_list(field, flat=True))
        on_target.delete()
    model.objects.bulk_create(
        [model(idea=source, created_at=people[pk], **{f"{field}_id": pk}) for pk in sorted(still)]
    )


def idea_unmerge(*, actor: User, source: Idea) -> Merge:
    if not is_manager(actor, source.challenge):
        raise PermissionDeniedError()
    merge = Merge.objects.filter(source=source, unmerged_at__isnull=True).order_by("-pk").first()
    if merge is None or not source.merged_into_id:
        raise ConflictError(_("This idea is not merged."))
    locked = lock_ideas(source.pk, merge.target_id)
    source, target = locked[source.pk], locked[merge.target_id]
    _restore(merge.moved_votes, Vote, "voter", source, target, moved=True)
    _restore(merge.shared_votes, Vote, "voter", source, target, moved=False)
    _restore(merge.moved_follows, Follow, "user", source, target, moved=True)
    _restore(merge.shared_follows, Follow, "user", source, target, moved=False)
    comments_move_back(
        campaign=source.challenge.campaign, comment_ids=merge.moved_comments, to_item=source.number
    )
    source.merged_into = None
    source.save(update_fields=["merged_into", "updated_at"])
    recount(source.pk)
    recount(target.pk)
    _touch(source.challenge)
    merge.unmerged_by, merge.unmerged_at = actor, timezone.now()
    merge.save(update_fields=["unmerged_by", "unmerged_at"])
    return merge
