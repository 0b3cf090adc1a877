"""Properties that must hold on any crowd, checked on random ones (hypothesis)."""

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tolpa.aggregation import (
    categorical_answers,
    closest_text,
    dawid_skene,
    glad,
    mace,
    majority_vote,
    median,
    numeric_answers,
    one_coin_dawid_skene,
    robust_mean,
    wawa,
    weighted_majority_vote,
)

from .conftest import simulate

UNSUPERVISED = {
    "mv": majority_vote,
    "wawa": wawa,
    "ds": dawid_skene,
    "ods": one_coin_dawid_skene,
    "glad": glad,
    "mace": partial(mace, restarts=2),
}
FEW = settings(max_examples=25, deadline=None)


@st.composite
def unanimous_crowds(draw):
    """Every task's two or more answers agree; tasks differ in class and crew size."""
    k = draw(st.integers(2, 4))
    n_tasks = draw(st.integers(1, 10))
    truth = draw(st.lists(st.integers(0, k - 1), min_size=n_tasks, max_size=n_tasks))
    crews = draw(
        st.lists(
            st.lists(st.integers(0, 5), min_size=2, max_size=4, unique=True),
            min_size=n_tasks,
            max_size=n_tasks,
        )
    )
    tasks = [task for task, crew in enumerate(crews) for _ in crew]
    workers = [worker for crew in crews for worker in crew]
    labels = [f"class{truth[task]}" for task in tasks]
    return tasks, workers, labels


@pytest.mark.parametrize("name", UNSUPERVISED)
@FEW
@given(crowd=unanimous_crowds())
def test_a_unanimous_crowd_gives_its_label_with_at_least_the_prior(name, crowd):
    tasks, workers, labels = crowd
    result = UNSUPERVISED[name](categorical_answers(tasks, workers, labels))
    expected = [labels[tasks.index(task)] for task in result.tasks]
    assert result.labels.tolist() == expected
    share = {label: labels.count(label) / len(labels) for label in set(labels)}
    prior = np.array([max(share[label], 1 / len(share)) for label in expected])
    assert (result.confidence >= prior - 1e-9).all()


def _renamed(rng, tasks, workers, values):
    """The same answers under shuffled rows and ids whose sort order is scrambled."""
    task_names = np.array([f"t{i:03d}" for i in rng.permutation(tasks.max() + 1)])
    worker_names = np.array([f"w{i:03d}" for i in rng.permutation(workers.max() + 1)])
    order = rng.permutation(len(tasks))
    return task_names, task_names[tasks][order], worker_names[workers][order], values[order]


def _assert_same_per_task(original, renamed, task_names, tolerance=1e-6):
    position = np.searchsorted(renamed.tasks, task_names[original.tasks])
    if original.probabilities is not None:
        probabilities = renamed.probabilities[position]
        np.testing.assert_allclose(probabilities, original.probabilities, atol=tolerance)
        top = np.sort(original.probabilities, axis=1)
        clear = top[:, -1] - top[:, -2] > 2 * tolerance if top.shape[1] > 1 else slice(None)
        assert (renamed.labels[position][clear] == original.labels[clear]).all()
    elif original.labels.dtype.kind == "U":
        assert renamed.labels[position].tolist() == original.labels.tolist()
    else:
        np.testing.assert_allclose(renamed.labels[position], original.labels, atol=1e-9)
    np.testing.assert_allclose(renamed.confidence[position], original.confidence, atol=tolerance)


def _staircase(rng, n_tasks, accuracies, k):
    """Worker w answers tasks 0..n_tasks-1-w, right with probability accuracies[w]."""
    truth = rng.integers(0, k, n_tasks)
    workers = np.concatenate([np.full(max(n_tasks - w, 0), w) for w in range(len(accuracies))])
    tasks = np.concatenate([np.arange(max(n_tasks - w, 0)) for w in range(len(accuracies))])
    right = rng.random(len(tasks)) < accuracies[workers]
    labels = np.where(right, truth[tasks], (truth[tasks] + rng.integers(1, k, len(tasks))) % k)
    return tasks, workers, labels


