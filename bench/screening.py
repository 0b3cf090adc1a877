"""Near-duplicate screening of ideas: seconds, peak memory, precision and recall on synthetic
paraphrases in English, Russian and Vietnamese. Prints markdown tables; not a test.

    .venv/bin/python bench/screening.py            # 100,000 ideas
    .venv/bin/python bench/screening.py --quick    # 10,000 ideas

The ideas come from bench/screening_data.py: groups of paraphrases of one idea, whose
pairs are the labelled duplicates; ideas from different templates that share three of the
four slots are the hard negatives. The index folds accents.
Pairs come from the candidate search (MinHash LSH, then exact scores) at either size; its
recall against the exact search is printed for the labelled duplicates (whose exact scores
are cheap) and, with --quick, for all pairs, timing the exact search too (only then: it took 799 s at 100,000).
Peak memory is the tracemalloc peak (numpy and scipy buffers are traced) in a second run,
so that tracing does not slow the timed one.
"""

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from screening_data import synthetic_ideas

from tolpa import screening
from tolpa.screening.candidates import BANDS, MINIMA, ROWS, candidate_keys
from tolpa.screening.pairs import scored_pairs

THRESHOLDS = (0.5, 0.6, 0.7)
QUERIES = 1_000


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


def _labelled_pair_keys(groups: np.ndarray) -> np.ndarray:
    """i * n + j for every i < j in the same duplicate group."""
    n = len(groups)
    order = np.argsort(groups, kind="stable")
    keys = []
    for members in np.split(order, np.flatnonzero(np.diff(groups[order])) + 1):
        members = np.sort(members)
        i, j = np.triu_indices(len(members), 1)
        keys.append(members[i] * n + members[j])
    return np.concatenate(keys)


def _co_clustered(labels: np.ndarray, groups: np.ndarray) -> tuple[int, int]:
    """(pairs put together, of which labelled duplicates), without listing the pairs."""

    def together(*keys):
        _, counts = np.unique(np.stack(keys, axis=1), axis=0, return_counts=True)
        return int((counts * (counts - 1) // 2).sum())

    return together(labels), together(labels, groups)


def _quality_rows(index, pairs, groups) -> None:
    n = len(groups)
    truth = _labelled_pair_keys(groups)
    for threshold in THRESHOLDS:
        kept = pairs[pairs["score"] >= threshold]
        hits = np.isin(kept["i"] * n + kept["j"], truth).sum()
        labels = screening.clusters(kept, n, min_to_medoid=threshold)
        together, right = _co_clustered(labels, groups)
        print(
            f"| {threshold:.2f} | {len(kept):,} | {100 * hits / max(len(kept), 1):.1f} "
            f"| {100 * hits / len(truth):.1f} | {labels.max() + 1:,} "
            f"| {100 * right / max(together, 1):.1f} | {100 * right / len(truth):.1f} |"
        )


def _latency(index, texts: list[str]) -> tuple[float, float]:
    rng = random.Random(1)
    seconds = []
    for _ in range(QUERIES):
        title = rng.choice(texts)
        typed = title[: max(5, int(len(title) * rng.uniform(0.5, 1.0)))]
        started = time.perf_counter()
        index.similar(typed, k=5, threshold=0.3)
        seconds.append(time.perf_counter() - started)
    return 1000 * float(np.median(seconds)), 1000 * float(np.quantile(seconds, 0.99))


def _recall_rows(index, pairs, groups, exact) -> None:
    """Share of the exact search's pairs that the candidate search found, per threshold:
    of all pairs (only when the exact search ran) and of the labelled duplicates, whose exact
    scores are cheap to compute at any n."""
    n = len(groups)
    truth = _labelled_pair_keys(groups)
    vectors = index.vectors
    truth_scores = np.asarray(vectors[truth // n].multiply(vectors[truth % n]).sum(axis=1)).ravel()
    for threshold in THRESHOLDS:
        found = (
            pairs["i"][pairs["score"] >= threshold] * n + pairs["j"][pairs["score"] >= threshold]
        )
        labelled = truth[truth_scores >= threshold]
        cells = [f"{threshold:.2f}", f"{len(labelled):,}"]
        cells.append(f"{100 * np.isin(labelled, found).mean():.2f}")
        if exact is not None:
            kept = exact[exact["score"] >= threshold]
            cells += [
                f"{len(kept):,}",
                f"{100 * np.isin(kept['i'] * n + kept['j'], found).mean():.2f}",
            ]
        print(f"| {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 ideas instead of 100,000")
    quick = parser.parse_args().quick
    n = 10_000 if quick else 100_000
    texts, groups = synthetic_ideas(n)
    ids = list(range(n))
    threshold = min(THRESHOLDS)
    _say(f"{n:,} ideas generated")
    index, build_s = _timed(lambda: screening.SimilarityIndex(ids, texts, fold_accents=True))
    _say("index built")
    keys, candidates_s = _timed(lambda: candidate_keys(index.vectors))
    pairs, score_s = _timed(lambda: scored_pairs(index.vectors, keys, threshold))
    _say("pairs found")
    _, cluster_s = _timed(lambda: screening.clusters(pairs, n, min_to_medoid=threshold))
    exact, exact_s = _timed(lambda: index.pairs(threshold, exact=True)) if quick else (None, None)
    median_ms, p99_ms = _latency(index, texts)
    _say("latency measured")

    def whole_run():
        built = screening.SimilarityIndex(ids, texts, fold_accents=True)
        screening.clusters(built.pairs(threshold, exact=False), n, min_to_medoid=threshold)

    peak = _peak_mib(whole_run)
    _say("peak memory measured")
    print(f"## Screening {n:,} synthetic ideas (en/ru/vi, {groups.max() + 1:,} groups)\n")
    print("| step | seconds |")
    print("|---|---:|")
    print(f"| build index (char_wb 3-5, fold accents) | {build_s:.2f} |")
    print(
        f"| candidates, MinHash LSH {MINIMA} values, {BANDS} bands of {ROWS} ({len(keys):,} pairs) | {candidates_s:.2f} |"
    )
    print(f"| exact scores of the candidates, cosine ≥ {threshold} | {score_s:.2f} |")
    print(f"| clusters (medoid guard {threshold}) | {cluster_s:.2f} |")
    if exact_s is not None:
        print(f"| for comparison: exact pair search, cosine ≥ {threshold} | {exact_s:.2f} |")
    print(f"\nPeak memory, build + pairs + clusters (tracemalloc): {peak:,.0f} MiB\n")
    print(
        "| threshold | pairs | pair precision % | pair recall % | clusters "
        "| co-cluster precision % | co-cluster recall % |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    _quality_rows(index, pairs, groups)
    print("\nCandidate search against the exact search (recall %):\n")
    header = "| threshold | labelled pairs at or above | found % |"
    print(header + (" exact pairs | found % |" if quick else ""))
    print("|---:|---:|---:|" + ("---:|---:|" if quick else ""))
    _recall_rows(index, pairs, groups, exact)
    print(
        f"\n`similar()` on a typed prefix, {QUERIES:,} queries: median {median_ms:.2f} ms, "
        f"p99 {p99_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
