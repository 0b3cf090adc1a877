"""Input validation and encoding: every method works on small integer arrays, never on ids.

Ids and labels arrive as whatever the caller has (lists of strings, numpy arrays of ints);
they are checked once here, factorized into sorted 0..n-1 codes, and turned back
into the caller's values only in the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Progress = Callable[[int, int], None]
"""Called as progress(done, total) after each step of an iterative method."""

_NUMBER_KINDS = {"integer", "number"}


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | np.integer):
        return "integer"
    if isinstance(value, float | np.floating):
        return "missing" if math.isnan(value) else "number"
    if value is None:
        return "missing"
    return type(value).__name__


_kinds_of = np.frompyfunc(_kind, 1, 1)


def column(values: Sequence | np.ndarray, name: str) -> np.ndarray:
    """One input column as a numpy array of a single kind (numbers, text or booleans).

    Refuses NaN/None, empty strings and mixed kinds, naming the column and the first bad row,
    because a silent coercion (numpy turns [1, "a"] into ["1", "a"]) would merge classes.
    """
    if isinstance(values, np.ndarray):
        array = values
    else:
        array = np.fromiter(values, dtype=object, count=len(values))
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if len(array) == 0:
        return np.empty(0, dtype=np.int64)
    if array.dtype.kind == "O":
        kinds = _kinds_of(array)
        missing = np.flatnonzero(kinds == "missing")
        if len(missing):
            raise ValueError(f"{name} has a missing value (NaN or None) at index {missing[0]}")
        found = set(np.unique(kinds).tolist())
        merged = {"number" if kind in _NUMBER_KINDS else kind for kind in found}
        if len(merged) > 1:
            raise ValueError(f"{name} values are of mixed types ({', '.join(sorted(found))})")
        unsupported = merged - {"number", "text", "bool"}
        if unsupported:
            raise ValueError(f"{name} values must be numbers or text, not {unsupported.pop()}")
        if merged == {"text"}:
            array = array.astype(str)
        elif merged == {"bool"}:
            array = array.astype(bool)
        elif found == {"integer"}:
            array = array.astype(np.int64)
        elif merged:
            array = array.astype(np.float64)
    if array.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(array))
        if len(missing):
            raise ValueError(f"{name} has a missing value (NaN) at index {missing[0]}")
    elif array.dtype.kind == "U":
        empty = np.flatnonzero((array == "") | np.char.isspace(array))
        if len(empty):
            raise ValueError(f"{name} is empty at index {empty[0]}")
    elif array.dtype.kind not in "iub":
        raise ValueError(f"{name} values must be numbers or text, not {array.dtype}")
    return array


def _same_family(a: np.ndarray, b: np.ndarray) -> bool:
    text = {a.dtype.kind == "U", b.dtype.kind == "U"}
    return len(text) == 1


def _compact_integer_codes(values: np.ndarray, low: int, high: int):
    offset = values - low
    present = np.zeros(high - low + 1, dtype=bool)
    present[offset] = True
    return (np.flatnonzero(present) + low).astype(values.dtype), (np.cumsum(present) - 1)[offset]


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and each row's position among them: by counting for integers of
    a compact range (ids from a database), by np.unique (a sort) otherwise."""
    if values.dtype.kind in "iu" and int(values.max()) - int(values.min()) <= 4 * len(values):
        ids, codes = _compact_integer_codes(values, int(values.min()), int(values.max()))
    else:
        ids, codes = np.unique(values, return_inverse=True)
    return ids, codes.astype(np.int32 if len(values) < 2**31 else np.int64)


@dataclass(frozen=True)
class Answers:
    """Answers factorized to integer codes, so that every method is bincount and sparse algebra.

    `label` holds class codes (categorical) or float values (numeric); `gold` has one entry
    per task: the true class code or -1 (categorical), the true value or NaN (numeric).
    """

    task: np.ndarray
    worker: np.ndarray
    label: np.ndarray
    task_ids: np.ndarray
    worker_ids: np.ndarray
    classes: np.ndarray | None
    gold: np.ndarray

    @property
    def n_answers(self) -> int:
        return len(self.task)

    @property
    def n_tasks(self) -> int:
        return len(self.task_ids)

    @property
    def n_workers(self) -> int:
        return len(self.worker_ids)

    @property
    def n_classes(self) -> int:
        return 0 if self.classes is None else len(self.classes)

    @property
    def is_gold(self) -> np.ndarray:
        return self.gold >= 0 if self.classes is not None else ~np.isnan(self.gold)


