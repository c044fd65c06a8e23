"""The memory at work: unroll a trained RNN word by word and record its states and gates.

torch's fused ``nn.RNN``/``nn.LSTM``/``nn.GRU`` only return hidden states, so we replay their
equations step by step on the layer's own weights to expose the gates too; ``Trace.hidden``
equals the layer's output (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from udl_viz.models.sentiment import SentimentRNN

#: Gate names per architecture, in torch's weight order, with what each one decides.
GATES = {
    "lstm": {"input": "how much of the new candidate to write into the cell",
             "forget": "how much of the old cell to keep",
             "output": "how much of the cell to show as the hidden state"},
    "gru": {"reset": "how much of the old state the candidate may look at",
            "update": "how much of the old state to keep (1 = keep, 0 = replace)"},
    "simple_rnn": {},
}


@dataclass(frozen=True)
class Trace:
    """One text read word by word: hidden state, P(positive) and gates after each word."""

    hidden: np.ndarray            # (time, units)
    positive: np.ndarray          # (time,)
    gates: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (time, units), in [0, 1]
    cell: np.ndarray | None = None  # LSTM cell state (time, units)


def unroll(model: SentimentRNN, ids: Sequence[int]) -> Trace:
    """Replay ``model.rnn`` one word at a time on the text ``ids`` (no padding, batch of one)."""
    rnn = model.rnn
    w_ih, w_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
    b_ih, b_hh = rnn.bias_ih_l0, rnn.bias_hh_l0
    units = rnn.hidden_size
    hidden, cells, gates = [], [], {name: [] for name in GATES[model.kind]}
    with torch.inference_mode():
        inputs = model.embedding(torch.as_tensor(list(ids), dtype=torch.long))
        h = torch.zeros(units)
        c = torch.zeros(units)
        for x in inputs:
            xi, hh = w_ih @ x + b_ih, w_hh @ h + b_hh
            if model.kind == "simple_rnn":
                h = torch.tanh(xi + hh)
            elif model.kind == "lstm":
                i, f, g, o = (xi + hh).split(units)
                i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
                c = f * c + i * torch.tanh(g)
                h = o * torch.tanh(c)
                for name, value in zip(("input", "forget", "output"), (i, f, o), strict=True):
                    gates[name].append(value)
                cells.append(c)
            else:  # gru
                xr, xz, xn = xi.split(units)
                hr, hz, hn = hh.split(units)
                r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
                h = (1 - z) * torch.tanh(xn + r * hn) + z * h
                gates["reset"].append(r)
                gates["update"].append(z)
            hidden.append(h)
        states = torch.stack(hidden)
        positive = torch.softmax(model.dense(states), dim=1)[:, 1]
    return Trace(
        hidden=states.numpy(),
        positive=positive.numpy(),
        gates={name: torch.stack(values).numpy() for name, values in gates.items()},
        cell=torch.stack(cells).numpy() if cells else None,
    )


def positive_after_each_word(model: SentimentRNN, ids: Sequence[int]) -> np.ndarray:
    """P(positive) read from the hidden state after every word, straight from the torch layer."""
    with torch.inference_mode():
        logits = model.step_logits(torch.as_tensor([list(ids)], dtype=torch.long))[0]
        return torch.softmax(logits, dim=1)[:, 1].numpy()
