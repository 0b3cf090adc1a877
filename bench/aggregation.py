"""Answer aggregation, Tolpa vs Crowd-Kit: accuracy and seconds per dataset and method, then a
synthetic scale run for Dawid-Skene. Prints markdown tables; not a test.

    .venv/bin/python bench/aggregation.py            # every dataset, 200k and 1M scale runs
    .venv/bin/python bench/aggregation.py --quick    # three small datasets, a 20k scale run

Datasets come from ../shared/datasets (or TOLPA_DATASETS_DIR). Accuracy is on the tasks whose
truth is known and answered; gal_hitspam_cf's truth is unusable, so it is timed only. Both
libraries run in this process on the same data; Tolpa's time includes encoding the ids.
Peak memory is the tracemalloc peak (numpy and pandas buffers are traced) in a second run,
so that tracing does not slow the timed one.
"""

import argparse
import os
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from crowdkit import aggregation as crowdkit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tolpa import aggregation as tolpa

warnings.filterwarnings("ignore", module="crowdkit")
warnings.filterwarnings("ignore", category=FutureWarning)

SPEED_ONLY = {"gal_hitspam_cf"}
QUICK_DATASETS = ("act_weather_amt", "zheng_dog", "zheng_duck")
GOLD_SHARE = 0.1
METHODS: dict[str, tuple[Callable, Callable | None]] = {
    "mv": (tolpa.majority_vote, crowdkit.MajorityVote),
    "wmv": (tolpa.weighted_majority_vote, None),
    "wawa": (tolpa.wawa, crowdkit.Wawa),
    "ds": (tolpa.dawid_skene, partial(crowdkit.DawidSkene, n_iter=100)),
    "ods": (tolpa.one_coin_dawid_skene, partial(crowdkit.OneCoinDawidSkene, n_iter=100)),
    "glad": (tolpa.glad, crowdkit.GLAD),
    "mace": (tolpa.mace, crowdkit.MACE),
}


def _datasets_dir() -> Path:
    configured = os.environ.get("TOLPA_DATASETS_DIR")
    return (
        Path(configured)
        if configured
        else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    )


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _timed(run: Callable):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def _peak_mib(run: Callable) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _accuracy(labels: pd.Series, truth: pd.Series) -> float:
    return float((labels.reindex(truth.index).to_numpy() == truth.to_numpy()).mean())


