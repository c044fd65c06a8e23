"""Skip-gram pairs: the lecture's examples and the pair counts for any window."""

from __future__ import annotations

import pytest

from udl_viz.embeddings.skipgram import (
    LECTURE_SENTENCE,
    context_positions,
    context_words,
    simple_tokens,
    skipgram_pairs,
)


def test_lecture_sentence_tokens():
    tokens = simple_tokens(LECTURE_SENTENCE)
    assert tokens[:6] == ["the", "opioid", "epidemic", "or", "opioid", "crisis"]
    assert "non-prescription" in tokens and tokens[-1] == "2010s"
    assert len(tokens) == 28


def test_epidemic_window_2_matches_the_lecture():
    tokens = simple_tokens(LECTURE_SENTENCE)
    assert context_words(tokens, "epidemic", window=2) == ["the", "opioid", "or", "opioid"]
    pairs = [(p.centre, p.context) for p in skipgram_pairs(tokens, 2) if p.centre == "epidemic"]
    assert pairs == [("epidemic", "the"), ("epidemic", "opioid"), ("epidemic", "or"), ("epidemic", "opioid")]


def test_repeated_word_and_sentence_edges():
    tokens = simple_tokens(LECTURE_SENTENCE)
    assert context_words(tokens, "opioid", 2, occurrence=0) == ["the", "epidemic", "or"]
    assert context_words(tokens, "opioid", 2, occurrence=1) == ["epidemic", "or", "crisis", "is"]
    assert context_words(tokens, "the", 1) == ["opioid"]
    assert context_words(tokens, "2010s", 3) == ["canada", "in", "the"]
    with pytest.raises(KeyError):
        context_words(tokens, "opioid", 2, occurrence=3)


@pytest.mark.parametrize("window", [1, 2, 3, 5, 40])
def test_pair_count(window):
    n = 28
    expected = 2 * sum(n - d for d in range(1, min(window, n - 1) + 1))
    pairs = skipgram_pairs(simple_tokens(LECTURE_SENTENCE), window)
    assert len(pairs) == expected
    assert all(0 < abs(p.context_position - p.centre_position) <= window for p in pairs)


def test_punctuation_and_case_are_dropped():
    assert simple_tokens("Hello, WORLD!  It's a 'test'...") == ["hello", "world", "it's", "a", "test"]
    assert simple_tokens(" ,.; ") == []


def test_bad_window_and_position():
    with pytest.raises(ValueError):
        context_positions(5, 2, 0)
    with pytest.raises(ValueError):
        context_positions(5, 5, 1)
