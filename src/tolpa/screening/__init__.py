"""Screening of ideas, pure NumPy/SciPy/scikit-learn and no Django: suggest similar ideas while
an author types, cluster likely duplicates for a brand to merge, rank by votes.

- `normalize(text, fold_accents=False)`: the text form every comparison uses;
- `SimilarityIndex(ids, texts)`: `.similar(text, k, threshold)` and `.pairs(threshold)`
  (exact up to 2,000 texts; beyond, MinHash LSH candidates scored exactly);
- `clusters(pairs, n, min_to_medoid=None)`: duplicate clusters from pairs;
- `wilson_lower_bound(up, total)` and `trending(vote_times, now)`: ranking scores.
"""

from tolpa.screening.clusters import clusters
from tolpa.screening.index import SimilarityIndex
from tolpa.screening.pairs import PAIR_DTYPE
from tolpa.screening.ranking import trending, wilson_lower_bound
from tolpa.screening.text import normalize

__all__ = [
    "PAIR_DTYPE",
    "SimilarityIndex",
    "clusters",
    "normalize",
    "trending",
    "wilson_lower_bound",
]
