"""How far each word's vector moved when an embedding layer was trained for sentiment."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from udl_viz.settings import Setting

#: How many movers to list, and the rarest words to include.
SETTINGS = (Setting("k_movers", "Words to list", 20, minimum=5, maximum=40),
            Setting("min_count", "Only words seen at least", 20, minimum=1, maximum=100,
                    ticks=(1, 2, 5, 10, 20, 50, 100),
                    help="Rare words get few updates; raise this to compare common words."))


class WordDrift(NamedTuple):
    """One word's move: cosine distance between its initial and trained vectors."""

    word: str
    cosine_distance: float


class SentimentDrift(NamedTuple):
    """A sentiment model's embedding next to its word2vec start, for the words that had a vector."""

    words: list[str]
    initial: np.ndarray
    trained: np.ndarray
    counts: np.ndarray  # how often each word occurs in SST-2's training sentences


def cosine_distances(initial: np.ndarray, trained: np.ndarray) -> np.ndarray:
    """Row-wise ``1 - cos(initial[i], trained[i])``: 0 = same direction, 2 = opposite."""
    if initial.shape != trained.shape:
        raise ValueError(f"shapes differ: {initial.shape} vs {trained.shape}")
    norms = np.linalg.norm(initial, axis=1) * np.linalg.norm(trained, axis=1)
    cos = (initial * trained).sum(axis=1) / np.maximum(norms, 1e-12)
    return 1.0 - np.clip(cos, -1.0, 1.0)


def top_movers(words: list[str], initial: np.ndarray, trained: np.ndarray, k: int = 20) -> list[WordDrift]:
    """The ``k`` words whose vectors turned furthest, furthest first (ties keep word order)."""
    if len(words) != len(initial):
        raise ValueError(f"{len(words)} words for {len(initial)} vectors")
    distances = cosine_distances(initial, trained)
    order = np.argsort(-distances, kind="stable")[:k]
    return [WordDrift(words[i], float(distances[i])) for i in order]


def matrix_neighbours(words: list[str], matrix: np.ndarray, word: str, topn: int = 8) -> list[tuple[str, float]]:
    """The ``topn`` rows most cosine-similar to ``word``'s row (``KeyError`` if it is absent)."""
    if word not in words:
        raise KeyError(word)
    index = words.index(word)
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    sims = unit @ unit[index]
    sims[index] = -np.inf
    order = np.argsort(-sims, kind="stable")[:topn]
    return [(words[i], float(sims[i])) for i in order]


def sentiment_drift(model_name: str) -> SentimentDrift:
    """The trained embedding of sentiment model ``model_name`` and its word2vec initialisation.

    Rows without a word2vec vector (``<pad>``, ``<unk>``) are left out: they started at zero.
    Raises ``udl_viz.models.ModelUnavailable`` when the checkpoint is missing.
    """
    from udl_viz.models import SENTIMENT, load_model
    from udl_viz.models.sentiment import embedding_matrix
    from udl_viz.text.word2vec import load_vocabulary, load_word2vec, word2vec_matrix

    words, trained = embedding_matrix(load_model(model_name, task=SENTIMENT))
    initial = word2vec_matrix(load_vocabulary())
    kv = load_word2vec()
    keep = [i for i, w in enumerate(words) if w in kv.key_to_index]
    return SentimentDrift([words[i] for i in keep], initial[keep], trained[keep],
                          np.array([kv.get_vecattr(words[i], "count") for i in keep], dtype=np.int64))
