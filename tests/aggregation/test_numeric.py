"""Median and the skill-weighted robust mean."""

import numpy as np

from tolpa.aggregation import median, numeric_answers, robust_mean


def test_median_by_hand():
    answers = numeric_answers(
        ["a", "a", "a", "b", "b", "b", "b"],
        ["w1", "w2", "w3", "w1", "w2", "w3", "w4"],
        [1.0, 2.0, 100.0, 7.0, 5.0, 6.0, 5.0],
    )
    result = median(answers)
    assert result.labels.tolist() == [2.0, 5.5]
    # Residuals 1, 0, 98, 1.5, 0.5, 0.5, 0.5: typical error 1.4826 · 0.5; within it: one of
    # three answers on a, three of four on b.
    np.testing.assert_allclose(result.confidence, [1 / 3, 3 / 4])


def test_robust_mean_ignores_a_wild_answer_and_trusts_precise_workers():
    rng = np.random.default_rng(11)
    truth = rng.uniform(0, 100, 200)
    noise = np.array([0.1, 0.1, 3.0, 3.0, 3.0])
    tasks = np.repeat(np.arange(200), 5)
    workers = np.tile(np.arange(5), 200)
    values = truth[tasks] + rng.normal(0, noise[workers])
    values[7] = 1e6
    answers = numeric_answers(tasks, workers, values)
    robust, middle = robust_mean(answers), median(answers)
    robust_error = np.abs(robust.labels - truth).mean()
    assert robust_error < 0.15
    assert robust_error < np.abs(middle.labels - truth).mean() / 3
    assert robust.skills[:2].min() > 5 * robust.skills[2:].max()


def test_gold_values_are_kept_and_seed_skills():
    answers = numeric_answers(
        ["g", "g", "t", "t"], ["w1", "w2", "w1", "w2"], [10.0, 20.0, 1.0, 3.0], gold={"g": 10.0}
    )
    for method in (median, robust_mean):
        result = method(answers)
        assert result.labels[0] == 10.0
        assert result.confidence[0] == 1.0
        assert result.skills[0] > result.skills[1]


def test_all_answers_equal_gives_full_confidence():
    result = robust_mean(numeric_answers(["t", "t"], ["a", "b"], [4.0, 4.0]))
    assert result.labels.tolist() == [4.0]
    assert result.confidence.tolist() == [1.0]
    assert result.skills[0] == result.skills[1]
