"""The sentiment classifier of the lecture: embedding, then one RNN layer, then a dense softmax."""

from __future__ import annotations

import torch
from torch import nn

#: Architecture name -> torch layer: the lecture's SimpleRNN (tanh), LSTM and GRU.
RNN_LAYERS: dict[str, type[nn.RNNBase]] = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SentimentRNN(nn.Module):
    """``embedding`` -> ``rnn`` (unidirectional, one layer) -> ``dense`` (2 logits).

    Inputs are right-padded id tensors ``(batch, time)`` with id 0 as padding; the prediction
    is read from the hidden state after each text's last real word.
    """

    def __init__(self, kind: str, vocab_size: int, embedding_dim: int = 50, hidden_size: int = 64,
                 dropout: float = 0.3, freeze_embedding: bool = False):
        super().__init__()
        if kind not in RNN_LAYERS:
            raise ValueError(f"unknown RNN kind {kind!r}; choose one of {', '.join(RNN_LAYERS)}")
        self.kind = kind
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.embedding.weight.requires_grad_(not freeze_embedding)
        self.rnn = RNN_LAYERS[kind](embedding_dim, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.dense = nn.Linear(hidden_size, 2)

    @property
    def hidden_size(self) -> int:
        return self.rnn.hidden_size

    def states(self, ids: torch.Tensor) -> torch.Tensor:
        """Hidden state after every word, ``(batch, time, hidden)``."""
        outputs, _ = self.rnn(self.dropout(self.embedding(ids)))
        return outputs

    def step_logits(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits read from the hidden state after every word, ``(batch, time, 2)``."""
        return self.dense(self.dropout(self.states(ids)))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``(batch, 2)`` after each text's last real word (all of ``ids`` if no lengths)."""
        states = self.states(ids)
        if lengths is None:
            last = states[:, -1]
        else:
            last = states[torch.arange(len(ids)), lengths.to(states.device) - 1]
        return self.dense(self.dropout(last))
