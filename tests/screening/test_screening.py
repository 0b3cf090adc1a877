import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tolpa.screening import (
    PAIR_DTYPE,
    SimilarityIndex,
    clusters,
    normalize,
    trending,
    wilson_lower_bound,
)

IDEAS = [
    "Add a bike-sharing scheme",
    "Солнечные панели на крыше",
    "Trồng thêm cây xanh",
    "Open a public library downtown",
    "Ремонт дороги к школе",
]


def _score(first, second, **options):
    index = SimilarityIndex(["x"], [first], **options)
    found = index.similar(second, k=1, threshold=0.01)
    return found[0][1] if found else 0.0


def test_normalize_keeps_vietnamese_marks_and_folds_on_request():
    assert normalize("Trồng  thêm, cây XANH!") == "trồng thêm cây xanh"
    assert normalize("Đường phố", fold_accents=True) == "duong pho"
    assert normalize("Ёлка, Йошкар-Ола", fold_accents=True) == "елка йошкар ола"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Add a bike-sharing scheme", "add bike sharing scheme!"),
        ("Солнечные панели на крыше", "солнечные панели на крышах"),
    ],
)
def test_paraphrases_are_similar(first, second):
    assert _score(first, second) >= 0.6


def test_vietnamese_without_marks_matches_only_when_folding():
    assert _score("Trồng thêm cây xanh", "trong them cay xanh", fold_accents=True) > 0.99
    assert _score("Trồng thêm cây xanh", "trong them cay xanh") < 0.3


def test_unrelated_texts_are_not_similar():
    assert _score("Add a bike-sharing scheme", "Ремонт дороги к школе") == 0.0
    assert _score("Open a public library downtown", "Trồng thêm cây xanh") < 0.2


def test_pairs_and_add():
    index = SimilarityIndex(["a", "b"], IDEAS[:2])
    index.add(["c", "d"], ["add bike sharing scheme", "солнечные панели на крышах"])
    pairs = index.pairs(0.5)
    assert [(p["i"], p["j"]) for p in pairs] == [(0, 2), (1, 3)]
    assert index.similar("bike sharing", k=2)[0][0] in {"a", "c"}


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(len(IDEAS) + 3))))
def test_pair_set_ignores_input_order(order):
    texts = [*IDEAS, "add bike sharing scheme", "солнечные панели", "Open a library downtown"]
    ids = list(range(len(texts)))

    def pair_ids(positions):
        index = SimilarityIndex([ids[p] for p in positions], [texts[p] for p in positions])
        return {frozenset((positions[p["i"]], positions[p["j"]])) for p in index.pairs(0.3)}

    assert pair_ids(list(order)) == pair_ids(ids)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="abcdeабвгăâê ", min_size=4, max_size=20), min_size=1, max_size=6))
def test_text_is_most_similar_to_its_copy(texts):
    texts = [text for text in texts if len(normalize(text)) >= 3]
    if not texts:
        return
    index = SimilarityIndex([*range(len(texts)), "copy"], [*texts, texts[0]])
    best = index.similar(texts[0], k=1, threshold=0.01)
    assert math.isclose(best[0][1], 1.0, abs_tol=1e-5)


def test_clusters_of_a_chain():
    chain = np.array([(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.9), (3, 4, 0.9), (5, 6, 0.8)], PAIR_DTYPE)
    assert clusters(chain, 8).tolist() == [0, 0, 0, 0, 0, 1, 1, 2]
    assert clusters(chain, 8, min_to_medoid=0.5).tolist() == [0, 0, 0, 1, 1, 2, 2, 3]
    assert clusters(chain[::-1], 8).tolist() == clusters(chain, 8).tolist()


@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_bound_is_a_cautious_share(up, extra):
    total = up + extra
    bound = float(wilson_lower_bound(up, total))
    assert 0 <= bound <= (up / total if total else 0)
    assert float(wilson_lower_bound(up + 1, total + 1)) >= bound - 1e-12 or extra == 0
    if extra:
        assert float(wilson_lower_bound(up + 1, total)) > bound


def test_wilson_bound_vectorised_and_empty():
    assert wilson_lower_bound([0, 9], [0, 10]).tolist()[0] == 0.0
    assert wilson_lower_bound(9, 10) < wilson_lower_bound(90, 100)


def test_trending_halves_every_half_life():
    day = 24 * 3600.0
    scores = trending([day, 0.0, 2 * day], now=day, items=[0, 1, 1], n_items=3)
    assert scores.tolist() == [1.0, 1.5, 0.0]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SimilarityIndex([], []), "empty"),
        (lambda: SimilarityIndex([1, 2], ["a", None]), r"texts\[1\]"),
        (lambda: SimilarityIndex([1], [float("nan")]), r"texts\[0\]"),
        (lambda: SimilarityIndex([1, 2], ["a"]), "differ in length"),
        (lambda: SimilarityIndex([1, 1], ["a", "b"]), "duplicate id"),
        (lambda: SimilarityIndex([1], ["a"]).pairs(0), "threshold"),
        (lambda: SimilarityIndex([1], ["a"]).similar("a", threshold=1.5), "threshold"),
        (lambda: SimilarityIndex([1], ["a"]).pairs(float("nan")), "threshold"),
        (lambda: wilson_lower_bound(3, 2), "up votes"),
        (lambda: wilson_lower_bound(float("nan"), 2), "NaN"),
        (lambda: normalize(None), "must be str"),
    ],
)
def test_bad_input_names_the_problem(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def _planted_corpus(size, seed):
    rng = np.random.default_rng(seed)
    words = [
        "".join(rng.choice(list("abcdefghiklmnoprstuvабвгдеклмнăâêôơư"), 5)) for _ in range(80)
    ]
    texts = []
    while len(texts) < size:
        base = list(rng.choice(words, rng.integers(3, 8)))
        texts.append(" ".join(base))
        for _ in range(rng.integers(0, 3)):
            copy = list(base)
            at = rng.integers(len(copy))
            copy[at] = copy[at][:2] + copy[at][3:] if rng.random() < 0.5 else rng.choice(words)
            texts.append(" ".join(copy))
    return texts[:size]


@pytest.mark.parametrize("threshold", [0.5, 0.7])
@pytest.mark.parametrize("seed", [0, 1])
def test_pairs_match_a_dense_brute_force(threshold, seed):
    texts = _planted_corpus(300, seed)
    index = SimilarityIndex(range(len(texts)), texts)
    dense = index.vectors.toarray().astype(np.float64)
    scores = dense @ dense.T
    i, j = np.nonzero(np.triu(scores >= threshold, 1))
    found = index.pairs(threshold)
    assert list(zip(found["i"], found["j"], strict=True)) == list(zip(i, j, strict=True))
    np.testing.assert_allclose(found["score"], np.minimum(scores[i, j], 1), atol=1e-5)
