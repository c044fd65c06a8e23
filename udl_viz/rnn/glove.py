"""The frozen-GloVe sentiment models' vocabulary and embedding: all 400,000 GloVe words.

Ids 0 and 1 are ``<pad>`` and ``<unk>`` (zero vectors), id ``i + 2`` is GloVe word ``i``.
Checkpoints store no embedding: it is rebuilt here from the installed package, once per
process, and shared by the three GloVe models.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import torch

from udl_viz.embeddings.glove import load_glove
from udl_viz.text.vocab import Vocabulary

_HYPHENS = re.compile(r"(-)")


@functools.lru_cache(maxsize=1)
def glove_vocabulary() -> Vocabulary:
    """``<pad>``, ``<unk>``, then every GloVe word in GloVe's order."""
    return Vocabulary(load_glove().index_to_key)


@functools.lru_cache(maxsize=1)
def glove_embedding() -> torch.Tensor:
    """The (400,002, 50) embedding matrix: two zero rows, then the GloVe vectors (one copy per process)."""
    vectors = load_glove().vectors
    matrix = np.zeros((vectors.shape[0] + 2, vectors.shape[1]), dtype=np.float32)
    matrix[2:] = vectors
    return torch.from_numpy(matrix)


def split_unknown_hyphens(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """Unknown hyphenated words as their parts: ``pay-to-win`` -> ``pay - to - win``.

    GloVe's tokenizer keeps common compounds whole ("well-known"), so known ones stay whole.
    """
    out: list[str] = []
    for token in tokens:
        if token in vocab or "-" not in token.strip("-"):
            out.append(token)
        else:
            out.extend(part for part in _HYPHENS.split(token) if part)
    return out