def _dataset_rows(name: str, folder: Path) -> list[dict]:
    frame = pd.read_csv(folder / "answers.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    truth = truth.set_index("task")["label"]
    truth = truth[truth.index.isin(frame["task"])]
    columns = [np.asarray(frame[column], dtype=str) for column in ("task", "worker", "label")]
    rng = np.random.default_rng(0)
    gold_tasks = rng.choice(
        truth.index.to_numpy(), max(1, int(GOLD_SHARE * len(truth))), replace=False
    )
    gold = truth[gold_tasks].to_dict()
    rows = []
    for method, (ours, theirs) in METHODS.items():
        given = gold if method == "wmv" else None
        scored = truth.drop(index=gold_tasks) if given else truth
        result, seconds = _timed(lambda: ours(tolpa.categorical_answers(*columns, given)))  # noqa: B023
        row = {
            "dataset": name,
            "method": method,
            "tolpa": _accuracy(pd.Series(result.labels, index=result.tasks), scored),
            "tolpa_s": seconds,
        }
        if theirs is not None:
            labels, seconds = _timed(lambda: theirs().fit_predict(frame))  # noqa: B023
            row |= {"crowdkit": _accuracy(labels, truth), "crowdkit_s": seconds}
        rows.append(row)
        _say(f"{name} {method}: done")
    return rows


def _points(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}"


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _accuracy_table(rows: list[dict]) -> None:
    print(
        "| dataset | method | Tolpa acc % | Crowd-Kit acc % | Δ points | Tolpa s | Crowd-Kit s | speed-up |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        speed_only = row["dataset"] in SPEED_ONLY
        ours, theirs = row["tolpa"], row.get("crowdkit")
        delta = None if theirs is None else ours - theirs
        speedup = row.get("crowdkit_s") and row["crowdkit_s"] / max(row["tolpa_s"], 1e-6)
        print(
            f"| {row['dataset']} | {row['method']}{'¹' if row['method'] == 'wmv' else ''} "
            f"| {'—' if speed_only else _points(ours)} | {'—' if speed_only else _points(theirs)} "
            f"| {'—' if speed_only else ('n/a' if delta is None else f'{100 * delta:+.2f}')} "
            f"| {_seconds(row['tolpa_s'])} | {_seconds(row.get('crowdkit_s'))} "
            f"| {'n/a' if not speedup else f'{speedup:.0f}×'} |"
        )


def _best_table(rows: list[dict]) -> None:
    print("\n| dataset | Tolpa best (no gold) | Crowd-Kit best | Tolpa − Crowd-Kit, points |")
    print("|---|---|---|---:|")
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        if dataset in SPEED_ONLY:
            continue
        mine = [row for row in rows if row["dataset"] == dataset and row["method"] != "wmv"]
        ours = max(mine, key=lambda row: row["tolpa"])
        theirs = max((row for row in mine if "crowdkit" in row), key=lambda row: row["crowdkit"])
        print(
            f"| {dataset} | {ours['method']} {_points(ours['tolpa'])} "
            f"| {theirs['method']} {_points(theirs['crowdkit'])} "
            f"| {100 * (ours['tolpa'] - theirs['crowdkit']):+.2f} |"
        )


def _crowd_kit_notes(folders: dict[str, Path]) -> None:
    """Why some Crowd-Kit numbers differ: its DS/ODS stop after a few iterations, and its MACE
    depends on row order."""
    print(
        "\n| dataset | CK DS iterations | CK DS at 100 it. % | CK ODS iterations | CK ODS at 100 it. % | CK MACE as given % | CK MACE rows sorted % |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, folder in folders.items():
        if name in SPEED_ONLY:
            continue
        frame = pd.read_csv(folder / "answers.csv", dtype=str, keep_default_na=False)
        truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
        truth = truth.set_index("task")["label"]
        truth = truth[truth.index.isin(frame["task"])]
        cells = []
        for model in (crowdkit.DawidSkene, crowdkit.OneCoinDawidSkene):
            stopped = model(n_iter=100).fit(frame)
            full = model(n_iter=100, tol=-np.inf).fit(frame)
            cells += [str(len(stopped.loss_history_)), _points(_accuracy(full.labels_, truth))]
        ordered = frame.sort_values(["worker", "label"], kind="stable").reset_index(drop=True)
        for data in (frame, ordered):
            cells.append(_points(_accuracy(crowdkit.MACE().fit_predict(data), truth)))
        print(f"| {name} | " + " | ".join(cells) + " |")
        _say(f"{name} notes: done")


def _synthetic(n_tasks: int, seed: int = 0) -> pd.DataFrame:
    """n_tasks × 5 answers from 2,000 one-coin workers (accuracy 0.5-0.95), 4 classes."""
    rng = np.random.default_rng(seed)
    n_workers, per_task, k = 2_000, 5, 4
    accuracy = rng.uniform(0.5, 0.95, n_workers)
    truth = rng.integers(0, k, n_tasks)
    stride = rng.integers(1, n_workers // per_task, n_tasks)
    workers = (
        rng.integers(0, n_workers, n_tasks)[:, None] + np.arange(per_task) * stride[:, None]
    ) % n_workers
    tasks = np.repeat(np.arange(n_tasks), per_task)
    workers = workers.ravel()
    right = rng.random(len(tasks)) < accuracy[workers]
    labels = np.where(right, truth[tasks], (truth[tasks] + rng.integers(1, k, len(tasks))) % k)
    return pd.DataFrame({"task": tasks, "worker": workers, "label": labels}), truth


def _scale_row(n_tasks: int, with_crowd_kit: bool) -> None:
    frame, truth = _synthetic(n_tasks)
    columns = [frame[column].to_numpy() for column in ("task", "worker", "label")]

    def ours():
        return tolpa.dawid_skene(tolpa.categorical_answers(*columns))

    def theirs():
        return crowdkit.DawidSkene(n_iter=100).fit(frame)

    runs = [("Tolpa", ours)] + ([("Crowd-Kit", theirs)] if with_crowd_kit else [])
    for library, run in runs:
        fitted, seconds = _timed(run)
        labels = fitted.labels if library == "Tolpa" else fitted.labels_.sort_index().to_numpy()
        iterations = fitted.iterations if library == "Tolpa" else len(fitted.loss_history_)
        peak = _peak_mib(run)
        print(
            f"| {n_tasks:,} | {len(frame):,} | {library} DS | {seconds:.2f} | {iterations} "
            f"| {peak:,.0f} | {100 * (labels == truth).mean():.2f} |"
        )
        _say(f"scale {n_tasks} {library}: done")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small datasets, small scale run")
    quick = parser.parse_args().quick
    root = _datasets_dir()
    if not root.is_dir():
        sys.exit(f"datasets not found in {root} (set TOLPA_DATASETS_DIR)")
    names = (
        QUICK_DATASETS
        if quick
        else sorted(p.name for p in root.iterdir() if (p / "answers.csv").is_file())
    )
    folders = {name: root / name for name in names}
    rows = [row for name, folder in folders.items() for row in _dataset_rows(name, folder)]
    print(f"## Accuracy and seconds ({'quick' if quick else 'full'} run)\n")
    _accuracy_table(rows)
    print(
        f"\n¹ wmv is given {GOLD_SHARE:.0%} of the truth as gold and scored on the rest; "
        "Crowd-Kit has no gold-weighted counterpart run here. Bradley-Terry has no pairwise data here."
    )
    _best_table(rows)
    if not quick:
        print("\n## Crowd-Kit's stopping rule and MACE row order\n")
        _crowd_kit_notes(folders)
    print("\n## Dawid-Skene at scale (synthetic: 5 answers per task, 2,000 workers, 4 classes)\n")
    print(
        "| tasks | answers | run | seconds | EM iterations | peak MiB (tracemalloc) | accuracy % |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|")
    if quick:
        _scale_row(20_000, with_crowd_kit=True)
    else:
        _scale_row(200_000, with_crowd_kit=True)
        _scale_row(1_000_000, with_crowd_kit=False)


if __name__ == "__main__":
    main()
