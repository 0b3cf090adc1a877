"""Character n-gram TF-IDF index of short texts: suggestions while typing, duplicate pairs.

Vectors are hashed (sklearn `HashingVectorizer`, `analyzer="char_wb"`) and weighted by a
smoothed IDF with sublinear TF and L2 norm, i.e. what `TfidfVectorizer(analyzer="char_wb",
sublinear_tf=True)` computes, minus the vocabulary. Hashing keeps a query's unseen n-grams in
its norm (a vocabulary would drop them and overrate half-matching queries), lets `add` grow the
index without refitting, and makes the features independent of input order. Cosine similarity
is a sparse dot product; nothing n×n is ever dense.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from tolpa.screening.pairs import PAIR_DTYPE, all_pairs, check_threshold
from tolpa.screening.text import checked_texts, normalize

DEFAULT_NGRAM_RANGE = (3, 5)
DEFAULT_FEATURES = 2**20


class SimilarityIndex:
    """Texts with ids, searchable by cosine similarity of character n-gram TF-IDF vectors.

    Build with `SimilarityIndex(ids, texts)`; `add(ids, texts)` appends and re-weights IDF in
    place (O(stored n-grams), fine per batch, not per keystroke). Ids must be unique and
    hashable. Positions (`pairs()` and `ids`) follow insertion order.
    """

    def __init__(
        self,
        ids: Sequence[Hashable],
        texts: Iterable[str],
        *,
        fold_accents: bool = False,
        ngram_range: tuple[int, int] = DEFAULT_NGRAM_RANGE,
        n_features: int = DEFAULT_FEATURES,
    ) -> None:
        low, high = ngram_range
        if not 1 <= low <= high:
            raise ValueError(f"ngram_range must satisfy 1 <= low <= high, got {ngram_range}")
        self.fold_accents = fold_accents
        self._hasher = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=ngram_range,
            n_features=n_features,
            lowercase=False,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )
        self._ids: list[Hashable] = []
        self._positions: dict[Hashable, int] = {}
        self._counts = sp.csr_matrix((0, n_features), dtype=np.float32)
        self._document_frequency = np.zeros(n_features, dtype=np.int64)
        self.add(ids, texts, _first=True)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[Hashable]:
        """Ids in position order (a copy)."""
        return list(self._ids)

    @property
    def vectors(self) -> sp.csr_matrix:
        """Unit-length TF-IDF rows, one per text (a text with no n-grams is a zero row)."""
        return self._vectors

    def add(self, ids: Sequence[Hashable], texts: Iterable[str], *, _first: bool = False) -> None:
        """Append texts; every stored vector is re-weighted with the new IDF."""
        texts = checked_texts(texts)
        ids = list(ids)
        if len(ids) != len(texts):
            raise ValueError(f"ids and texts differ in length: {len(ids)} ids, {len(texts)} texts")
        if _first and not texts:
            raise ValueError("texts is empty: an index needs at least one text")
        positions = dict(self._positions)
        for id_ in ids:
            if id_ in positions:
                raise ValueError(f"duplicate id: {id_!r}")
            positions[id_] = len(positions)
        counts = self._term_counts(texts)
        self._document_frequency += np.bincount(counts.indices, minlength=counts.shape[1])
        self._counts = sp.vstack([self._counts, counts], format="csr")
        self._ids.extend(ids)
        self._positions = positions
        self._idf = self._smoothed_idf()
        self._vectors = self._weighted(self._counts)
        self._columns = None

    def vectorize(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Unit-length TF-IDF rows for texts, weighted with this index's IDF."""
        return self._weighted(self._term_counts(checked_texts(texts)))

    def similar(
        self, text: str, k: int = 5, threshold: float = 0.3
    ) -> list[tuple[Hashable, float]]:
        """Up to k (id, score) with cosine ≥ threshold, best first (ties: earlier position).

        One sparse query row times the cached transposed matrix: its cost is the summed
        document frequency of the query's n-grams, not the index size.
        """
        check_threshold(threshold)
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if self._columns is None:
            self._columns = self._vectors.T.tocsr()
        scores = (self.vectorize([text]) @ self._columns).tocsr()
        keep = scores.data >= threshold
        positions, values = scores.indices[keep], scores.data[keep]
        order = np.lexsort((positions, -values))[:k]
        return [
            (self._ids[p], float(s)) for p, s in zip(positions[order], values[order], strict=True)
        ]

    def pairs(self, threshold: float = 0.5, *, exact: bool | None = None) -> np.ndarray:
        """(i, j, score) with i < j and cosine ≥ threshold, sorted by (i, j).

        Every pair up to `pairs.EXACT_UP_TO` texts or with `exact=True`; beyond, or with
        `exact=False`, the pairs among MinHash LSH candidates, each with its exact score (see
        `tolpa.screening.pairs`). The set depends only on the texts, not on their order, apart
        from rounding of scores that sit exactly at the threshold.
        """
        check_threshold(threshold)
        if len(self) < 2:
            return np.empty(0, dtype=PAIR_DTYPE)
        return all_pairs(self._vectors, threshold, exact=exact)

    def _term_counts(self, texts: list[str]) -> sp.csr_matrix:
        normalized = [normalize(text, fold_accents=self.fold_accents) for text in texts]
        counts = self._hasher.transform(normalized).tocsr()
        counts.sum_duplicates()
        counts.sort_indices()
        return counts

    def _smoothed_idf(self) -> np.ndarray:
        n = len(self._ids)
        return (np.log((1 + n) / (1 + self._document_frequency)) + 1).astype(np.float32)

    def _weighted(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weighted = counts.copy()
        weighted.data = (np.log(weighted.data) + 1) * self._idf[weighted.indices]
        squares = weighted.copy()
        squares.data **= 2
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        scale = np.divide(1, norms, out=np.zeros_like(norms), where=norms > 0)
        weighted.data *= np.repeat(scale, np.diff(weighted.indptr)).astype(np.float32)
        return weighted
