"""`tolpa aggregate answers.csv --method ds`: the engine on its own, CSV in and CSV out.

Input columns: task,worker,label (bt: left,right,winner and optionally worker); --gold takes
task,label. Output: task,label,confidence; `text --top-k K` writes the K best distinct
answers per task with rank and support; `bt` writes item,score,std_error,rank. A progress
bar goes to stderr; bad input ends with one line on stderr and exit status 1 (bad options: 2).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from tolpa.aggregation.data import Progress, categorical_answers
from tolpa.aggregation.methods import METHODS, NUMERIC, aggregate
from tolpa.aggregation.pairwise import bradley_terry
from tolpa.aggregation.text import text_candidates

_BAD_INPUT = 1
_BAD_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _UsageError(message)


class ProgressBar:
    """A one-line text bar on stderr (tqdm would be a dependency for one line of output)."""

    def __init__(self, title: str, stream: TextIO, width: int = 30):
        self.title, self.stream, self.width = title, stream, width
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        self.shown = True
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.title} [{bar}] {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        seconds = time.perf_counter() - self.started
        self.stream.write(f"\r{self.title} [{'#' * self.width}] done in {seconds:.2f}s\n")
        self.stream.flush()

    def abandon(self) -> None:
        """End a half-drawn bar so an error message starts on its own line."""
        if self.shown:
            self.stream.write("\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tolpa aggregate", description=__doc__.splitlines()[0])
    parser.add_argument("answers", type=Path, help="CSV: task,worker,label (bt: left,right,winner)")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="ds",
        help="classes: mv, wmv (needs --gold), wawa, ds, ods, glad, mace; numbers: median, "
        "robust-mean; free text: text; pairwise comparisons: bt (default ds)",
    )
    parser.add_argument("--gold", type=Path, help="CSV with task,label of known answers")
    parser.add_argument("--output", type=Path, help="where to write the CSV (default stdout)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (mace restarts)")
    parser.add_argument("--top-k", type=int, help="text: write the K best answers per task")
    return parser


def _read_columns(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> dict:
    """The named columns of a CSV file as numpy string arrays; absent optional ones are None."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in required if name not in header]
        if missing:
            raise ValueError(f"{path.name} lacks column(s) {', '.join(missing)}")
        rows = list(reader)
    short = next((line for line, row in enumerate(rows, 2) if len(row) != len(header)), None)
    if short is not None:
        raise ValueError(f"{path.name} line {short} has a different number of fields")
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    return {
        name: np.array(columns[header.index(name)], dtype=str) if name in header else None
        for name in (*required, *optional)
    }


def _numbers(values: np.ndarray, what: str) -> np.ndarray:
    try:
        return values.astype(np.float64)
    except ValueError:
        for line, value in enumerate(values.tolist(), 2):
            try:
                float(value)
            except ValueError:
                raise ValueError(f"{what} {value!r} on line {line} is not a number") from None
        raise


def _gold(path: Path | None, numeric: bool) -> dict | None:
    if path is None:
        return None
    columns = _read_columns(path, ("task", "label"))
    labels = _numbers(columns["label"], "gold label") if numeric else columns["label"]
    gold: dict = {}
    for task, label in zip(columns["task"].tolist(), labels.tolist(), strict=True):
        if gold.setdefault(task, label) != label:
            raise ValueError(f"gold task {task!r} is listed twice with different labels")
    return gold


def _write(rows: list[list], header: Sequence[str], output: Path | None, stdout: TextIO) -> None:
    if output is None:
        csv.writer(stdout, lineterminator="\n").writerows([header, *rows])
        return
    with output.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def _ranking_rows(path: Path, progress: Progress) -> tuple[list, list]:
    columns = _read_columns(path, ("left", "right", "winner"), ("worker",))
    ranking = bradley_terry(
        columns["left"],
        columns["right"],
        columns["winner"],
        workers=columns["worker"],
        progress=progress,
    )
    order = np.argsort(ranking.ranks)
    rows = [
        [item, f"{score:.6g}", f"{error:.6g}", rank]
        for item, score, error, rank in zip(
            ranking.items[order].tolist(),
            ranking.scores[order].tolist(),
            ranking.std_errors[order].tolist(),
            ranking.ranks[order].tolist(),
            strict=True,
        )
    ]
    return ["item", "score", "std_error", "rank"], rows


def _candidate_rows(columns: dict, gold: dict | None, k: int) -> tuple[list, list]:
    answers = categorical_answers(columns["task"], columns["worker"], columns["label"], gold)
    found = text_candidates(answers, k=k)
    rows = [
        [task, text, f"{score:.6g}", rank, support]
        for task, text, score, rank, support in zip(
            found.tasks.tolist(),
            found.texts.tolist(),
            found.scores.tolist(),
            found.ranks.tolist(),
            found.support.tolist(),
            strict=True,
        )
    ]
    return ["task", "label", "confidence", "rank", "support"], rows


def _run(options: argparse.Namespace, progress: Progress) -> tuple[list, list]:
    if options.top_k is not None and options.method != "text":
        raise _UsageError("--top-k applies to --method text only")
    if options.method == "bt":
        if options.gold is not None:
            raise _UsageError("--gold does not apply to --method bt")
        return _ranking_rows(options.answers, progress)
    numeric = options.method in NUMERIC
    columns = _read_columns(options.answers, ("task", "worker", "label"))
    gold = _gold(options.gold, numeric)
    if options.top_k is not None:
        return _candidate_rows(columns, gold, options.top_k)
    labels = _numbers(columns["label"], "label") if numeric else columns["label"]
    result = aggregate(
        columns["task"],
        columns["worker"],
        labels,
        method=options.method,
        gold=gold,
        seed=options.seed,
        progress=progress,
    )
    shown = [f"{value:.10g}" for value in result.labels.tolist()] if numeric else result.labels
    rows = [
        [task, label, f"{confidence:.6g}"]
        for task, label, confidence in zip(
            result.tasks.tolist(), list(shown), result.confidence.tolist(), strict=True
        )
    ]
    return ["task", "label", "confidence"], rows


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 bad input, 2 bad usage)."""
    stdout = sys.stdout if stdout is None else stdout
    try:
        options = _parser().parse_args(argv)
    except _UsageError as error:
        print(f"tolpa aggregate: usage error: {_one_line(error)}", file=sys.stderr)
        return _BAD_USAGE
    bar = ProgressBar(f"tolpa aggregate {options.method}", sys.stderr)
    try:
        header, rows = _run(options, bar)
        bar.close()
        _write(rows, header, options.output, stdout)
    except _UsageError as error:
        print(f"tolpa aggregate: usage error: {_one_line(error)}", file=sys.stderr)
        return _BAD_USAGE
    except (ValueError, OSError, csv.Error) as error:
        bar.abandon()
        print(f"tolpa aggregate: error: {_one_line(error)}", file=sys.stderr)
        return _BAD_INPUT
    return 0


def _one_line(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.filename and error.strerror:
        text = f"{error.strerror}: {error.filename}"
    return " ".join(text.split())
