"""Word2vec vector sets: gensim's bundled Lee news corpus, and SST-2 from the RNN pages."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "embeddings"
#: The Lee background corpus: 300 Australian news articles that ship inside gensim.
LEE_CORPUS = Path(datapath("lee_background.cor"))
LEE_VECTORS = ASSETS / "word2vec_lee.kv"
#: Skip-gram with negative sampling; one worker and a seed make training reproducible.
LEE_PARAMS = {"vector_size": 50, "window": 5, "min_count": 3, "sg": 1, "negative": 5,
              "epochs": 40, "seed": 0, "workers": 1}

#: Vector set name -> what it was trained on.
VECTOR_SETS = {
    "lee": "Lee news articles",  # short: a select box cannot wrap its value
    "sst2": "SST-2 movie reviews",
}


class Examples(NamedTuple):
    """Starting points that show something meaningful in one vector set."""

    word: str
    analogy: tuple[str, str, str]
    highlight: tuple[str, ...]


#: Vector set name -> its default query word, analogy (a : b :: c : ?) and highlighted words.
EXAMPLES = {
    "lee": Examples("israeli", ("france", "french", "germany"),
                    ("israel", "israeli", "palestinian", "police", "fire", "president", "bush", "australia")),
    "sst2": Examples("comedy", ("film", "films", "movie"),
                     ("comedy", "drama", "thriller", "documentary", "film", "movie", "good", "bad", "funny",
                      "boring", "he", "she")),
}


class VectorsUnavailable(RuntimeError):
    """A vector set that cannot be loaded here, with the reason in plain words."""


def lee_sentences() -> list[list[str]]:
    """The Lee corpus as lower-cased word lists, one per article."""
    with LEE_CORPUS.open(encoding="utf-8") as f:
        return [simple_preprocess(line) for line in f]


def train_word2vec(sentences: list[list[str]], **params) -> KeyedVectors:
    """Train gensim word2vec (``LEE_PARAMS`` unless overridden) and return its word vectors."""
    return Word2Vec(sentences, **{**LEE_PARAMS, **params}).wv


def load_vectors(name: str) -> KeyedVectors:
    """The vector set ``name`` from ``VECTOR_SETS`` (``VectorsUnavailable`` if it is missing)."""
    if name == "lee":
        if not LEE_VECTORS.exists():
            raise VectorsUnavailable(f"{LEE_VECTORS.name} is missing: run scripts/train_word2vec_lee.py")
        return KeyedVectors.load(str(LEE_VECTORS))
    if name == "sst2":
        try:
            from udl_viz.text.word2vec import load_word2vec
        except ModuleNotFoundError as err:
            raise VectorsUnavailable(f"the SST-2 word2vec loader is not available: {err}") from err
        try:
            return load_word2vec()
        except FileNotFoundError as err:
            raise VectorsUnavailable(f"the SST-2 word2vec vectors are missing: {err}") from err
    raise VectorsUnavailable(f"unknown vector set {name!r}; choose from {', '.join(VECTOR_SETS)}")

