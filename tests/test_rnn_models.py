"""The committed sentiment checkpoints: they load, reproduce their reported accuracy, read raw text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from udl_viz.models import SENTIMENT, get_spec, load_model, select
from udl_viz.models.sentiment import checkpoint_path, embedding_matrix
from udl_viz.rnn.memory import unroll
from udl_viz.rnn.predict import accuracy, positive_probabilities
from udl_viz.text.encode import MAX_TOKENS
from udl_viz.text.sst2 import read_reviews, read_split
from udl_viz.text.word2vec import load_vocabulary, word2vec_matrix

REGISTRY = select(task=SENTIMENT)
OOD_REVIEWS = Path(__file__).parent / "data" / "ood_reviews.tsv"
#: The issue's bar for the fine-tuned models; the frozen variants must still beat chance clearly.
MIN_DEV_ACCURACY = {"simple_rnn": 0.80, "lstm": 0.84, "gru": 0.84}


@pytest.mark.parametrize("name", list(REGISTRY))
def test_checkpoint_is_small_and_reproduces_its_dev_accuracy(name, shared_data):
    spec = get_spec(name)
    assert checkpoint_path(name).stat().st_size < 5e6
    model = load_model(name)
    sentences, labels = read_split("dev", shared_data / "sst2")
    vocab = load_vocabulary()
    reported = spec.metrics()["dev_accuracy"]
    assert accuracy(model, [vocab.encode(s) for s in sentences], labels) == pytest.approx(reported, abs=1e-9)
    assert reported >= (0.70 if spec.meta["frozen"] else MIN_DEV_ACCURACY[spec.kind])


@pytest.mark.parametrize("name", list(REGISTRY))
def test_checkpoint_reproduces_its_accuracy_on_hand_written_reviews(name):
    texts, labels = read_reviews(OOD_REVIEWS)
    spec = get_spec(name)
    model = load_model(name)
    probs = positive_probabilities(model, [spec.preprocess(t).ids for t in texts])
    assert np.mean((probs > 0.5) == np.array(labels, dtype=bool)) == pytest.approx(spec.metrics()["ood_accuracy"])


def test_preprocess_marks_unknown_words_and_truncates():
    spec = get_spec("lstm")
    encoded = spec.preprocess("Great film, zxqvbn!!")
    assert encoded.tokens == ["great", "film", ",", "zxqvbn", "!", "!"]
    assert encoded.unknown == [False, False, False, True, False, False]
    assert encoded.unknown_words == ["zxqvbn"] and not encoded.all_unknown
    long = spec.preprocess("good " * (MAX_TOKENS + 7))
    assert long.truncated and len(long.ids) == MAX_TOKENS and long.n_tokens == MAX_TOKENS + 7
    assert spec.preprocess("qqqq zzzz").all_unknown


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru"])
def test_memory_of_not_flips_good(kind):
    """'good' alone reads positive; after 'not', the memory makes the same word read negative."""
    spec = get_spec(kind)
    model = load_model(kind)
    good = unroll(model, spec.preprocess("good").ids).positive[-1]
    not_good = unroll(model, spec.preprocess("not good").ids).positive[-1]
    assert good > 0.5 > not_good


def test_clear_reviews_are_classified_by_every_model():
    for name in REGISTRY:
        spec = get_spec(name)
        model = load_model(name)
        positive, negative = positive_probabilities(model, [spec.preprocess(t).ids for t in (
            "A wonderful, moving and funny film.", "A dull, boring and stupid mess.")])
        assert positive > 0.5 > negative, name


def test_frozen_models_keep_the_word2vec_embedding_and_fine_tuned_ones_move():
    start = word2vec_matrix(load_vocabulary())
    words, frozen = embedding_matrix(load_model("lstm_frozen"))
    _, tuned = embedding_matrix(load_model("lstm"))
    assert len(words) == len(start) and words[:2] == ["<pad>", "<unk>"]
    np.testing.assert_array_equal(frozen, start)
    assert np.abs(tuned - start).max() > 0.01
