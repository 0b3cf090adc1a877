"""The ideas side of `tolpa.screening`: similar-title suggestions, duplicate clusters and
the "top" and "trending" orders.

"Top" is the Wilson lower bound of an idea's up-votes out of the challenge's distinct voters:
everyone who voted on any idea saw the list and could have up-voted this one, so an idea
with 9 of 10 voters ranks above one with 30 of 300, and a handful of votes earns little
certainty. "Trending" sums votes halved every 24 hours."""

import threading
from collections import OrderedDict

import numpy as np
from django.utils import timezone

from tolpa.ideas.models import Challenge, Idea, Vote
from tolpa.screening import SimilarityIndex, clusters, trending, wilson_lower_bound

SUGGEST_THRESHOLD = 0.3
DUPLICATE_THRESHOLD = 0.5
BODY_CHARS = 400
_CACHE_SIZE = 32
_indexes: OrderedDict[tuple, SimilarityIndex] = OrderedDict()
_lock = threading.Lock()


def _index(challenge: Challenge, *, with_body: bool) -> SimilarityIndex:
    """Built from the challenge's ideas, cached per process until an idea changes."""
    stamp = Challenge.objects.filter(pk=challenge.pk).values_list("ideas_changed_at", flat=True)
    key = (challenge.pk, stamp.first(), with_body)
    with _lock:
        if key in _indexes:
            _indexes.move_to_end(key)
            return _indexes[key]
    rows = challenge.ideas.filter(merged_into__isnull=True).values_list("pk", "title", "body")
    ids = [pk for pk, _t, _b in rows]
    texts = [f"{t} {b[:BODY_CHARS]}" if with_body else t for _pk, t, b in rows]
    index = SimilarityIndex(ids, texts)
    with _lock:
        _indexes[key] = index
        while len(_indexes) > _CACHE_SIZE:
            _indexes.popitem(last=False)
    return index


def similar(*, challenge: Challenge, title: str, k: int = 5) -> list[tuple[Idea, float]]:
    title = (title or "").strip()[:160]
    if len(title) < 3:
        return []
    index = _index(challenge, with_body=False)
    if not len(index):
        return []
    hits = index.similar(title, k=k, threshold=SUGGEST_THRESHOLD)
    ideas = Idea.objects.in_bulk([pk for pk, _s in hits])
    return [(ideas[pk], round(score, 2)) for pk, score in hits if pk in ideas]


def duplicate_clusters(*, challenge: Challenge) -> list[list[Idea]]:
    """Groups of two or more likely duplicates, most-voted idea first in each."""
    index = _index(challenge, with_body=True)
    if len(index) < 2:
        return []
    labels = clusters(
        index.pairs(DUPLICATE_THRESHOLD), len(index), min_to_medoid=DUPLICATE_THRESHOLD
    )
    groups: dict[int, list[int]] = {}
    for pk, label in zip(index.ids, labels, strict=True):
        groups.setdefault(int(label), []).append(pk)
    ideas = Idea.objects.in_bulk([pk for members in groups.values() for pk in members])
    result = []
    for members in groups.values():
        found = [ideas[pk] for pk in members if pk in ideas]
        if len(found) > 1:
            result.append(sorted(found, key=lambda i: (-i.votes_count, i.number)))
    return result


class Sort:
    TOP = "top"
    TRENDING = "trending"
    NEW = "new"
    ALL = (TOP, TRENDING, NEW)


def ordered(ideas: list[Idea], *, challenge: Challenge, sort: str) -> list[Idea]:
    if sort == Sort.NEW or not ideas:
        return sorted(ideas, key=lambda i: (-i.created_at.timestamp(), -i.number))
    if sort == Sort.TRENDING:
        position = {idea.pk: n for n, idea in enumerate(ideas)}
        votes = list(Vote.objects.filter(idea_id__in=position).values_list("idea_id", "created_at"))
        times = np.array([t.timestamp() for _i, t in votes], dtype=float)
        items = np.array([position[i] for i, _t in votes], dtype=np.int64)
        scores = trending(times, timezone.now().timestamp(), items=items, n_items=len(ideas))
    else:
        voters = Vote.objects.filter(idea__challenge=challenge).values("voter").distinct().count()
        up = [min(idea.votes_count, voters) for idea in ideas]
        scores = wilson_lower_bound(up, [voters] * len(ideas))
    for idea, score in zip(ideas, scores, strict=True):
        idea.rank_score = float(score)
    return sorted(ideas, key=lambda i: (-i.rank_score, -i.votes_count, i.number))
