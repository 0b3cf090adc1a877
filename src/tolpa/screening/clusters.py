"""Clusters of likely duplicates: connected components of the pair graph.

Components chain (A~B, B~C, C~D puts A with D), so `min_to_medoid` optionally keeps in a
cluster only the members paired with its medoid (the member with the largest summed pair
score, ties to the lower position) at that score or more; the others are clustered again
among themselves, until nothing moves. Labels depend on positions, not on pair order.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from tolpa.screening.pairs import check_threshold


def clusters(pairs: np.ndarray, n: int, *, min_to_medoid: float | None = None) -> np.ndarray:
    """A label per position 0..n-1; labels number clusters by their first member."""
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    first, second, scores = (np.asarray(pairs[field]) for field in ("i", "j", "score"))
    if len(first) and (min(first.min(), second.min()) < 0 or max(first.max(), second.max()) >= n):
        raise ValueError(f"pair positions must lie in [0, {n})")
    if np.isnan(scores).any():
        raise ValueError("pair scores contain NaN")
    if min_to_medoid is not None:
        check_threshold(min_to_medoid)
    labels = _components(first, second, scores, n)
    if min_to_medoid is not None:
        labels = _split_chains(first, second, scores, labels, min_to_medoid)
    _, first_seen = np.unique(labels, return_index=True)
    renumber = np.empty(labels.max(initial=-1) + 1, dtype=np.int64)
    renumber[labels[np.sort(first_seen)]] = np.arange(len(first_seen))
    return renumber[labels]


def _components(first, second, scores, n) -> np.ndarray:
    graph = sp.coo_matrix((np.ones(len(first)), (first, second)), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def _split_chains(first, second, scores, labels, min_to_medoid) -> np.ndarray:
    n = len(labels)
    settled = np.zeros(n, dtype=bool)
    while not settled.all():
        open_ = ~settled
        inside = open_[first] & open_[second] & (labels[first] == labels[second])
        strength = np.bincount(first[inside], scores[inside], n)
        strength += np.bincount(second[inside], scores[inside], n)
        candidates = np.flatnonzero(open_)
        order = np.lexsort((candidates, -strength[candidates], labels[candidates]))
        ranked = candidates[order]
        leaders = ranked[np.r_[True, labels[ranked][1:] != labels[ranked][:-1]]]
        medoid = np.full(n, -1)
        medoid[leaders] = leaders
        medoid_of = np.full(labels.max() + 1, -1)
        medoid_of[labels[leaders]] = leaders
        close = inside & (scores >= min_to_medoid)
        for a, b in ((first, second), (second, first)):
            hits = close & (medoid_of[labels[a]] == a)
            medoid[b[hits]] = a[hits]
        kept = open_ & (medoid >= 0)
        labels = np.where(kept, medoid, labels)
        settled |= kept
        rest = ~settled
        if rest.any():
            sub = rest[first] & rest[second]
            relabel = _components(first[sub], second[sub], scores[sub], n)
            labels = np.where(rest, relabel + n, labels)
    return labels
