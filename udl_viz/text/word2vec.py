"""Skip-gram word2vec vectors trained self-supervised on SST-2's training sentences."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from udl_viz.text.vocab import Vocabulary

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "text"
WORD2VEC_PATH = ASSETS / "word2vec_sst2.kv"
#: The sentiment models' vocabulary: ``<pad>``, ``<unk>``, then the word2vec words in its order.
VOCAB_PATH = ASSETS / "vocab.txt"
#: Skip-gram with negative sampling. One worker and a fixed seed make training reproducible.
#: min_count=1 gives every training word a vector for the sentiment models to start from;
#: 50 dimensions keep the file under 5 MB.
WORD2VEC_PARAMS = {"vector_size": 50, "window": 3, "min_count": 1, "sg": 1, "negative": 5,
                   "sample": 1e-3, "epochs": 40, "workers": 1}


def train_word2vec(sentences: list[list[str]], seed: int = 0, params: dict = WORD2VEC_PARAMS,
                   **overrides) -> KeyedVectors:
    """Train gensim word2vec with ``params`` (updated with ``overrides``) and return its vectors."""
    return Word2Vec(sentences, seed=seed, **{**params, **overrides}).wv


def load_word2vec(path: str | Path = WORD2VEC_PATH) -> KeyedVectors:
    """The committed SST-2 word2vec vectors (``FileNotFoundError`` says how to make them)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python scripts/train_word2vec.py`")
    return KeyedVectors.load(str(path))


@functools.lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The committed vocabulary of the sentiment models (and of the word2vec vectors)."""
    if not VOCAB_PATH.is_file():
        raise FileNotFoundError(f"{VOCAB_PATH} is missing: run `python scripts/train_word2vec.py`")
    return Vocabulary.load(VOCAB_PATH)


def word2vec_matrix(vocab: Vocabulary) -> np.ndarray:
    """The embedding the sentiment models start from: row i is word i's word2vec vector.

    ``<pad>`` and ``<unk>`` start as zero vectors; words without a vector get zeros too.
    """
    kv = load_word2vec()
    matrix = np.zeros((len(vocab), kv.vector_size), dtype=np.float32)
    for i, word in enumerate(vocab.words):
        if word in kv.key_to_index:
            matrix[i] = kv[word]
    return matrix
