"""Truth inference for crowd answers: one answer per task with a confidence, and a skill per
worker. Pure NumPy/SciPy and no Django, so the same code runs in a request, a background job,
a notebook or the `tolpa aggregate` command.

Start with `aggregate(tasks, workers, labels, method=...)`, or encode once with
`categorical_answers` / `numeric_answers` and call a method directly:

- categorical: `majority_vote` (baseline), `weighted_majority_vote` (gold-weighted),
  `wawa` (agreement-weighted), `dawid_skene` (confusion matrices), `one_coin_dawid_skene`
  (one accuracy per worker), `glad` (worker ability × task difficulty), `mace` (spammers);
- numeric: `median`, `robust_mean` (skill-weighted, outlier-proof);
- pairwise: `bradley_terry` (ranking with standard errors);
- free text: `closest_text` and `text_candidates` (top-k for a verification round).
"""

from tolpa.aggregation.categorical import (
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin_dawid_skene,
    wawa,
    weighted_majority_vote,
)
from tolpa.aggregation.data import Aggregate, Answers, categorical_answers, numeric_answers
from tolpa.aggregation.methods import METHODS, aggregate
from tolpa.aggregation.numeric import median, robust_mean
from tolpa.aggregation.pairwise import Ranking, bradley_terry
from tolpa.aggregation.text import Candidates, closest_text, ngram_vectors, text_candidates

__all__ = [
    "METHODS",
    "Aggregate",
    "Answers",
    "Candidates",
    "Ranking",
    "aggregate",
    "bradley_terry",
    "categorical_answers",
    "closest_text",
    "dawid_skene",
    "glad",
    "mace",
    "majority_vote",
    "median",
    "ngram_vectors",
    "numeric_answers",
    "one_coin_dawid_skene",
    "robust_mean",
    "text_candidates",
    "wawa",
    "weighted_majority_vote",
]
