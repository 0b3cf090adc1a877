"""Bradley-Terry on comparisons small enough to solve by hand."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import expit

from tolpa.aggregation import bradley_terry


def test_two_items_match_the_stationarity_equation():
    # a beat b three times, lost once; ridge r. By symmetry s_a = -s_b = d/2 where
    # 3(1 - σ(d)) - σ(d) - r·d/2 = 0; the Hessian is [[w + r, -w], [-w, w + r]], w = 4σ(1-σ).
    ridge = 0.1
    ranking = bradley_terry(
        ["a", "a", "a", "b"], ["b", "b", "b", "a"], ["a", "a", "a", "b"], ridge=ridge
    )
    d = brentq(lambda d: 3 - 4 * expit(d) - ridge * d / 2, 0, 10)
    np.testing.assert_allclose(ranking.scores, [d / 2, -d / 2], atol=1e-9)
    w = 4 * expit(d) * (1 - expit(d))
    variance = (w + ridge) / ((w + ridge) ** 2 - w**2)
    np.testing.assert_allclose(ranking.std_errors, np.sqrt([variance, variance]), rtol=1e-6)
    assert ranking.ranks.tolist() == [1, 2]


def test_recovers_a_simulated_order_and_worker_agreement():
    rng = np.random.default_rng(2)
    strength = np.linspace(-2, 2, 12)
    left, right = rng.integers(0, 12, 3000), rng.integers(0, 12, 3000)
    keep = left != right
    left, right = left[keep], right[keep]
    left_wins = rng.random(len(left)) < expit(strength[left] - strength[right])
    winner = np.where(left_wins, left, right)
    workers = np.where(np.arange(len(left)) % 2 == 0, "careful", "random")
    random_rows = workers == "random"
    winner[random_rows] = np.where(rng.random(len(left)) < 0.5, left, right)[random_rows]
    ranking = bradley_terry(left, right, winner, workers=workers)
    assert np.corrcoef(ranking.scores, strength)[0, 1] > 0.95
    assert ranking.workers.tolist() == ["careful", "random"]
    assert ranking.skills[0] > ranking.skills[1] + 0.1
    assert (ranking.std_errors > 0).all()


def test_an_undefeated_item_stays_finite():
    ranking = bradley_terry(["a", "a"], ["b", "c"], ["a", "a"])
    assert np.isfinite(ranking.scores).all()
    assert ranking.items[np.argmin(ranking.ranks)] == "a"


@pytest.mark.parametrize(
    ("left", "right", "winner", "message"),
    [
        ([], [], [], "no comparisons"),
        (["a"], ["b"], ["c"], "neither the left nor the right"),
        (["a"], ["a"], ["a"], "compared with itself"),
        (["a", "b"], ["b"], ["a"], "differ in length"),
        (["a"], ["b"], [1], "mixed types"),
    ],
)
def test_bad_comparisons(left, right, winner, message):
    with pytest.raises(ValueError, match=message):
        bradley_terry(left, right, winner)
