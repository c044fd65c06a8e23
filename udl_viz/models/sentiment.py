"""The sentiment RNNs: SimpleRNN, LSTM and GRU, each fine-tuned or with frozen word2vec.

Every entry carries its preprocessing (``TextEncoder``: tokenize + vocabulary lookup), class
names, named layers and the checkpoint trained by ``scripts/train_sentiment.py``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import torch
from torch import nn

from udl_viz.datasets.sst2 import CLASS_NAMES
from udl_viz.models.spec import SENTIMENT, Layer, ModelSpec, ModelUnavailable
from udl_viz.text.encode import TextEncoder
from udl_viz.text.vocab import Vocabulary

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "rnn"
#: Architecture name -> torch layer: the lecture's SimpleRNN (tanh), LSTM and GRU.
RNN_LAYERS: dict[str, type[nn.RNNBase]] = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
ARCHITECTURES = tuple(RNN_LAYERS)
TITLES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
LAYERS = (
    Layer("embedding", "Embedding: one vector per word"),
    Layer("rnn", "Recurrent layer: the memory, updated word by word"),
    Layer("dense", "Dense softmax: negative vs positive"),
)


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
        last = states[:, -1] if lengths is None else states[torch.arange(len(ids)), lengths.to(states.device) - 1]
        return self.dense(self.dropout(last))


def vocabulary() -> Vocabulary:
    """The sentiment models' vocabulary (gensim is imported only when it is first needed)."""
    from udl_viz.text.word2vec import load_vocabulary

    return load_vocabulary()


def checkpoint_path(name: str) -> Path:
    """Where ``scripts/train_sentiment.py`` writes model ``name``."""
    return ASSETS / f"{name}.pt"


def _availability(name: str) -> str | None:
    path = checkpoint_path(name)
    return None if path.is_file() else f"{path.name} is missing: run `python scripts/train_sentiment.py --seed 0`"


@functools.cache
def _saved(name: str) -> dict:
    reason = _availability(name)
    if reason is not None:
        raise ModelUnavailable(reason)
    return torch.load(checkpoint_path(name), map_location="cpu", weights_only=True)


def _build(name: str, kind: str, frozen: bool) -> SentimentRNN:
    saved = _saved(name)
    model = SentimentRNN(kind, saved["vocab_size"], saved["embedding_dim"], saved["hidden_size"],
                         freeze_embedding=frozen)
    state = dict(saved["state_dict"])
    if frozen:  # frozen checkpoints leave out the embedding: it is the word2vec matrix
        from udl_viz.text.word2vec import word2vec_matrix

        state["embedding.weight"] = torch.from_numpy(word2vec_matrix(vocabulary()))
    model.load_state_dict(state)
    return model.eval()


def sentiment_spec(kind: str, frozen: bool) -> ModelSpec:
    """The registry entry of the ``kind`` RNN, fine-tuned or on frozen word2vec."""
    name = f"{kind}_frozen" if frozen else kind
    how = ("the embedding keeps the word2vec vectors unchanged" if frozen
           else "the embedding starts from word2vec and is fine-tuned")
    return ModelSpec(
        name=name,
        title=TITLES[kind] + (" (frozen word2vec)" if frozen else ""),
        description=f"{TITLES[kind]} sentiment classifier trained on SST-2; {how}.",
        weights_source=f"assets/rnn/{name}.pt, trained by scripts/train_sentiment.py",
        builder=functools.partial(_build, name, kind, frozen),
        preprocess=TextEncoder(vocabulary),
        class_names=lambda: list(CLASS_NAMES),
        layers=LAYERS,
        availability=functools.partial(_availability, name),
        kind=kind,
        task=SENTIMENT,
        metrics=lambda: dict(_saved(name)["metrics"]),
        meta={"frozen": frozen},
    )


SPECS = tuple(sentiment_spec(kind, frozen) for kind in ARCHITECTURES for frozen in (False, True))


def embedding_matrix(model: SentimentRNN) -> tuple[list[str], np.ndarray]:
    """The vocabulary and the trained embedding matrix (row i = word i) of a sentiment model.

    Compare it with ``word2vec_matrix`` to see which words moved when trained for sentiment.
    """
    return list(vocabulary().words), model.embedding.weight.detach().numpy().copy()
