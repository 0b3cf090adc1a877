"""All pairs of unit vectors with cosine ≥ t, without an n×n matrix.

Up to `EXACT_UP_TO` rows the search is exact: row blocks of `X[block] @ X.T` (sparse,
float32), pruned to j > i and score ≥ t before the next block; the block height shrinks as n
grows to keep a block's product near `BLOCK_ENTRIES` entries. Short titles share frequent
n-grams, so its cost grows with n²: 799 s for the bench's 100,000 ideas. Beyond that, MinHash
LSH (`candidates.py`) proposes pairs and only those are scored, exactly and `SCORE_CHUNK` at a
time: every reported pair is true, with its exact score, and recall is what the banding
catches (bench/screening.py prints it against the exact search). The switch sits where the
two cost the same on the bench's titles (about 3,000; 1,200 for texts six titles long),
rounded to 2,000, so a typical challenge gets every pair.
"""

import numpy as np
import scipy.sparse as sp

from tolpa.screening.candidates import candidate_keys

PAIR_DTYPE = np.dtype([("i", np.int64), ("j", np.int64), ("score", np.float64)])
BLOCK_ENTRIES = 20_000_000
EXACT_UP_TO = 2_000
SCORE_CHUNK = 10_000


def check_threshold(threshold: float) -> None:
    """ValueError unless threshold is a number in (0, 1]."""
    number = isinstance(threshold, int | float | np.integer | np.floating)
    if isinstance(threshold, bool) or not number or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")


def all_pairs(vectors: sp.csr_matrix, threshold: float, *, exact: bool | None = None) -> np.ndarray:
    """Pairs (i < j, score ≥ threshold) of unit rows, sorted by (i, j).

    `exact=None` searches exactly up to `EXACT_UP_TO` rows and by candidates beyond;
    True or False forces one way.
    """
    if exact is None:
        exact = vectors.shape[0] <= EXACT_UP_TO
    if exact:
        return _exact_pairs(vectors, threshold)
    return scored_pairs(vectors, candidate_keys(vectors), threshold)


def scored_pairs(vectors: sp.csr_matrix, keys: np.ndarray, threshold: float) -> np.ndarray:
    """The pairs among sorted keys i * n + j whose exact cosine is ≥ threshold."""
    n = vectors.shape[0]
    found = [np.empty(0, dtype=PAIR_DTYPE)]
    for start in range(0, len(keys), SCORE_CHUNK):
        chunk = keys[start : start + SCORE_CHUNK]
        left, right = chunk // n, chunk % n
        scores = np.asarray(vectors[left].multiply(vectors[right]).sum(axis=1)).ravel()
        found.append(_pairs(left, right, scores, scores >= threshold))
    return np.concatenate(found)


def _exact_pairs(vectors: sp.csr_matrix, threshold: float) -> np.ndarray:
    n = vectors.shape[0]
    block_rows = max(100, BLOCK_ENTRIES // max(n, 1))
    columns = vectors.T.tocsr()
    found = [np.empty(0, dtype=PAIR_DTYPE)]
    for start in range(0, n, block_rows):
        product = (vectors[start : start + block_rows] @ columns).tocoo()
        left = product.row.astype(np.int64) + start
        right = product.col.astype(np.int64)
        found.append(
            _pairs(left, right, product.data, (right > left) & (product.data >= threshold))
        )
    pairs = np.concatenate(found)
    pairs.sort(order=("i", "j"))
    return pairs


def _pairs(left: np.ndarray, right: np.ndarray, scores: np.ndarray, keep: np.ndarray) -> np.ndarray:
    pairs = np.empty(int(keep.sum()), dtype=PAIR_DTYPE)
    pairs["i"], pairs["j"] = left[keep], right[keep]
    pairs["score"] = np.minimum(scores[keep], 1.0)
    return pairs
