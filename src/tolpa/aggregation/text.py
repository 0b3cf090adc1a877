"""Free-text answers (captions, transcriptions): pick the answer closest to all the others.

Texts become L2-normalized character n-gram count vectors, so similarity is cosine and
tolerant of typos and word order. A task's answers are summed once; an answer's total
similarity to the others is then one dot product, its vector · (task sum - itself): linear in
the answers, no pairwise loop. The n-grams are built with numpy on code points, in chunks of
texts of similar length so the padding stays small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from tolpa.aggregation.data import Aggregate, Answers, Progress

_CHUNK = 4096
_HASH_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class Candidates:
    """The best distinct answers of each task, best first, for a crowd verification step.

    One row per (task, candidate): `ranks` start at 1; `scores` are mean similarities to the
    task's other answers; `support` counts the workers who gave exactly that text.
    """

    tasks: np.ndarray
    texts: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    support: np.ndarray


def _ngram_hashes(texts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(text index, n-gram hash) for every n-gram; texts are padded with one space each side."""
    cleaned = np.char.lower(np.char.strip(np.asarray(texts).astype(str)))
    padded = np.char.add(np.char.add(" ", cleaned), " ")
    lengths = np.char.str_len(padded)
    order = np.argsort(lengths, kind="stable")
    rows, hashes = [], []
    for start in range(0, len(order), _CHUNK):
        chunk = order[start : start + _CHUNK]
        width = int(lengths[chunk].max())
        if width < n:
            continue
        codes = padded[chunk].astype(f"<U{width}").view(np.uint32).reshape(len(chunk), width)
        positions = width - n + 1
        hashed = np.zeros((len(chunk), positions), dtype=np.uint64)
        for offset in range(n):
            hashed = hashed * _HASH_BASE + codes[:, offset : offset + positions]
        valid = np.arange(positions) < (lengths[chunk] - n + 1)[:, None]
        rows.append(np.broadcast_to(chunk[:, None], valid.shape)[valid])
        hashes.append(hashed[valid])
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64)
    return np.concatenate(rows), np.concatenate(hashes)


def ngram_vectors(texts: np.ndarray, n: int = 3) -> sp.csr_matrix:
    """Unit-length character n-gram count vectors, one row per text (empty text: zero row)."""
    if n < 1:
        raise ValueError("n-gram length must be at least 1")
    rows, hashes = _ngram_hashes(texts, n)
    _, vocabulary = np.unique(hashes, return_inverse=True)
    shape = (len(texts), int(vocabulary.max(initial=-1)) + 1)
    vectors = sp.csr_matrix((np.ones(len(rows)), (rows, vocabulary)), shape=shape)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    return sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ vectors


def _pair_scores(answers: Answers, n: int):
    """Per distinct (task, text): how many gave it, and its mean similarity to the task's
    other answers (identical answers count as fully similar)."""
    k = answers.n_classes
    pair, support = np.unique(answers.task.astype(np.int64) * k + answers.label, return_counts=True)
    task, text = pair // k, pair % k
    vectors = ngram_vectors(answers.classes, n)
    per_task = sp.csr_matrix((support, (task, text)), shape=(answers.n_tasks, k)) @ vectors
    self_similarity = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    total = np.empty(len(pair))
    for start in range(0, len(pair), _CHUNK * 16):
        part = slice(start, start + _CHUNK * 16)
        dots = vectors[text[part]].multiply(per_task[task[part]]).sum(axis=1)
        total[part] = np.asarray(dots).ravel()
    others = np.bincount(answers.task, minlength=answers.n_tasks)[task] - 1
    similarity = np.divide(
        total - self_similarity[text], others, out=np.zeros(len(pair)), where=others > 0
    )
    return task, text, support, np.clip(similarity, 0.0, 1.0)


def _best_first(task, text, support, score) -> np.ndarray:
    """Pair order by task, then score, then support, then text (a deterministic tie-break)."""
    return np.lexsort((text, -support, -score, task))


def closest_text(
    answers: Answers, *, ngram: int = 3, progress: Progress | None = None
) -> Aggregate:
    """The answer most similar to the task's other answers; confidence is that mean cosine
    similarity (0 when a task has one answer: nothing corroborates it). Gold tasks keep their
    gold text. Skill is the worker's mean similarity to co-workers on shared tasks."""
    task, text, support, score = _pair_scores(answers, ngram)
    order = _best_first(task, text, support, score)
    first = order[np.r_[True, task[order][1:] != task[order][:-1]]]
    chosen, confidence = text[first], score[first]
    is_gold = answers.is_gold
    chosen[is_gold], confidence[is_gold] = answers.gold[is_gold], 1.0
    pair_codes = task * answers.n_classes + text
    answer_codes = answers.task.astype(np.int64) * answers.n_classes + answers.label
    answer_score = score[np.searchsorted(pair_codes, answer_codes)]
    answered = np.bincount(answers.task, minlength=answers.n_tasks)[answers.task] > 1
    shared = np.bincount(answers.worker, answered, minlength=answers.n_workers)
    agreement = np.bincount(answers.worker, answer_score * answered, minlength=answers.n_workers)
    skills = np.divide(agreement, shared, out=np.zeros(answers.n_workers), where=shared > 0)
    if progress is not None:
        progress(1, 1)
    return Aggregate(
        tasks=answers.task_ids,
        labels=answers.classes[chosen],
        confidence=confidence,
        workers=answers.worker_ids,
        skills=skills,
    )


def text_candidates(answers: Answers, *, k: int = 3, ngram: int = 3) -> Candidates:
    """The top `k` distinct answers per task, to send to a verification round
    ("is this caption right?") instead of trusting the closest one blindly."""
    if k < 1:
        raise ValueError("k must be at least 1")
    task, text, support, score = _pair_scores(answers, ngram)
    order = _best_first(task, text, support, score)
    starts = np.searchsorted(task[order], task[order], side="left")
    ranks = np.arange(len(order)) - starts + 1
    keep = order[ranks <= k]
    return Candidates(
        tasks=answers.task_ids[task[keep]],
        texts=answers.classes[text[keep]],
        scores=score[keep],
        ranks=ranks[ranks <= k],
        support=support[keep],
    )
