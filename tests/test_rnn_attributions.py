"""Word attributions through the ``Attribution`` interface: captum's Layer Integrated Gradients and LIME."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from udl_viz.attribution import TEXT_METHODS, get_method
from udl_viz.models import get_spec, load_model
from udl_viz.rnn.predict import positive_probabilities
from udl_viz.text.vocab import Vocabulary

TEXT = "the film is a great joy but the ending is dull"


@pytest.fixture(scope="module")
def lstm():
    return load_model("lstm").requires_grad_(False)  # as the page's cached loader does


def ids_of(text: str) -> torch.Tensor:
    return torch.as_tensor([get_spec("lstm").preprocess(text).ids])


def test_integrated_gradients_are_complete(lstm):
    """The scores add up to P(text) - P(all unknown), up to the reported convergence delta."""
    x = ids_of(TEXT)
    result = get_method("text_ig").attribute(lstm, x, 1)
    delta = result.extras["convergence_delta"]
    p_text, p_base = positive_probabilities(lstm, [x[0].tolist(), [Vocabulary.unk_id] * x.shape[1]])
    assert result.map.shape == (x.shape[1],)
    assert result.map.sum() == pytest.approx(p_text - p_base, abs=delta + 1e-4)
    assert delta < 0.05
    assert result.forward_passes > 0 and result.backward_passes > 0 and result.evidence


def test_attributions_point_at_the_sentiment_words(lstm):
    tokens = get_spec("lstm").preprocess(TEXT).tokens
    ig = get_method("text_ig").attribute(lstm, ids_of(TEXT), 1).map
    lime = get_method("text_lime").attribute(lstm, ids_of(TEXT), 1, samples=300).map
    for scores in (ig, lime):
        assert tokens[int(np.argmax(scores))] in {"great", "joy"}
        assert tokens[int(np.argmin(scores))] in {"dull", "but"}


def test_lime_is_reproducible_and_scores_each_position(lstm):
    x = ids_of("good good bad")
    first = get_method("text_lime").attribute(lstm, x, 1, samples=200, seed=1)
    second = get_method("text_lime").attribute(lstm, x, 1, samples=200, seed=1)
    np.testing.assert_array_equal(first.map, second.map)
    assert first.map.shape == (3,) and first.map[2] < 0
    assert first.forward_passes == 200  # every perturbed text went through the model once


def test_integrated_gradients_for_the_negative_class_flip_sign(lstm):
    x = ids_of("a great film")
    pos = get_method("text_ig").attribute(lstm, x, 1).map
    neg = get_method("text_ig").attribute(lstm, x, 0).map
    np.testing.assert_allclose(pos, -neg, atol=1e-4)
    assert torch.is_grad_enabled()


def test_text_methods_check_their_input_and_settings(lstm):
    assert set(TEXT_METHODS) == {"text_ig", "text_lime"}
    with pytest.raises(ValueError, match=r"expected one input of shape \(1, T\)"):
        get_method("text_ig").attribute(lstm, torch.zeros(1, 3, 8, 8), 1)
    with pytest.raises(ValueError, match="target class 2 is out of range"):
        get_method("text_ig").attribute(lstm, ids_of("good"), 2)
    with pytest.raises(ValueError):
        get_method("text_lime").attribute(lstm, ids_of("good"), 1, samples=10)
