"""The lecture's numpy for loop equals torch.nn.RNN; the gate replay equals the torch layers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from udl_viz.models import load_model
from udl_viz.models.sentiment import SentimentRNN
from udl_viz.rnn.loop import loop_vs_torch, numpy_rnn_loop
from udl_viz.rnn.memory import GATES, positive_after_each_word, unroll

IDS = [5, 17, 2, 40, 9, 3]


def test_numpy_loop_on_a_hand_computed_example():
    W, U, b = np.array([[1.0]]), np.array([[0.5]]), np.array([0.0])
    steps = numpy_rnn_loop(np.array([[1.0], [0.0]]), W, U, b)
    assert steps.states[0, 0] == pytest.approx(np.tanh(1.0))
    assert steps.states[1, 0] == pytest.approx(np.tanh(0.5 * np.tanh(1.0)))
    assert steps.us[0, 0] == 0.0  # the state starts at zero


def test_numpy_loop_equals_torch_rnn_on_random_weights():
    torch.manual_seed(0)
    model = SentimentRNN("simple_rnn", vocab_size=50, embedding_dim=8, hidden_size=6).eval()
    check = loop_vs_torch(model, IDS)
    assert check.loop.states.shape == (len(IDS), 6)
    assert check.max_abs_difference < 1e-5


def test_numpy_loop_equals_torch_rnn_on_the_trained_model():
    check = loop_vs_torch(load_model("simple_rnn"), IDS * 5)
    assert check.max_abs_difference < 1e-5
    assert np.abs(check.torch_states).max() > 0.1  # a real signal, not all zeros


def test_loop_refuses_gated_models():
    with pytest.raises(ValueError, match="SimpleRNN"):
        loop_vs_torch(SentimentRNN("lstm", 50, 8, 6), IDS)


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru"])
def test_replayed_states_equal_the_torch_layer(kind):
    torch.manual_seed(1)
    model = SentimentRNN(kind, vocab_size=50, embedding_dim=8, hidden_size=6).eval()
    trace = unroll(model, IDS)
    with torch.inference_mode():
        expected = model.states(torch.tensor([IDS]))[0].numpy()
    np.testing.assert_allclose(trace.hidden, expected, atol=1e-6)
    np.testing.assert_allclose(trace.positive, positive_after_each_word(model, IDS), atol=1e-6)
    assert set(trace.gates) == set(GATES[kind])


@pytest.mark.parametrize("name", ["lstm", "gru", "lstm_frozen", "gru_frozen"])
def test_gates_lie_within_0_and_1(name):
    model = load_model(name)
    trace = unroll(model, IDS * 4)
    assert trace.gates
    for gate, values in trace.gates.items():
        assert values.shape == (len(IDS) * 4, model.hidden_size), gate
        assert values.min() >= 0.0 and values.max() <= 1.0, gate
        assert values.max() - values.min() > 0.1, f"{gate} gate never moves"
    assert (trace.cell is not None) == (model.kind == "lstm")
