"""Numeric answers (counts, prices, ratings, coordinates): one value per task.

Confidence is the (weighted) share of a task's answers that lie within one crowd-typical error
of the estimate; the crowd-typical error is the robust scale (1.4826 · median absolute residual)
of all answers around the per-task medians. Skill is that scale over the worker's own error
scale: 1 is a typical worker, 2 a worker half as noisy.
"""

from __future__ import annotations

import numpy as np

from tolpa.aggregation.data import Aggregate, Answers, Progress

_MAD_TO_SIGMA = 1.4826
_HUBER = 1.345
_WORKER_PRIOR = 2.0
_CLIP = 3.0


def _task_medians(answers: Answers) -> np.ndarray:
    order = np.lexsort((answers.label, answers.task))
    values = answers.label[order]
    counts = np.bincount(answers.task, minlength=answers.n_tasks)
    starts = np.cumsum(counts) - counts
    return (values[starts + (counts - 1) // 2] + values[starts + counts // 2]) / 2


def _with_gold(answers: Answers, estimates: np.ndarray) -> np.ndarray:
    is_gold = answers.is_gold
    estimates[is_gold] = answers.gold[is_gold]
    return estimates


def _robust_scale(residuals: np.ndarray) -> float:
    """Crowd-typical error; falls back to the mean, then 1, when most answers agree exactly."""
    absolute = np.abs(residuals)
    scale = _MAD_TO_SIGMA * float(np.median(absolute))
    if scale == 0.0:
        scale = float(absolute.mean())
    return scale if scale > 0.0 else 1.0


def _worker_scales(answers: Answers, residuals: np.ndarray, scale: float) -> np.ndarray:
    """Each worker's error scale: clipped RMS residual, shrunk towards the crowd's scale so a
    worker with two lucky answers is not declared perfect."""
    clipped = np.minimum(residuals**2, (_CLIP * scale) ** 2)
    squares = np.bincount(answers.worker, clipped, minlength=answers.n_workers)
    answered = np.bincount(answers.worker, minlength=answers.n_workers)
    return np.sqrt((squares + _WORKER_PRIOR * scale**2) / (answered + _WORKER_PRIOR))


def _result(
    answers: Answers, estimates: np.ndarray, weights: np.ndarray, scale: float, iterations: int
) -> Aggregate:
    residuals = answers.label - estimates[answers.task]
    close = (np.abs(residuals) <= scale) * weights
    total = np.bincount(answers.task, weights, minlength=answers.n_tasks)
    confidence = np.bincount(answers.task, close, minlength=answers.n_tasks) / total
    confidence[answers.is_gold] = 1.0
    return Aggregate(
        tasks=answers.task_ids,
        labels=estimates,
        confidence=confidence,
        workers=answers.worker_ids,
        skills=scale / _worker_scales(answers, residuals, scale),
        iterations=iterations,
    )


def median(answers: Answers, *, progress: Progress | None = None) -> Aggregate:
    """Per-task median: ignores any minority of wild answers, needs no worker history."""
    estimates = _with_gold(answers, _task_medians(answers))
    scale = _robust_scale(answers.label - estimates[answers.task])
    if progress is not None:
        progress(1, 1)
    return _result(answers, estimates, np.ones(answers.n_answers), scale, 1)


def robust_mean(
    answers: Answers,
    *,
    max_iter: int = 50,
    tol: float = 1e-6,
    progress: Progress | None = None,
) -> Aggregate:
    """Skill-weighted robust mean: each answer weighs 1/σ²_worker (precise workers count more)
    times a Huber factor (a wild answer counts less); σ_worker and the estimates are refined
    together from the medians. More accurate than the median when workers differ in noise.
    """
    estimates = _with_gold(answers, _task_medians(answers))
    scale = _robust_scale(answers.label - estimates[answers.task])
    weights = np.ones(answers.n_answers)
    iteration = 0
    for iteration in range(1, max_iter + 1):
        residuals = answers.label - estimates[answers.task]
        sigma = _worker_scales(answers, residuals, scale)[answers.worker]
        weights = np.minimum(1.0, _HUBER * sigma / np.maximum(np.abs(residuals), 1e-300))
        weights /= sigma**2
        total = np.bincount(answers.task, weights, minlength=answers.n_tasks)
        updated = np.bincount(answers.task, weights * answers.label, minlength=answers.n_tasks)
        updated = _with_gold(answers, updated / total)
        if progress is not None:
            progress(iteration, max_iter)
        moved = float(np.abs(updated - estimates).max())
        estimates = updated
        if moved <= tol * scale:
            break
    return _result(answers, estimates, weights, scale, iteration)
