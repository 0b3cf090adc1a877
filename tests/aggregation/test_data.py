"""Input validation: every bad input is a ValueError that names the problem."""

import math

import numpy as np
import pytest

from tolpa.aggregation import aggregate, categorical_answers, numeric_answers


def test_ids_are_factorized_in_sorted_order():
    answers = categorical_answers(["t2", "t1", "t2"], [7, 3, 3], ["b", "a", "a"])
    assert answers.task.tolist() == [1, 0, 1]
    assert answers.worker.tolist() == [1, 0, 0]
    assert answers.label.tolist() == [1, 0, 0]
    assert answers.task_ids.tolist() == ["t1", "t2"]
    assert answers.worker_ids.tolist() == [3, 7]
    assert answers.classes.tolist() == ["a", "b"]
    assert answers.gold.tolist() == [-1, -1]


def test_gold_is_encoded_per_task():
    answers = categorical_answers(["t1", "t2"], ["w", "w"], ["a", "b"], gold={"t2": "a"})
    assert answers.gold.tolist() == [-1, 0]
    assert answers.is_gold.tolist() == [False, True]


def test_numbers_of_both_kinds_are_one_type():
    answers = numeric_answers(["t", "t"], ["a", "b"], [1, 2.5])
    assert answers.label.tolist() == [1.0, 2.5]


@pytest.mark.parametrize(
    ("tasks", "workers", "labels", "gold", "message"),
    [
        ([], [], [], None, "no answers: the input is empty"),
        (["t"], ["w", "v"], ["a"], None, "differ in length"),
        (["t", "t"], ["w", "v"], ["a", 1], None, "label values are of mixed types"),
        (["t", "t"], ["w", "v"], ["a", None], None, "label has a missing value"),
        (["t", "t"], ["w", "v"], [1.0, math.nan], None, "label has a missing value"),
        (["t", "t"], ["w", "v"], np.array([1.0, np.nan]), None, "label has a missing value"),
        (["t", "t"], ["w", ""], ["a", "b"], None, "worker is empty at index 1"),
        (["t", "t"], ["w", "  "], ["a", "b"], None, "worker is empty"),
        ([1, "t"], ["w", "v"], ["a", "b"], None, "task values are of mixed types"),
        (["t", "t"], ["w", "v"], ["a", "b"], {"x": "a"}, "gold task 'x' has no answers"),
        (
            ["t", "t"],
            ["w", "v"],
            ["a", "b"],
            {"t": "c"},
            "gold label 'c' for task 't' is not among",
        ),
        (["t", "t"], ["w", "v"], ["1", "2"], {"t": 1}, "gold label 1 for task 't' is not among"),
        (["t"], ["w"], [("a",)], None, "label values must be numbers or text, not tuple"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_problem(tasks, workers, labels, gold, message):
    with pytest.raises(ValueError, match=message):
        categorical_answers(tasks, workers, labels, gold)


def test_numeric_methods_refuse_text_and_nan_gold():
    with pytest.raises(ValueError, match="must be numbers"):
        numeric_answers(["t"], ["w"], ["tall"])
    with pytest.raises(ValueError, match="gold label has a missing value"):
        numeric_answers(["t"], ["w"], [1.0], gold={"t": math.nan})
    with pytest.raises(ValueError, match="gold labels must be numbers"):
        numeric_answers(["t"], ["w"], [1.0], gold={"t": "one"})


def test_aggregate_names_unknown_methods():
    with pytest.raises(ValueError, match="unknown method 'best'"):
        aggregate(["t"], ["w"], ["a"], method="best")


@pytest.mark.parametrize("method", ["mv", "wawa", "ds", "ods", "glad", "mace", "text"])
def test_aggregate_runs_every_categorical_method(method):
    result = aggregate(["t1", "t1", "t2"], ["w1", "w2", "w1"], ["a", "a", "b"], method=method)
    assert result.as_dict() == {"t1": "a", "t2": "b"}


@pytest.mark.parametrize(
    "workers", [[7, 3, 3], [10**15, -5, -5], np.array([7, 3, 3], dtype=np.uint8)]
)
def test_integer_ids_of_any_range_factorize_alike(workers):
    answers = categorical_answers(["t2", "t1", "t2"], workers, ["b", "a", "a"])
    assert answers.worker.tolist() == [1, 0, 0]
    assert answers.worker_ids.tolist() == sorted(set(np.asarray(workers).tolist()))
