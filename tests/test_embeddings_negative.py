"""Negative sampling draws from unigram^0.75, the same distribution as gensim's word2vec."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import Word2Vec
from scipy.stats import chisquare

from udl_viz.embeddings.negative import (
    NOISE_POWER,
    draw_negatives,
    negative_examples,
    noise_distribution,
)
from udl_viz.embeddings.skipgram import simple_tokens, skipgram_pairs

ZIPF_COUNTS = np.array([int(5000 / r) for r in range(1, 41)])  # 40 words, Zipf-like counts


def test_noise_distribution_known_answer():
    np.testing.assert_allclose(noise_distribution(np.array([1, 16])), [1 / 9, 8 / 9])
    np.testing.assert_allclose(noise_distribution(np.array([3, 3, 6]), power=1.0), [0.25, 0.25, 0.5])


def test_samples_follow_unigram_to_the_three_quarters():
    """Chi-square goodness of fit with a fixed seed: fits unigram^0.75, rejects other powers."""
    draws = 200_000
    observed = np.bincount(draw_negatives(noise_distribution(ZIPF_COUNTS), draws, np.random.default_rng(7)),
                           minlength=len(ZIPF_COUNTS))
    fit = chisquare(observed, draws * noise_distribution(ZIPF_COUNTS))
    raw = chisquare(observed, draws * ZIPF_COUNTS / ZIPF_COUNTS.sum())
    flat = chisquare(observed, np.full(len(ZIPF_COUNTS), draws / len(ZIPF_COUNTS)))
    assert fit.pvalue > 0.01
    assert raw.pvalue < 1e-12 and flat.pvalue < 1e-12
    for power in (0.7, 0.8):
        assert chisquare(observed, draws * noise_distribution(ZIPF_COUNTS, power)).pvalue < 1e-12


def test_matches_gensim_noise_table():
    """gensim's cumulative table for negative sampling encodes the same probabilities."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(len(ZIPF_COUNTS))]
    corpus = [list(rng.permutation(np.repeat(words, ZIPF_COUNTS // 10)))]
    model = Word2Vec(vector_size=4, min_count=1, negative=5, ns_exponent=NOISE_POWER, workers=1)
    model.build_vocab(corpus)
    gensim_probs = np.diff(model.cum_table, prepend=0) / model.cum_table[-1]
    counts = np.array([model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key])
    np.testing.assert_allclose(noise_distribution(counts), gensim_probs, atol=1e-6)


def test_negative_examples_layout():
    tokens = simple_tokens("the cat sat on the mat")
    pairs = skipgram_pairs(tokens, 1)
    vocabulary = ["the", "cat", "sat", "on", "mat", "dog"]
    probs = noise_distribution(np.array([50, 5, 5, 5, 5, 5]))
    examples = negative_examples(pairs, vocabulary, probs, k=3, seed=1)
    assert len(examples) == 4 * len(pairs)
    for i, pair in enumerate(pairs):
        block = examples[4 * i: 4 * i + 4]
        assert block[0] == (pair.centre, pair.context, 1)
        assert [e.label for e in block[1:]] == [0, 0, 0]
        assert all(e.centre == pair.centre and e.word != pair.context for e in block[1:])
    assert examples == negative_examples(pairs, vocabulary, probs, k=3, seed=1)


def test_bad_input():
    with pytest.raises(ValueError):
        noise_distribution(np.array([]))
    with pytest.raises(ValueError):
        noise_distribution(np.array([0, 0]))
    pairs = skipgram_pairs(["a", "b"], 1)
    with pytest.raises(ValueError):
        negative_examples(pairs, ["a", "b"], np.array([0.0, 1.0]), k=1)
