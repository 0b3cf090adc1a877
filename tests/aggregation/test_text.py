"""Free text: the answer closest to the others, and top-k candidates for verification."""

import math

import numpy as np
import pytest

from tolpa.aggregation import categorical_answers, closest_text, ngram_vectors, text_candidates

HELLO = (["t", "t", "t", "u"], ["w1", "w2", "w3", "w1"], ["hello", "Hello ", "help", "alone"])


def test_character_trigrams_with_padding():
    # " hello " has 5 trigrams, " help " 4, sharing " he" and "hel": cosine 2/sqrt(20).
    vectors = ngram_vectors(np.array(["hello", "help", ""]))
    similarity = (vectors @ vectors.T).toarray()
    assert similarity[0, 1] == pytest.approx(2 / math.sqrt(20))
    assert similarity[0, 0] == pytest.approx(1.0)
    assert similarity[2].tolist() == [0.0, 0.0, 0.0]


def test_closest_text_by_hand():
    # Case and surrounding spaces do not matter: "hello" and "Hello " are identical (1.0) and
    # each is 2/sqrt(20) from "help"; mean similarity to the other two: (1 + 0.447) / 2.
    result = closest_text(categorical_answers(*HELLO))
    labels = dict(zip(result.tasks.tolist(), result.labels.tolist(), strict=True))
    assert labels["t"] in {"hello", "Hello "}
    assert result.confidence[0] == pytest.approx((1 + 2 / math.sqrt(20)) / 2)
    assert labels["u"] == "alone"
    assert result.confidence[1] == 0.0


def test_candidates_are_distinct_ranked_and_counted():
    answers = categorical_answers(
        ["t", "t", "t", "t"], ["w1", "w2", "w3", "w4"], ["a cat", "a cat", "a cat!", "dog"]
    )
    found = text_candidates(answers, k=2)
    assert found.texts.tolist() == ["a cat", "a cat!"]
    assert found.ranks.tolist() == [1, 2]
    assert found.support.tolist() == [2, 1]
    assert found.scores[0] > found.scores[1]
    with pytest.raises(ValueError, match="k must be"):
        text_candidates(answers, k=0)


def test_gold_text_is_kept():
    result = closest_text(categorical_answers(*HELLO, gold={"t": "help"}))
    assert result.labels[0] == "help"
    assert result.confidence[0] == 1.0


def test_long_and_unicode_texts():
    long = "ы" * 5000
    result = closest_text(
        categorical_answers(["t", "t", "t"], ["a", "b", "c"], [long, long + "!", "Ω"])
    )
    assert result.labels[0] in {long, long + "!"}
    assert result.confidence[0] == pytest.approx(0.5, abs=1e-3)


def test_numbers_are_read_as_text():
    result = closest_text(categorical_answers(["t", "t", "t"], ["a", "b", "c"], [12, 12, 13]))
    assert result.labels.tolist() == [12]
