"""Categorical methods on crowds small enough to work out by hand."""

import math

import numpy as np
import pytest

from tolpa.aggregation import (
    categorical_answers,
    dawid_skene,
    glad,
    mace,
    majority_vote,
    one_coin_dawid_skene,
    wawa,
    weighted_majority_vote,
)

from .conftest import simulate

# t1: everyone says a; t2: w1 b, w2 a, w3 b; t3: everyone says b.
THREE_TASKS = (
    ["t1", "t1", "t1", "t2", "t2", "t2", "t3", "t3", "t3"],
    ["w1", "w2", "w3", "w1", "w2", "w3", "w1", "w2", "w3"],
    ["a", "a", "a", "b", "a", "b", "b", "b", "b"],
)


def _by_task(result):
    return dict(
        zip(
            result.tasks.tolist(),
            zip(result.labels.tolist(), result.confidence.tolist(), strict=True),
            strict=True,
        )
    )


def test_majority_vote_counts_and_breaks_ties_by_class_order():
    answers = categorical_answers(
        ["t1", "t1", "t1", "t2", "t2", "t3", "t3"],
        ["w1", "w2", "w3", "w1", "w2", "w1", "w3"],
        ["a", "a", "b", "b", "b", "b", "a"],
    )
    result = majority_vote(answers)
    assert _by_task(result) == {
        "t1": ("a", pytest.approx(2 / 3)),
        "t2": ("b", 1.0),
        "t3": ("a", 0.5),
    }
    np.testing.assert_allclose(result.probabilities, [[2 / 3, 1 / 3], [0, 1], [0.5, 0.5]])
    # w1: a(t1) b(t2) b(t3, majority a) → 2/3; w2: 2/2; w3: b(t1, majority a) a(t3) → 1/2
    np.testing.assert_allclose(result.skills, [2 / 3, 1.0, 0.5])


def test_weighted_majority_vote_uses_log_odds_of_shrunk_gold_accuracy():
    # Gold task g: w1 right, w2 wrong. Crowd gold accuracy 1/2, so with two pseudo-answers
    # acc(w1) = (1 + 1) / 3 = 2/3 and acc(w2) = (0 + 1) / 3 = 1/3: weights +log 2 and -log 2.
    answers = categorical_answers(
        ["g", "g", "t", "t"], ["w1", "w2", "w1", "w2"], ["a", "b", "a", "b"], gold={"g": "a"}
    )
    result = weighted_majority_vote(answers)
    np.testing.assert_allclose(result.skills, [2 / 3, 1 / 3])
    assert _by_task(result)["t"] == ("a", pytest.approx(4 / 5))
    assert _by_task(result)["g"] == ("a", 1.0)


def test_weighted_majority_vote_needs_gold():
    with pytest.raises(ValueError, match="needs gold"):
        weighted_majority_vote(categorical_answers(*THREE_TASKS))


def test_wawa_weights_votes_by_agreement_with_the_majority():
    answers = categorical_answers(
        ["t1", "t1", "t1", "t2", "t2", "t2", "t3", "t3"],
        ["w1", "w2", "w3", "w1", "w2", "w3", "w1", "w3"],
        ["a", "a", "b", "a", "b", "b", "b", "a"],
    )
    result = wawa(answers)
    # Majority: t1 a, t2 b, t3 tie → a. Agreement: w1 1/3, w2 1, w3 2/3.
    np.testing.assert_allclose(result.skills, [1 / 3, 1.0, 2 / 3])
    assert _by_task(result) == {
        "t1": ("a", pytest.approx(2 / 3)),
        "t2": ("b", pytest.approx(5 / 6)),
        "t3": ("a", pytest.approx(2 / 3)),
    }


def test_dawid_skene_one_iteration_by_hand():
    # From majority vote: prior (4/9, 5/9); w1 and w3 answer b for a 1/4 of the time and never
    # a for b; w2 answers a for b 2/5 of the time. For t2 (b, a, b):
    # a: 4/9 · 1/4 · 1 · 1/4 = 1/36, b: 5/9 · 1 · 2/5 · 1 = 8/36, so P(b) = 8/9.
    result = dawid_skene(
        categorical_answers(*THREE_TASKS), max_iter=1, tol=-np.inf, prior_correct=0.0
    )
    labels = _by_task(result)
    assert labels["t2"] == ("b", pytest.approx(8 / 9, abs=1e-8))
    assert labels["t1"][0] == "a"
    assert labels["t3"][0] == "b"
    assert result.confusions.shape == (3, 2, 2)
    np.testing.assert_allclose(result.confusions.sum(axis=1), 1.0)


def test_dawid_skene_learns_a_confusion_that_one_number_cannot_describe():
    # Three reliable workers and one who answers 1 whatever the truth: right on every 1,
    # wrong on every 0. Its confusion matrix shows both; one accuracy could not.
    rng = np.random.default_rng(4)
    truth = rng.integers(0, 2, 60)
    tasks = np.repeat(np.arange(60), 4)
    workers = np.tile(np.arange(4), 60)
    labels = np.where(workers == 3, 1, truth[tasks])
    result = dawid_skene(categorical_answers(tasks, workers, labels))
    assert (result.labels == truth).all()
    says_one = result.confusions[3][1]
    assert says_one[0] > 0.8
    assert says_one[1] > 0.95