CROWD = {
    "seed": st.integers(0, 2**32 - 1),
    "k": st.integers(2, 4),
    "n_tasks": st.integers(2, 25),
    "n_workers": st.integers(3, 8),
}


@pytest.mark.parametrize("name", [*UNSUPERVISED, "text"])
@FEW
@given(**CROWD)
def test_renaming_tasks_and_workers_changes_nothing(name, seed, k, n_tasks, n_workers):
    """MACE runs with its first start only (every worker alike): its random starts are drawn
    per worker position, so renaming workers changes them. GLAD is checked on crowds without
    two interchangeable workers (a staircase: each worker answers a different number of tasks):
    for those its EM starts on a symmetric saddle that rounding, which depends on row order,
    breaks one way or the other. Elsewhere it agrees to 1e-3."""
    rng = np.random.default_rng(seed)
    accuracies = rng.uniform(0.4, 0.95, n_workers)
    if name == "glad":
        tasks, workers, labels = _staircase(rng, n_tasks, accuracies, k)
    else:
        _, tasks, workers, labels = simulate(rng, n_tasks, accuracies, k, 3)
    method = partial(mace, restarts=1) if name == "mace" else UNSUPERVISED.get(name, closest_text)
    if name == "text":
        labels = np.array(["a cat", "a cat!", "the dog", "a bird"])[labels]
    original = method(categorical_answers(tasks, workers, labels))
    task_names, *renamed_answers = _renamed(rng, tasks, workers, labels)
    renamed = method(categorical_answers(*renamed_answers))
    _assert_same_per_task(original, renamed, task_names, 1e-3 if name == "glad" else 1e-6)


@pytest.mark.parametrize("method", [median, robust_mean])
@FEW
@given(seed=CROWD["seed"], n_tasks=CROWD["n_tasks"], n_workers=CROWD["n_workers"])
def test_renaming_changes_nothing_for_numbers(method, seed, n_tasks, n_workers):
    rng = np.random.default_rng(seed)
    tasks = np.repeat(np.arange(n_tasks), n_workers)
    workers = np.tile(np.arange(n_workers), n_tasks)
    values = rng.normal(size=n_tasks)[tasks] + rng.standard_t(2, size=len(tasks))
    original = method(numeric_answers(tasks, workers, values))
    task_names, *renamed_answers = _renamed(rng, tasks, workers, values)
    _assert_same_per_task(original, method(numeric_answers(*renamed_answers)), task_names)


GOLD_AWARE = {**UNSUPERVISED, "wmv": weighted_majority_vote}


@pytest.mark.parametrize("name", GOLD_AWARE)
@FEW
@given(
    seed=CROWD["seed"],
    k=CROWD["k"],
    n_tasks=st.integers(8, 40),
    accuracies=st.lists(st.floats(0.5, 0.95), min_size=3, max_size=7),
    per_task=st.integers(2, 4),
)
def test_a_perfect_gold_verified_worker_never_lowers_accuracy(
    name, seed, k, n_tasks, accuracies, per_task
):
    rng = np.random.default_rng(seed)
    truth, tasks, workers, labels = simulate(rng, n_tasks, accuracies, k, per_task)
    gold_tasks = np.arange(max(1, n_tasks // 4))
    gold = {int(task): int(truth[task]) for task in gold_tasks}
    if not set(gold.values()) <= set(labels.tolist()):
        return
    method, open_tasks = GOLD_AWARE[name], slice(len(gold_tasks), None)

    def accuracy(tasks, workers, labels):
        result = method(categorical_answers(tasks, workers, labels, gold))
        return (result.labels[open_tasks] == truth[open_tasks]).mean()

    perfect = len(accuracies)
    with_perfect = accuracy(
        np.concatenate([tasks, np.arange(n_tasks)]),
        np.concatenate([workers, np.full(n_tasks, perfect)]),
        np.concatenate([labels, truth]),
    )
    assert with_perfect >= accuracy(tasks, workers, labels)
