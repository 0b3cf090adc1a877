"""Candidate pairs for the pair search: MinHash LSH on each text's set of n-grams.

The exact search multiplies every two texts that share an n-gram, and short titles share
frequent n-grams with a large share of all titles, so its cost grows with n². Here each text
gets `MINIMA` MinHash values, and two texts are a candidate when they agree on all `ROWS`
values of one of `BANDS` bands, each band a fixed random choice of `ROWS` of the values. One
band agrees with probability J**ROWS for Jaccard similarity J of the two n-gram sets, so
paraphrases (J ≥ 0.6) nearly always meet in some band and titles that share a few common
words (J ≈ 0.2) rarely do. Sharing the values among bands is what makes 120 bands cost 160
hash passes instead of 720; the bands are then not independent, which the measurements below
include. Only candidates are scored, exactly (`pairs.py`): no false pair is ever reported,
and the pairs missed are those whose cosine is high while their n-gram sets overlap little,
mostly pairs that share only common words.

Measured on bench/screening.py's 10,000 ideas at cosine ≥ 0.5, as candidates and share of the
exact search's labelled duplicates found: 160 values in 120 bands of 6, 42,000 and 99.4 %;
80 independent bands of 6 (480 passes), 36,000 and 99.1 %; 60 × 5, 104,000 and 99.5 %. An
inverted index on each text's k rarest n-grams (the "top-weight" filter) needed 292,000
candidates for 98.9 % when a text's 4 rarest n-grams were looked up among all n-grams of the
others, 392,000 for 99.6 % when its 16 rarest only among the others' 16 rarest: titles made of
common words have only common n-grams to index. At 100,000 ideas the 160/120/6 setting gives
3.3 million candidates in 6 s and finds 99.5 % of the labelled duplicates the exact search
finds; with their exact scores the pair search took 15 s against the exact search's 799 s. On the bench's fixed vocabulary the number of titles that share common words
with a given one grows with n, so candidates still grow with n² (×79 from 10,000 to 100,000
ideas); hashing grows with n.
"""

import numpy as np
import scipy.sparse as sp

MINIMA = 160
BANDS = 120
ROWS = 6
SEED = 0x5EED_7017
MERGE_AT = 4_000_000

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def candidate_keys(
    vectors: sp.csr_matrix,
    *,
    minima: int = MINIMA,
    bands: int = BANDS,
    rows: int = ROWS,
    seed: int = SEED,
) -> np.ndarray:
    """Sorted unique keys i * n + j (i < j) of rows that agree on a whole band of minima.

    A row's minima depend only on its own n-gram ids and the seed, so the candidates of a
    pair do not depend on the other texts or on their order.
    """
    n = vectors.shape[0]
    docs = np.flatnonzero(np.diff(vectors.indptr))
    if len(docs) < 2:
        return np.empty(0, dtype=np.int64)
    sketch = _minima(vectors, docs, minima, seed)
    choices = np.argsort(np.random.default_rng(seed).random((bands, minima)), axis=1)[:, :rows]
    found = np.empty(0, dtype=np.int64)
    pending = []
    for band, chosen in enumerate(choices):
        signature = np.zeros(len(docs), dtype=np.uint64)
        for row in chosen:
            signature = _mix(signature ^ sketch[row].astype(np.uint64))
        pending.append(_bucket_keys(signature, docs, n))
        if sum(map(len, pending)) > MERGE_AT or band == bands - 1:
            found = _sorted_unique(np.concatenate([found, *pending]))
            pending = []
    return found


def _minima(vectors: sp.csr_matrix, docs: np.ndarray, minima: int, seed: int) -> np.ndarray:
    """(minima, len(docs)) MinHash values: per salted hash, each doc's least over its n-grams.

    Hashes are computed once per distinct n-gram and gathered per stored entry, one pass over
    the entries per hash.
    """
    present = np.zeros(vectors.shape[1], dtype=bool)
    present[vectors.indices] = True
    features = np.flatnonzero(present).astype(np.uint64)
    position = (np.cumsum(present) - 1)[vectors.indices]
    starts = vectors.indptr[docs]
    salts = _mix(np.arange(minima, dtype=np.uint64) ^ np.uint64((seed << 32) % 2**64))
    gathered = np.empty(len(position), dtype=np.uint32)
    sketch = np.empty((minima, len(docs)), dtype=np.uint32)
    for row, salt in enumerate(salts):
        values = (_mix(features ^ salt) >> np.uint64(32)).astype(np.uint32)
        np.take(values, position, out=gathered, mode="clip")
        sketch[row] = np.minimum.reduceat(gathered, starts)
    return sketch


def _bucket_keys(signature: np.ndarray, docs: np.ndarray, n: int) -> np.ndarray:
    """Keys of every pair of docs with equal signatures, bucket sizes handled together."""
    order = np.argsort(signature)
    sorted_signature = signature[order]
    edges = np.flatnonzero(np.r_[True, sorted_signature[1:] != sorted_signature[:-1], True])
    sizes = np.diff(edges)
    keys = [np.empty(0, dtype=np.int64)]
    for size in np.unique(sizes[sizes > 1]):
        first = edges[:-1][sizes == size]
        left, right = np.triu_indices(size, 1)
        a = docs[order[first[:, None] + left]]
        b = docs[order[first[:, None] + right]]
        keys.append((np.minimum(a, b) * n + np.maximum(a, b)).ravel())
    return np.concatenate(keys)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique by sorting in place: its hash-based path is slower on millions of keys."""
    keys.sort()
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first]


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value (wrapping)."""
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))