def test_one_coin_dawid_skene_one_iteration_by_hand():
    # Skills from majority vote: w1 = w3 = (1 + 2/3 + 1)/3 = 8/9, w2 = (1 + 1/3 + 1)/3 = 7/9.
    # t2: a: 4/9 · 1/9 · 7/9 · 1/9, b: 5/9 · 8/9 · 2/9 · 8/9, so P(b) = 640/668.
    result = one_coin_dawid_skene(
        categorical_answers(*THREE_TASKS), max_iter=1, tol=-np.inf, prior_correct=0.0
    )
    assert _by_task(result)["t2"] == ("b", pytest.approx(640 / 668, abs=1e-8))


def test_glad_first_e_step_is_a_sigmoid_of_the_vote_margin():
    # Before any M-step every ability is 1 and every easiness e, so with two classes the
    # posterior of b on t2 (two b, one a) is sigmoid(e · (2 - 1)).
    result = glad(categorical_answers(*THREE_TASKS), max_iter=0)
    assert _by_task(result)["t2"] == ("b", pytest.approx(1 / (1 + math.exp(-math.e))))


def test_glad_finds_the_hard_task_and_the_weak_worker():
    rng = np.random.default_rng(7)
    truth, tasks, workers, labels = simulate(rng, 80, [0.95, 0.9, 0.9, 0.85, 0.55], 2, 5)
    hard = 0
    labels[(tasks == hard) & (workers < 2)] = 1 - truth[hard]
    result = glad(categorical_answers(tasks, workers, labels))
    assert (result.labels == truth).mean() >= 0.95
    assert result.difficulties[hard] > np.median(result.difficulties)
    assert result.skills[4] < result.skills[:4].min()


def test_mace_flags_a_spammer_who_always_says_the_same_thing():
    rng = np.random.default_rng(3)
    truth, tasks, workers, labels = simulate(rng, 100, [0.9, 0.9, 0.85, 0.5, 0.5], 3, 5)
    spammers = workers >= 3
    labels[spammers] = 0
    result = mace(categorical_answers(tasks, workers, labels), seed=1)
    assert (result.labels == truth).mean() >= 0.95
    assert result.skills[3:].max() < 0.2 < 0.7 < result.skills[:3].min()


@pytest.mark.parametrize(
    "method", [majority_vote, wawa, dawid_skene, one_coin_dawid_skene, glad, mace]
)
def test_gold_fixes_the_truth_of_gold_tasks(method):
    answers = categorical_answers(*THREE_TASKS, gold={"t1": "b"})
    result = method(answers)
    assert _by_task(result)["t1"] == ("b", 1.0)
    np.testing.assert_allclose(result.probabilities[0], [0.0, 1.0])


@pytest.mark.parametrize("method", [dawid_skene, one_coin_dawid_skene, glad, mace])
def test_gold_seeds_worker_skill(method):
    # On g1-g3 and t, w1 says b against w2 and w3. Alone, the majority wins; gold b on g1-g3
    # shows w1 is the one to trust, and that carries over to t.
    tasks = [task for task in ("g1", "g2", "g3", "t", "u", "v") for _ in range(3)]
    workers = ["w1", "w2", "w3"] * 6
    labels = list("baa" * 4 + "aaa" + "bbb")
    gold = {"g1": "b", "g2": "b", "g3": "b"}
    before = method(categorical_answers(tasks, workers, labels))
    after = method(categorical_answers(tasks, workers, labels, gold=gold))
    assert _by_task(before)["t"][0] == "a"
    assert _by_task(after)["t"][0] == "b"
    assert after.skills[0] > before.skills[0]
    assert after.skills[1] < before.skills[1]


def test_mace_is_deterministic_given_a_seed():
    rng = np.random.default_rng(0)
    _, tasks, workers, labels = simulate(rng, 30, [0.8, 0.7, 0.6, 0.9], 3, 3)
    answers = categorical_answers(tasks, workers, labels)
    first, second = mace(answers, seed=5), mace(answers, seed=5)
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    with pytest.raises(ValueError, match="restart"):
        mace(answers, restarts=0)


def test_one_class_only_is_certain():
    answers = categorical_answers(["t1", "t2"], ["w1", "w1"], ["x", "x"])
    for method in (majority_vote, wawa, dawid_skene, one_coin_dawid_skene, glad, mace):
        result = method(answers)
        assert result.labels.tolist() == ["x", "x"]
        np.testing.assert_allclose(result.confidence, 1.0)


def test_progress_is_reported_per_iteration():
    calls = []
    dawid_skene(
        categorical_answers(*THREE_TASKS),
        max_iter=3,
        tol=-np.inf,
        progress=lambda *a: calls.append(a),
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
