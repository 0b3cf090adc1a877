"""Answer aggregation, Tolpa vs Crowd-Kit: accuracy and seconds per dataset and method, then a
synthetic scale run for Dawid-Skene. Prints markdown tables; not a test.

    .venv/bin/python bench/aggregation.py            # every dataset, 200k and 1M scale runs
    .venv/bin/python bench/aggregation.py --quick    # three small datasets, a 20k scale run
    .venv/bin/python bench/aggregation.py --datasets zheng_dog act_zencrowd --no-scale

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


def _right(labels: pd.Series, truth: pd.Series) -> np.ndarray:
    return labels.reindex(truth.index).to_numpy() == truth.to_numpy()


def _accuracy(labels: pd.Series, truth: pd.Series) -> float:
    return float(_right(labels, truth).mean())


def _read(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    frame = pd.read_csv(folder / "answers.csv", dtype=str, keep_default_na=False)
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    truth = truth.set_index("task")["label"]
    return frame, truth[truth.index.isin(frame["task"])]


def _dataset_rows(name: str, folder: Path) -> list[dict]:
    frame, truth = _read(folder)
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
        right = _right(pd.Series(result.labels, index=result.tasks), scored)
        row = {
            "dataset": name,
            "method": method,
            "tolpa": float(right.mean()),
            "tolpa_right": right,
            "tolpa_s": seconds,
        }
        if theirs is not None:
            labels, seconds = _timed(lambda: theirs().fit_predict(frame))  # noqa: B023
            right = _right(labels, truth)
            row |= {"crowdkit": float(right.mean()), "crowdkit_right": right, "crowdkit_s": seconds}
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


def _best_table(rows: list[dict], converged: dict[str, dict[str, float]]) -> None:
    """Best method per dataset by accuracy, with the tasks on which only one of the two best
    methods is right (the paired evidence behind a difference), and, when computed, Crowd-Kit's
    best once its DS/ODS run to convergence and its MACE reads rows in sorted order."""
    print(
        "\n| dataset | Tolpa best (no gold) | Crowd-Kit best | Tolpa − Crowd-Kit, points "
        "| tasks only Tolpa / only Crowd-Kit right | Crowd-Kit best, converged, rows sorted "
        "| Tolpa − that, points |"
    )
    print("|---|---|---|---:|---:|---|---:|")
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        if dataset in SPEED_ONLY:
            continue
        mine = [row for row in rows if row["dataset"] == dataset and row["method"] != "wmv"]
        ours = max(mine, key=lambda row: row["tolpa"])
        theirs = max((row for row in mine if "crowdkit" in row), key=lambda row: row["crowdkit"])
        only_ours = int((ours["tolpa_right"] & ~theirs["crowdkit_right"]).sum())
        only_theirs = int((~ours["tolpa_right"] & theirs["crowdkit_right"]).sum())
        fair = ["n/a", "n/a"]
        if dataset in converged:
            scores = {row["method"]: row["crowdkit"] for row in mine if "crowdkit" in row}
            scores |= converged[dataset]
            method = max(scores, key=scores.get)
            fair = [
                f"{method} {_points(scores[method])}",
                f"{100 * (ours['tolpa'] - scores[method]):+.2f}",
            ]
        print(
            f"| {dataset} | {ours['method']} {_points(ours['tolpa'])} "
            f"| {theirs['method']} {_points(theirs['crowdkit'])} "
            f"| {100 * (ours['tolpa'] - theirs['crowdkit']):+.2f} | {only_ours} / {only_theirs} "
            f"| {fair[0]} | {fair[1]} |"
        )


def _crowd_kit_notes(folders: dict[str, Path]) -> dict[str, dict[str, float]]:
    """Why some Crowd-Kit numbers differ: its DS/ODS stop after a few iterations, and its MACE
    depends on row order. Tolpa stopped at Crowd-Kit's iteration count (`max_iter`) shows
    that the early stop, not the model, makes the difference. Returns Crowd-Kit's accuracy
    per method once run to convergence with rows sorted."""
    print(
        "| dataset | CK DS iterations | CK DS at 100 it. % | Tolpa DS at CK's it. % "
        "| CK ODS iterations | CK ODS at 100 it. % | Tolpa ODS at CK's it. % "
        "| CK MACE as given % | CK MACE rows sorted % |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    converged = {}
    for name, folder in folders.items():
        if name in SPEED_ONLY:
            continue
        frame, truth = _read(folder)
        columns = [np.asarray(frame[column], dtype=str) for column in ("task", "worker", "label")]
        answers = tolpa.categorical_answers(*columns)
        cells, fair = [], {}
        for method, model, ours in (
            ("ds", crowdkit.DawidSkene, tolpa.dawid_skene),
            ("ods", crowdkit.OneCoinDawidSkene, tolpa.one_coin_dawid_skene),
        ):
            iterations = len(model(n_iter=100).fit(frame).loss_history_)
            fair[method] = _accuracy(model(n_iter=100, tol=-np.inf).fit(frame).labels_, truth)
            capped = ours(answers, max_iter=iterations, tol=-np.inf)
            capped = _accuracy(pd.Series(capped.labels, index=capped.tasks), truth)
            cells += [str(iterations), _points(fair[method]), _points(capped)]
        ordered = frame.sort_values(["worker", "label"], kind="stable").reset_index(drop=True)
        cells.append(_points(_accuracy(crowdkit.MACE().fit_predict(frame), truth)))
        fair["mace"] = _accuracy(crowdkit.MACE().fit_predict(ordered), truth)
        cells.append(_points(fair["mace"]))
        converged[name] = fair
        print(f"| {name} | " + " | ".join(cells) + " |")
        _say(f"{name} notes: done")
    return converged


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
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--quick", action="store_true", help="small datasets, small scale run")
    parser.add_argument("--datasets", nargs="+", metavar="NAME", help="only these datasets")
    parser.add_argument(
        "--no-scale", action="store_true", help="accuracy tables only, no synthetic scale run"
    )
    options = parser.parse_args()
    quick = options.quick
    root = _datasets_dir()
    if not root.is_dir():
        sys.exit(f"datasets not found in {root} (set TOLPA_DATASETS_DIR)")
    available = sorted(p.name for p in root.iterdir() if (p / "answers.csv").is_file())
    names = options.datasets or (QUICK_DATASETS if quick else available)
    unknown = sorted(set(names) - set(available))
    if unknown:
        sys.exit(f"unknown datasets: {', '.join(unknown)} (have: {', '.join(available)})")
    folders = {name: root / name for name in names}
    rows = [row for name, folder in folders.items() for row in _dataset_rows(name, folder)]
    converged = {}
    if not quick:
        print("## Crowd-Kit's stopping rule and MACE row order\n")
        converged = _crowd_kit_notes(folders)
    print(f"\n## Accuracy and seconds ({'quick' if quick else 'full'} run)\n")
    _accuracy_table(rows)
    print(
        f"\n¹ wmv is given {GOLD_SHARE:.0%} of the truth as gold and scored on the rest; "
        "Crowd-Kit has no gold-weighted counterpart run here. Bradley-Terry has no pairwise data here."
    )
    _best_table(rows, converged)
    if options.no_scale:
        return
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
