"""Methods by name, so the command, a background job or a brand's settings can pick one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tolpa.aggregation.categorical import (
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin_dawid_skene,
    wawa,
    weighted_majority_vote,
)
from tolpa.aggregation.data import Aggregate, Progress, categorical_answers, numeric_answers
from tolpa.aggregation.numeric import median, robust_mean
from tolpa.aggregation.text import closest_text

CATEGORICAL = {
    "mv": majority_vote,
    "wmv": weighted_majority_vote,
    "wawa": wawa,
    "ds": dawid_skene,
    "ods": one_coin_dawid_skene,
    "glad": glad,
    "mace": mace,
}
NUMERIC = {"median": median, "robust-mean": robust_mean}
METHODS = (*CATEGORICAL, *NUMERIC, "text", "bt")
"""Every method name the command accepts; `bt` takes comparisons, see `bradley_terry`."""


def aggregate(
    tasks: Sequence | np.ndarray,
    workers: Sequence | np.ndarray,
    labels: Sequence | np.ndarray,
    *,
    method: str = "ds",
    gold: Mapping | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> Aggregate:
    """Validate, encode and aggregate (task, worker, label) answers with the named method."""
    if method in NUMERIC:
        return NUMERIC[method](numeric_answers(tasks, workers, labels, gold), progress=progress)
    if method not in CATEGORICAL and method != "text":
        choices = ", ".join(name for name in METHODS if name != "bt")
        raise ValueError(f"unknown method {method!r}; choose one of {choices}")
    answers = categorical_answers(tasks, workers, labels, gold)
    if method == "text":
        return closest_text(answers, progress=progress)
    if method == "mace":
        return mace(answers, seed=seed, progress=progress)
    return CATEGORICAL[method](answers, progress=progress)
