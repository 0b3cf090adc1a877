"""Pairwise comparisons ("which of these two entries is better") to a ranking with uncertainty.

Bradley-Terry: P(i beats j) = sigmoid(s_i - s_j). Scores are the MAP estimate under a
N(0, 1/ridge) prior, which keeps an entry that never lost finite and pins the scale without
an arbitrary reference item; standard errors are sqrt(diag(H⁻¹)) of the posterior Hessian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu
from scipy.special import expit

from tolpa.aggregation.data import Progress, column

_INVERSE_BLOCK = 256


@dataclass(frozen=True)
class Ranking:
    """Items best first is `items[np.argsort(ranks)]`; skills are each worker's share of
    comparisons that agree with the final ranking (None when no workers were given)."""

    items: np.ndarray
    scores: np.ndarray
    std_errors: np.ndarray
    ranks: np.ndarray
    workers: np.ndarray | None
    skills: np.ndarray | None
    iterations: int


def _comparisons(left, right, winner) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item ids and (winner, loser) codes; refuses rows whose winner is neither side."""
    left, right, winner = column(left, "left"), column(right, "right"), column(winner, "winner")
    if not (len(left) == len(right) == len(winner)):
        raise ValueError("left, right and winner differ in length")
    if len(left) == 0:
        raise ValueError("no comparisons: the input is empty")
    if len({array.dtype.kind == "U" for array in (left, right, winner)}) > 1:
        raise ValueError("left, right and winner are of mixed types")
    same = np.flatnonzero(left == right)
    if len(same):
        raise ValueError(f"item {left[same[0]].item()!r} is compared with itself at row {same[0]}")
    left_won = winner == left
    neither = np.flatnonzero(~left_won & (winner != right))
    if len(neither):
        raise ValueError(f"winner at row {neither[0]} is neither the left nor the right item")
    items, codes = np.unique(np.concatenate([left, right]), return_inverse=True)
    left_code, right_code = codes[: len(left)], codes[len(left) :]
    return (
        items,
        np.where(left_won, left_code, right_code),
        np.where(left_won, right_code, left_code),
    )


def _log_posterior(scores: np.ndarray, won: np.ndarray, lost: np.ndarray, ridge: float) -> float:
    margin = scores[won] - scores[lost]
    return float(-np.logaddexp(0.0, -margin).sum() - 0.5 * ridge * (scores**2).sum())


def _hessian(scores, won, lost, ridge) -> sp.csc_matrix:
    """Negative Hessian: a graph Laplacian weighted by p(1-p) per comparison, plus the ridge."""
    n = len(scores)
    p = expit(scores[won] - scores[lost])
    weight = p * (1 - p)
    rows = np.concatenate([won, lost, won, lost])
    cols = np.concatenate([won, lost, lost, won])
    values = np.concatenate([weight, weight, -weight, -weight])
    return (sp.coo_matrix((values, (rows, cols)), shape=(n, n)) + ridge * sp.identity(n)).tocsc()


def _inverse_diagonal(matrix: sp.csc_matrix) -> np.ndarray:
    """diag(A⁻¹) by solving against identity blocks, so memory stays n × block, not n²."""
    n = matrix.shape[0]
    factor = splu(matrix)
    diagonal = np.empty(n)
    for start in range(0, n, _INVERSE_BLOCK):
        stop = min(start + _INVERSE_BLOCK, n)
        block = np.zeros((n, stop - start))
        block[np.arange(start, stop), np.arange(stop - start)] = 1.0
        diagonal[start:stop] = factor.solve(block)[np.arange(start, stop), np.arange(stop - start)]
    return diagonal


def bradley_terry(
    left: Sequence | np.ndarray,
    right: Sequence | np.ndarray,
    winner: Sequence | np.ndarray,
    *,
    workers: Sequence | np.ndarray | None = None,
    ridge: float = 0.1,
    max_iter: int = 100,
    tol: float = 1e-9,
    progress: Progress | None = None,
) -> Ranking:
    """Rank items from pairwise wins by Newton's method (the posterior is strictly concave, so
    a step-halving Newton converges in a handful of iterations)."""
    if ridge <= 0:
        raise ValueError("ridge must be positive")
    items, won, lost = _comparisons(left, right, winner)
    n = len(items)
    scores = np.zeros(n)
    current = _log_posterior(scores, won, lost, ridge)
    iteration = 0
    for iteration in range(1, max_iter + 1):
        surprise = 1.0 - expit(scores[won] - scores[lost])
        gradient = np.bincount(won, surprise, minlength=n) - np.bincount(
            lost, surprise, minlength=n
        )
        gradient -= ridge * scores
        step = splu(_hessian(scores, won, lost, ridge)).solve(gradient)
        size = 1.0
        while size > 1e-10:
            candidate = _log_posterior(scores + size * step, won, lost, ridge)
            if candidate >= current:
                break
            size /= 2
        scores, current = scores + size * step, candidate
        if progress is not None:
            progress(iteration, max_iter)
        if float(np.abs(size * step).max()) < tol:
            break
    std_errors = np.sqrt(_inverse_diagonal(_hessian(scores, won, lost, ridge)))
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.lexsort((items, -scores))] = np.arange(1, n + 1)
    worker_ids = skills = None
    if workers is not None:
        worker = column(workers, "worker")
        if len(worker) != len(won):
            raise ValueError("worker differs in length from the comparisons")
        worker_ids, codes = np.unique(worker, return_inverse=True)
        margin = scores[won] - scores[lost]
        agree = (margin > 0) + 0.5 * (margin == 0)
        skills = np.bincount(codes, agree) / np.bincount(codes)
    return Ranking(items, scores, std_errors, ranks, worker_ids, skills, iteration)
