"""The committed SST-2 word2vec vectors and the vocabulary built from them."""

from __future__ import annotations

import numpy as np

from udl_viz.text.vocab import PAD, UNK
from udl_viz.text.word2vec import (
    VOCAB_PATH,
    WORD2VEC_PATH,
    load_vocabulary,
    load_word2vec,
    train_word2vec,
)


def test_vectors_load_and_stay_small():
    kv = load_word2vec()
    assert kv.vector_size == 50
    assert len(kv) > 10_000
    assert WORD2VEC_PATH.stat().st_size < 5e6
    assert VOCAB_PATH.stat().st_size < 5e6


def test_vocabulary_is_pad_unk_then_the_word2vec_words():
    kv = load_word2vec()
    assert load_vocabulary().words == [PAD, UNK, *kv.index_to_key]


def test_sentiment_words_have_sentiment_neighbours():
    """Self-supervised, yet 'good' lands near other evaluative words."""
    kv = load_word2vec()
    neighbours = {w for w, _ in kv.most_similar("good", topn=10)}
    assert neighbours & {"great", "fine", "bad", "decent", "nice", "terrific"}


def test_training_is_reproducible_with_a_seed():
    sentences = [["a", "good", "film"], ["a", "bad", "film"], ["not", "a", "good", "plot"]] * 20
    first = train_word2vec(sentences, seed=3, epochs=5)
    second = train_word2vec(sentences, seed=3, epochs=5)
    other = train_word2vec(sentences, seed=4, epochs=5)
    assert np.array_equal(first.vectors, second.vectors)
    assert not np.array_equal(first.vectors, other.vectors)
