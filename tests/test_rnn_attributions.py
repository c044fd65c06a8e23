"""Word attributions: captum's Layer Integrated Gradients and LIME on the sentiment RNNs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from udl_viz.models import get_spec, load_model
from udl_viz.rnn.attributions import integrated_gradients, lime_words
from udl_viz.rnn.predict import positive_probabilities
from udl_viz.text.vocab import Vocabulary
from udl_viz.text.word2vec import load_vocabulary

TEXT = "the film is a great joy but the ending is dull"


@pytest.fixture(scope="module")
def lstm():
    return load_model("lstm").requires_grad_(False)  # as the page's cached loader does


def test_integrated_gradients_are_complete(lstm):
    """The scores add up to P(text) - P(all unknown), up to the reported convergence delta."""
    ids = get_spec("lstm").preprocess(TEXT).ids
    result = integrated_gradients(lstm, ids)
    p_text, p_base = positive_probabilities(lstm, [ids, [Vocabulary.unk_id] * len(ids)])
    assert result.scores.shape == (len(ids),)
    assert result.scores.sum() == pytest.approx(p_text - p_base, abs=result.convergence_delta + 1e-4)
    assert result.convergence_delta < 0.05


def test_attributions_point_at_the_sentiment_words(lstm):
    tokens = get_spec("lstm").preprocess(TEXT).tokens
    ig = integrated_gradients(lstm, get_spec("lstm").preprocess(TEXT).ids).scores
    lime = lime_words(lstm, load_vocabulary(), tokens, num_samples=300).scores
    for scores in (ig, lime):
        assert tokens[int(np.argmax(scores))] in {"great", "joy"}
        assert tokens[int(np.argmin(scores))] in {"dull", "but"}


def test_lime_is_reproducible_and_scores_each_position(lstm):
    tokens = ["good", "good", "bad"]
    first = lime_words(lstm, load_vocabulary(), tokens, num_samples=200, seed=1)
    second = lime_words(lstm, load_vocabulary(), tokens, num_samples=200, seed=1)
    np.testing.assert_array_equal(first.scores, second.scores)
    assert first.scores.shape == (3,) and first.scores[2] < 0


def test_integrated_gradients_for_the_negative_class_flip_sign(lstm):
    ids = get_spec("lstm").preprocess("a great film").ids
    pos = integrated_gradients(lstm, ids, target=1).scores
    neg = integrated_gradients(lstm, ids, target=0).scores
    np.testing.assert_allclose(pos, -neg, atol=1e-4)
    assert torch.is_grad_enabled()
