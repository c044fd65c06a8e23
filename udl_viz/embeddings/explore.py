"""Questions to ask word vectors: the embedding matrix, nearest neighbours and analogies."""

from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors

from udl_viz.settings import Setting

#: Rows of the embedding matrix to show, and how many nearest neighbours to list.
SETTINGS = (Setting("rows", "First rows (most frequent words)", 12, minimum=0, maximum=40),
            Setting("topn", "How many neighbours", 10, minimum=3, maximum=25))


class UnknownWordError(KeyError):
    """Words that are not in the vectors' vocabulary."""

    def __init__(self, words: list[str]):
        self.words = words
        super().__init__(words)

    def __str__(self) -> str:
        return f"not in the vocabulary: {', '.join(repr(w) for w in self.words)}"


def clean_words(text: str) -> list[str]:
    """Comma- or space-separated words, lower-cased, duplicates dropped, order kept."""
    words = [w.strip().lower() for w in text.replace(",", " ").split()]
    return list(dict.fromkeys(w for w in words if w))


def require_words(kv: KeyedVectors, words: list[str]) -> None:
    """Raise ``UnknownWordError`` naming every word that has no vector."""
    missing = [w for w in words if w not in kv.key_to_index]
    if missing:
        raise UnknownWordError(missing)


def word_counts(kv: KeyedVectors) -> np.ndarray:
    """Corpus frequency of every word, in vocabulary order."""
    return np.array([kv.get_vecattr(w, "count") for w in kv.index_to_key], dtype=np.int64)


def embedding_rows(kv: KeyedVectors, words: list[str]) -> tuple[list[int], np.ndarray]:
    """Row indices of ``words`` in the embedding matrix and those rows (one vector per word)."""
    require_words(kv, words)
    rows = [kv.key_to_index[w] for w in words]
    return rows, kv.vectors[rows]


def neighbours(kv: KeyedVectors, word: str, topn: int = 10) -> list[tuple[str, float]]:
    """The ``topn`` words with the highest cosine similarity to ``word``."""
    require_words(kv, [word])
    return [(w, float(s)) for w, s in kv.most_similar(word, topn=topn)]


def analogy(kv: KeyedVectors, a: str, b: str, c: str, topn: int = 5) -> list[tuple[str, float]]:
    """Answers to "a is to b as c is to ?": words nearest to b - a + c (3CosAdd), inputs excluded."""
    require_words(kv, [a, b, c])
    return [(w, float(s)) for w, s in kv.most_similar(positive=[b, c], negative=[a], topn=topn)]


def analogy_plane(vectors: np.ndarray) -> np.ndarray:
    """2D coordinates of unit vectors a, b, c, d in the plane that shows an analogy best.

    The origin is a; the x axis points from a to c, and the y axis along the two offsets
    b - a and d - c (made orthogonal to x). If the analogy holds, a → b and c → d are parallel.
    """
    if vectors.shape[0] != 4:
        raise ValueError(f"need the four vectors a, b, c, d, got {vectors.shape[0]}")
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    a, b, c, d = unit
    x = (c - a) / max(float(np.linalg.norm(c - a)), 1e-12)
    offset = (b - a) + (d - c)
    y = offset - (offset @ x) * x
    y /= max(float(np.linalg.norm(y)), 1e-12)
    return np.stack([(unit - a) @ x, (unit - a) @ y], axis=1)
