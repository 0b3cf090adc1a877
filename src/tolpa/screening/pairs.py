"""All pairs of unit vectors with cosine ≥ t, in row blocks, without an n×n matrix.

Each block is `X[block] @ X.T` (sparse × sparse, float32), pruned to j > i and score ≥ t
before the next block, so memory is one block's product plus the pairs kept. The block
height shrinks as n grows to keep that product near `BLOCK_ENTRIES` entries.

Measured on 10,000 synthetic ideas (bench/screening.py, 3.7 s here): AllPairs prefix
filtering (Bayardo et al.) left millions of candidates to re-score and took 38 s; a rare/common
n-gram split with a Cauchy-Schwarz bound took 3.2 s but needs full rows for most texts, since
short titles share many frequent n-grams; sklearn's `radius_neighbors` builds dense blocks.
The cost grows with n² on such data, so 100,000 texts take minutes, not seconds.
"""

import numpy as np
import scipy.sparse as sp

PAIR_DTYPE = np.dtype([("i", np.int64), ("j", np.int64), ("score", np.float64)])
BLOCK_ENTRIES = 20_000_000


def check_threshold(threshold: float) -> None:
    """ValueError unless threshold is a number in (0, 1]."""
    number = isinstance(threshold, int | float | np.integer | np.floating)
    if isinstance(threshold, bool) or not number or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")


def all_pairs(vectors: sp.csr_matrix, threshold: float) -> np.ndarray:
    """Pairs (i < j, score ≥ threshold) of unit rows, sorted by (i, j)."""
    n = vectors.shape[0]
    block_rows = max(100, BLOCK_ENTRIES // max(n, 1))
    columns = vectors.T.tocsr()
    found = [np.empty(0, dtype=PAIR_DTYPE)]
    for start in range(0, n, block_rows):
        product = (vectors[start : start + block_rows] @ columns).tocoo()
        left = product.row.astype(np.int64) + start
        right = product.col.astype(np.int64)
        keep = (right > left) & (product.data >= threshold)
        pairs = np.empty(int(keep.sum()), dtype=PAIR_DTYPE)
        pairs["i"], pairs["j"] = left[keep], right[keep]
        pairs["score"] = np.minimum(product.data[keep], 1.0)
        found.append(pairs)
    pairs = np.concatenate(found)
    pairs.sort(order=("i", "j"))
    return pairs
