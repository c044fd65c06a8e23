"""The lecture's SimpleRNN as a plain for loop in numpy, checked against ``torch.nn.RNN``.

    state = 0
    for x in inputs:
        state = tanh(W·x + U·state + b)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from udl_viz.models.sentiment import SentimentRNN


@dataclass(frozen=True)
class LoopSteps:
    """Every term of every step: ``states[t] = tanh(wx[t] + us[t] + b)``."""

    inputs: np.ndarray  # (time, features): x at each step
    wx: np.ndarray      # (time, units): W·x
    us: np.ndarray      # (time, units): U·state, with the state before the step
    b: np.ndarray       # (units,)
    states: np.ndarray  # (time, units)


def numpy_rnn_loop(inputs: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> LoopSteps:
    """Run ``state = tanh(W·x + U·state + b)`` over the rows of ``inputs``, starting from zeros."""
    state = np.zeros(U.shape[0], dtype=inputs.dtype)
    wx, us, states = [], [], []
    for x in inputs:
        wx.append(W @ x)
        us.append(U @ state)
        state = np.tanh(wx[-1] + us[-1] + b)
        states.append(state)
    return LoopSteps(inputs, np.stack(wx), np.stack(us), b, np.stack(states))


def weights(model: SentimentRNN) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``W`` (units x features), ``U`` (units x units) and ``b`` of a SimpleRNN.

    torch keeps two biases (``b_ih`` and ``b_hh``); the lecture's single ``b`` is their sum.
    """
    if model.kind != "simple_rnn":
        raise ValueError(f"the for loop is the SimpleRNN's; this model is a {model.kind}")
    rnn = model.rnn
    return (rnn.weight_ih_l0.detach().numpy(), rnn.weight_hh_l0.detach().numpy(),
            (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy())


@dataclass(frozen=True)
class LoopCheck:
    """The numpy loop next to ``torch.nn.RNN`` on the same words."""

    loop: LoopSteps
    torch_states: np.ndarray  # (time, units)

    @property
    def max_abs_difference(self) -> float:
        return float(np.abs(self.loop.states - self.torch_states).max())


def loop_vs_torch(model: SentimentRNN, ids: Sequence[int]) -> LoopCheck:
    """Run the real model's SimpleRNN on ``ids`` both as the numpy loop and as ``nn.RNN``."""
    W, U, b = weights(model)
    with torch.inference_mode():
        x = model.embedding(torch.as_tensor([list(ids)], dtype=torch.long))
        torch_states, _ = model.rnn(x)
    return LoopCheck(numpy_rnn_loop(x[0].numpy(), W, U, b), torch_states[0].numpy())
