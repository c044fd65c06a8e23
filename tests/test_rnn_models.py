"""The committed sentiment checkpoints: they load, reproduce their reported accuracy, read raw text.

Out of domain means ``data/ood_reviews_check.tsv``: 234 hand-written reviews of products, restaurants,
hotels, apps, games, books and films, never used to choose a setting (``ood_reviews_tune.tsv`` was).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from udl_viz.datasets.sst2 import read_reviews, read_split
from udl_viz.models import SENTIMENT, get_spec, load_model, select
from udl_viz.models.sentiment import checkpoint_path, embedding_matrix
from udl_viz.rnn.compare import model_scores
from udl_viz.rnn.memory import unroll
from udl_viz.rnn.predict import accuracy, positive_probabilities
from udl_viz.text.encode import MAX_TOKENS
from udl_viz.text.tokenize import split_unknown_hyphens
from udl_viz.text.word2vec import load_vocabulary, word2vec_matrix

REGISTRY = select(task=SENTIMENT)
OOD_CHECK = Path(__file__).parent / "data" / "ood_reviews_check.tsv"
OOD_TUNE = Path(__file__).parent / "data" / "ood_reviews_tune.tsv"
#: The issue's bar for the fine-tuned models; the frozen variants must still beat chance clearly.
MIN_DEV_ACCURACY = {"simple_rnn": 0.80, "lstm": 0.84, "gru": 0.84}
GLOVE_MODELS = [name for name, spec in REGISTRY.items() if spec.meta.get("vectors") == "glove"]


@pytest.mark.parametrize("name", list(REGISTRY))
def test_checkpoint_is_small_and_reproduces_its_dev_accuracy(name, shared_data):
    spec = get_spec(name)
    assert checkpoint_path(name).stat().st_size < 5e6
    model = load_model(name)
    sentences, labels = read_split("dev", shared_data / "sst2")
    reported = spec.metrics()["dev_accuracy"]
    vocab, glove = spec.preprocess.vocabulary(), spec.meta.get("vectors") == "glove"
    # SST-2 is tokenised already: look the words up as they are (GloVe models split unknown compounds)
    ids = [vocab.encode(split_unknown_hyphens(s, vocab) if glove else s) for s in sentences]
    assert accuracy(model, ids, labels) == pytest.approx(reported, abs=1e-9)
    assert reported >= (0.70 if spec.meta["frozen"] else MIN_DEV_ACCURACY[spec.kind])


@pytest.mark.parametrize("name", list(REGISTRY))
def test_checkpoint_reproduces_its_accuracy_on_out_of_domain_reviews(name):
    spec = get_spec(name)
    model = load_model(name)
    for path, key in ((OOD_CHECK, "ood_accuracy"), (OOD_TUNE, "ood_tune_accuracy")):
        texts, labels = read_reviews(path)
        probs = positive_probabilities(model, [spec.preprocess(t).ids for t in texts])
        assert np.mean((probs > 0.5) == np.array(labels, dtype=bool)) == pytest.approx(spec.metrics()[key])
    assert spec.metrics()["n_ood"] == 234


def test_out_of_domain_targets():
    """Each frozen-GloVe RNN reaches 0.78 out of domain; the best model 0.85, above bag-of-words."""
    scores = {s.name: s for s in model_scores()}
    assert all(scores[name].ood >= 0.78 for name in GLOVE_MODELS)
    best = max((s for s in scores.values() if s.name in REGISTRY), key=lambda s: s.ood)
    assert best.ood >= 0.85 and best.ood > scores["bag_of_words"].ood


def test_bag_of_words_baseline_reproduces(shared_data):
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from train_sentiment import bag_of_words_baseline, load_text

    from udl_viz.rnn.compare import BASELINES

    measured = bag_of_words_baseline(load_text(0))
    saved = json.loads(BASELINES.read_text())["bag_of_words_logistic_regression"]
    assert measured == pytest.approx(saved)


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


def test_glove_models_share_one_frozen_glove_embedding():
    from udl_viz.embeddings.glove import load_glove

    glove = load_glove()
    models = [load_model(name) for name in GLOVE_MODELS]
    weights = [m.embedding.weight for m in models]
    assert len({w.data_ptr() for w in weights}) == 1  # one matrix for the three models
    assert not any(w.requires_grad for w in weights)
    spec = get_spec("lstm_glove")
    row = spec.preprocess.vocabulary().index["queen"]
    np.testing.assert_array_equal(weights[0][row].numpy(), glove["queen"])
    assert not weights[0][:2].any()  # <pad> and <unk>
    assert checkpoint_path("lstm_glove").stat().st_size < 1e6  # the checkpoint holds no embedding


def test_glove_tokens_split_unknown_compounds():
    spec = get_spec("gru_glove")
    encoded = spec.preprocess("Pay-to-win junk, a well-known RIP-OFF!! Qwxzqwxz")
    assert encoded.tokens == ["pay", "-", "to", "-", "win", "junk", ",", "a", "well-known", "rip-off", "!", "!",
                              "qwxzqwxz"]
    assert encoded.unknown_words == ["qwxzqwxz"]
