"""Ranking ideas by votes: confidence-adjusted approval and recency-weighted activity."""

from statistics import NormalDist

import numpy as np


def wilson_lower_bound(up, total, confidence: float = 0.95) -> np.ndarray:
    """Lower end of the Wilson score interval for up/total, element-wise; 0 where total is 0.

    Ranks 9 of 10 below 90 of 100: few votes earn little certainty. Clipped to [0, up/total]
    so rounding never lifts an idea with no up-votes above zero.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    up, total = np.broadcast_arrays(np.asarray(up, float), np.asarray(total, float))
    if np.isnan(up).any() or np.isnan(total).any():
        raise ValueError("up and total must not contain NaN")
    if (up < 0).any() or (up > total).any():
        raise ValueError("up votes must satisfy 0 <= up <= total")
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    votes = np.where(total > 0, total, 1.0)
    share = up / votes
    centre = share + z * z / (2 * votes)
    spread = z * np.sqrt(share * (1 - share) / votes + z * z / (4 * votes * votes))
    bound = np.clip((centre - spread) / (1 + z * z / votes), 0.0, share)
    return np.where(total > 0, bound, 0.0)


def trending(
    vote_times, now: float, half_life_hours: float = 24.0, *, items=None, n_items=None
) -> np.ndarray:
    """Votes weighted 0.5 ** (age / half-life); summed per item when items are given.

    Times are POSIX seconds (or datetime64). Votes from the future count as new (age 0), so
    clock skew cannot inflate a score.
    """
    if not half_life_hours > 0:
        raise ValueError(f"half_life_hours must be positive, got {half_life_hours!r}")
    times = np.asarray(vote_times)
    if np.issubdtype(times.dtype, np.datetime64):
        ages = (np.datetime64(now) - times) / np.timedelta64(1, "s")
    else:
        ages = float(now) - times.astype(float)
    if np.isnan(ages).any():
        raise ValueError("vote_times and now must not be NaN")
    weights = 0.5 ** (np.maximum(ages, 0) / (half_life_hours * 3600))
    if items is None:
        return np.asarray(weights.sum())
    items = np.asarray(items)
    if items.shape != times.shape:
        raise ValueError(f"items and vote_times differ in shape: {items.shape}, {times.shape}")
    return np.bincount(items, weights=weights, minlength=n_items or 0)
