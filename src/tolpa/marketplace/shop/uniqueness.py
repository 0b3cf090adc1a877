"""Uniqueness of a text against every text that is or was in the shop or delivered for an
order, with the character n-gram TF-IDF index of `tolpa.screening`.

Uniqueness is 100 minus the cosine similarity (in %) to the closest text. Measured on the
index: unrelated texts of one language score 0.1-0.2, a rewrite of the same text with other
nouns about 0.55, a text half copied about 0.6, a few words changed above 0.9."""

import threading
from dataclasses import dataclass

from tolpa.marketplace.shop.models import CORPUS_STATUSES, ShopText
from tolpa.screening import SimilarityIndex

HOLD_SIMILARITY = 0.45  # at or above: held for a moderator (uniqueness 55% or less)
REFUSE_SIMILARITY = 0.85  # at or above: a near-exact duplicate, refused
_lock = threading.Lock()  # guards the cached index, which `add` changes in place


@dataclass
class _Cached:
    index: SimilarityIndex
    hashes: dict[int, str]  # the body hash of every text in the index, by id


_cache: list[_Cached] = []


@dataclass(frozen=True)
class Check:
    uniqueness: int
    similar: ShopText | None
    similarity: float

    @property
    def duplicate(self) -> bool:
        return self.similarity >= REFUSE_SIMILARITY

    @property
    def too_similar(self) -> bool:
        return self.similarity >= HOLD_SIMILARITY


def _corpus():
    return ShopText.objects.filter(status__in=CORPUS_STATUSES)


def _bodies(ids) -> tuple[list[int], list[str]]:
    rows = list(ShopText.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "body"))
    return [pk for pk, _b in rows], [body for _pk, body in rows]


def _current_index(current: dict[int, str]) -> SimilarityIndex | None:
    """The cached index brought up to date: new texts are added (a fraction of a rebuild's
    cost); a text that left the corpus or changed its body rebuilds it, since every text
    weighs in the IDF. Call with `_lock` held."""
    cached = _cache[0] if _cache else None
    if cached is not None and all(
        current.get(pk) == digest for pk, digest in cached.hashes.items()
    ):
        new = [pk for pk in current if pk not in cached.hashes]
        if new:
            ids, bodies = _bodies(new)
            cached.index.add(ids, bodies)
            cached.hashes.update((pk, current[pk]) for pk in ids)
        return cached.index
    _cache.clear()
    if not current:
        return None
    ids, bodies = _bodies(current)
    _cache.append(_Cached(SimilarityIndex(ids, bodies), {pk: current[pk] for pk in ids}))
    return _cache[0].index


def check(body: str, *, exclude_id: int | None = None) -> Check:
    """How unique `body` is, and the closest corpus text (other than `exclude_id`)."""
    current = dict(_corpus().values_list("pk", "sha256"))
    with _lock:
        index = _current_index(current)
        hits = index.similar(body, k=2, threshold=0.01) if index is not None else []
    hits = [(pk, score) for pk, score in hits if pk != exclude_id]
    if not hits:
        return Check(uniqueness=100, similar=None, similarity=0.0)
    pk, score = hits[0]
    score = min(max(score, 0.0), 1.0)
    return Check(
        uniqueness=round(100 * (1 - score)),
        similar=ShopText.objects.filter(pk=pk).first(),
        similarity=score,
    )
