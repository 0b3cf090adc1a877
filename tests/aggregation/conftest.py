"""Helpers for the aggregation tests: tiny crowds, and the public datasets kept outside the repo."""

import csv
import os
from pathlib import Path

import numpy as np
import pytest

DATASETS = (
    "act_sentiment",
    "act_weather_amt",
    "act_zencrowd",
    "gal_adult2",
    "gal_hitspam_cf",
    "zhang_rte",
    "zhang_trec",
    "zheng_dog",
    "zheng_duck",
    "zheng_product",
)


def datasets_dir() -> Path:
    configured = os.environ.get("TOLPA_DATASETS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def dataset_path(name: str) -> Path:
    folder = datasets_dir() / name
    if not (folder / "answers.csv").is_file():
        pytest.skip(f"dataset {name} not found in {datasets_dir()} (set TOLPA_DATASETS_DIR)")
    return folder


def read_csv(path: Path) -> dict[str, np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {key: np.array([row[key] for row in rows], dtype=str) for key in rows[0]}


def simulate(rng: np.random.Generator, n_tasks: int, accuracies, k: int, per_task: int):
    """A crowd where worker w answers right with probability accuracies[w], else uniformly
    among the wrong classes; returns (truth, tasks, workers, labels) as int arrays."""
    accuracies = np.asarray(accuracies)
    truth = rng.integers(0, k, n_tasks)
    per_task = min(per_task, len(accuracies))
    workers = np.concatenate(
        [rng.choice(len(accuracies), per_task, replace=False) for _ in range(n_tasks)]
    )
    tasks = np.repeat(np.arange(n_tasks), per_task)
    right = rng.random(len(tasks)) < accuracies[workers]
    wrong = (truth[tasks] + rng.integers(1, max(k, 2), len(tasks))) % k
    labels = np.where(right, truth[tasks], wrong)
    return truth, tasks, workers, labels
