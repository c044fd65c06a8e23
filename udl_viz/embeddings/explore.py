"""Questions to ask word vectors: the embedding matrix, nearest neighbours and analogies."""

from __future__ import annotations

import difflib
import weakref

import numpy as np
from gensim.models import KeyedVectors

from udl_viz.settings import Setting

#: Spelling suggestions come from this many most frequent words: rarer ones are mostly noise.
SUGGESTION_VOCABULARY = 100_000
_spelling: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Rows of the embedding matrix to show, and how many nearest neighbours to list.
ROWS = Setting("rows", "First rows (most frequent words)", 12, minimum=0, maximum=40, step=1)
TOPN = Setting("topn", "How many neighbours", 10, minimum=3, maximum=25, step=1)


class UnknownWordError(KeyError):
    """Words that are not in the vectors' vocabulary, with the nearest spellings that are."""

    def __init__(self, words: list[str], suggestions: dict[str, list[str]] | None = None):
        self.words = words
        self.suggestions = suggestions or {}
        super().__init__(words)

    def __str__(self) -> str:
        parts = []
        for word in self.words:
            close = self.suggestions.get(word)
            parts.append(f"{word!r}" + (f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""))
        return f"not in the vocabulary: {', '.join(parts)}"


def _buckets(kv: KeyedVectors) -> dict[str, list[str]]:
    """The frequent words grouped by first letter, built once per vector set."""
    if kv not in _spelling:
        buckets: dict[str, list[str]] = {}
        for word in kv.index_to_key[:SUGGESTION_VOCABULARY]:
            buckets.setdefault(word[:1], []).append(word)
        _spelling[kv] = buckets
    return _spelling[kv]


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion away (Norvig's edits1)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


def suggest(kv: KeyedVectors, word: str, n: int = 3) -> list[str]:
    """Up to ``n`` frequent vocabulary words spelt like ``word``: one typo away, most frequent first,
    else the closest by difflib's ratio.

    difflib over all 400,000 GloVe words takes seconds; looking up the few hundred one-typo
    variants, then comparing only frequent words with the same first letter, takes milliseconds.
    """
    if not word:
        return []
    ranks = [kv.key_to_index[w] for w in _one_edit(word) if w in kv.key_to_index]
    close = [kv.index_to_key[r] for r in sorted(ranks) if r < SUGGESTION_VOCABULARY][:n]
    if close:
        return close
    candidates = [w for w in _buckets(kv).get(word[0], ()) if abs(len(w) - len(word)) <= 2]
    return difflib.get_close_matches(word, candidates, n=n, cutoff=0.75)


def clean_words(text: str) -> list[str]:
    """Comma- or space-separated words, lower-cased, duplicates dropped, order kept."""
    words = [w.strip().lower() for w in text.replace(",", " ").split()]
    return list(dict.fromkeys(w for w in words if w))


def require_words(kv: KeyedVectors, words: list[str]) -> None:
    """Raise ``UnknownWordError`` naming every word that has no vector."""
    missing = [w for w in words if w not in kv.key_to_index]
    if missing:
        raise UnknownWordError(missing, {w: suggest(kv, w) for w in missing})


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