def _ids_and_rows(tasks, workers, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    task = column(tasks, "task")
    worker = column(workers, "worker")
    label = column(labels, "label")
    if not (len(task) == len(worker) == len(label)):
        raise ValueError(
            f"task, worker and label differ in length ({len(task)}, {len(worker)}, {len(label)})"
        )
    if len(task) == 0:
        raise ValueError("no answers: the input is empty")
    return task, worker, label


def _gold_rows(gold: Mapping, task_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of gold tasks among `task_ids`, and the gold labels as a validated column."""
    gold_tasks = column(list(gold.keys()), "gold task")
    gold_labels = column(list(gold.values()), "gold label")
    position = np.zeros(len(gold_tasks), dtype=np.int64)
    if _same_family(gold_tasks, task_ids):
        position = np.minimum(np.searchsorted(task_ids, gold_tasks), len(task_ids) - 1)
        unanswered = np.flatnonzero(task_ids[position] != gold_tasks)
    else:
        unanswered = np.arange(len(gold_tasks))
    if len(unanswered):
        raise ValueError(f"gold task {gold_tasks[unanswered[0]].item()!r} has no answers")
    return position, gold_labels


def categorical_answers(
    tasks: Sequence | np.ndarray,
    workers: Sequence | np.ndarray,
    labels: Sequence | np.ndarray,
    gold: Mapping | None = None,
) -> Answers:
    """Validate and encode class answers; gold maps task id to its known true label."""
    task, worker, label = _ids_and_rows(tasks, workers, labels)
    task_ids, task_codes = _codes(task)
    worker_ids, worker_codes = _codes(worker)
    classes, label_codes = _codes(label)
    gold_codes = np.full(len(task_ids), -1, dtype=np.int64)
    if gold:
        position, gold_labels = _gold_rows(gold, task_ids)
        known = np.zeros(len(gold_labels), dtype=bool)
        code = np.zeros(len(gold_labels), dtype=np.int64)
        if _same_family(gold_labels, classes):
            code = np.minimum(np.searchsorted(classes, gold_labels), len(classes) - 1)
            known = classes[code] == gold_labels
        if not known.all():
            bad = np.flatnonzero(~known)[0]
            raise ValueError(
                f"gold label {gold_labels[bad].item()!r} for task "
                f"{task_ids[position[bad]].item()!r} is not among the answer classes"
            )
        gold_codes[position] = code
    return Answers(task_codes, worker_codes, label_codes, task_ids, worker_ids, classes, gold_codes)


def numeric_answers(
    tasks: Sequence | np.ndarray,
    workers: Sequence | np.ndarray,
    values: Sequence | np.ndarray,
    gold: Mapping | None = None,
) -> Answers:
    """Validate and encode numeric answers (estimates, counts, ratings) as float values."""
    task, worker, value = _ids_and_rows(tasks, workers, values)
    if value.dtype.kind not in "iuf":
        raise ValueError("label values must be numbers for a numeric method")
    task_ids, task_codes = _codes(task)
    worker_ids, worker_codes = _codes(worker)
    gold_values = np.full(len(task_ids), np.nan)
    if gold:
        position, gold_labels = _gold_rows(gold, task_ids)
        if gold_labels.dtype.kind not in "iuf":
            raise ValueError("gold labels must be numbers for a numeric method")
        gold_values[position] = gold_labels
    return Answers(
        task_codes, worker_codes, value.astype(np.float64), task_ids, worker_ids, None, gold_values
    )


@dataclass(frozen=True)
class Aggregate:
    """One answer per task with a confidence, and a skill per worker (higher is better).

    Categorical methods also give the full posterior over `classes`; Dawid-Skene gives each
    worker's confusion matrix [worker, answered, true]; GLAD gives each task's difficulty.
    """

    tasks: np.ndarray
    labels: np.ndarray
    confidence: np.ndarray
    workers: np.ndarray
    skills: np.ndarray
    probabilities: np.ndarray | None = None
    classes: np.ndarray | None = None
    confusions: np.ndarray | None = None
    difficulties: np.ndarray | None = None
    iterations: int = 1

    def as_dict(self) -> dict:
        """Task id to label, for callers that want plain Python."""
        return dict(zip(self.tasks.tolist(), self.labels.tolist(), strict=True))
