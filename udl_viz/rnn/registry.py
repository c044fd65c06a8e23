"""The sentiment model registry: SimpleRNN, LSTM and GRU, each fine-tuned or with frozen word2vec,
and each with a frozen GloVe embedding (``*_glove``).

Every entry carries its preprocessing (tokenize + vocabulary lookup), class names, named
layers and the checkpoint trained by ``scripts/train_sentiment.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from udl_viz.rnn.model import SentimentRNN
from udl_viz.text.sst2 import CLASS_NAMES
from udl_viz.text.tokenize import tokenize
from udl_viz.text.vocab import Vocabulary
from udl_viz.text.word2vec import load_vocabulary, load_word2vec

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "rnn"
#: Longer texts are cut to this many tokens (SST-2's longest sentence has 56).
MAX_TOKENS = 80
ARCHITECTURES = ("simple_rnn", "lstm", "gru")
TITLES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


@dataclass(frozen=True)
class Layer:
    """A layer worth inspecting: its module path in the model and a short human label."""

    path: str
    label: str


LAYERS = (
    Layer("embedding", "Embedding: one vector per word"),
    Layer("rnn", "Recurrent layer: the memory, updated word by word"),
    Layer("dense", "Dense softmax: negative vs positive"),
)


@dataclass(frozen=True)
class Encoded:
    """A text as the model sees it."""

    text: str
    tokens: list[str]
    ids: list[int]
    unknown: list[bool]
    n_tokens: int  # before truncation

    @property
    def truncated(self) -> bool:
        return self.n_tokens > len(self.tokens)

    @property
    def unknown_words(self) -> list[str]:
        return [t for t, u in zip(self.tokens, self.unknown, strict=True) if u]

    @property
    def all_unknown(self) -> bool:
        return all(self.unknown)


class ModelUnavailable(RuntimeError):
    """A sentiment checkpoint that cannot be loaded here, with the reason in plain words."""


@dataclass(frozen=True)
class SentimentSpec:
    """One registry entry."""

    name: str
    kind: str
    frozen: bool
    class_names: tuple[str, ...] = CLASS_NAMES
    layers: tuple[Layer, ...] = LAYERS
    vectors: str = "word2vec"  # or "glove": the embedding is GloVe 6B, always frozen

    @property
    def title(self) -> str:
        if self.vectors == "glove":
            return TITLES[self.kind] + " (frozen GloVe)"
        return TITLES[self.kind] + (" (frozen word2vec)" if self.frozen else "")

    @property
    def description(self) -> str:
        how = ("the embedding keeps the word2vec vectors unchanged" if self.frozen
               else "the embedding starts from word2vec and is fine-tuned")
        if self.vectors == "glove":
            how = "the embedding is GloVe 6B (Wikipedia + Gigaword, 400,000 words), kept fixed"
        return f"{TITLES[self.kind]} sentiment classifier trained on SST-2; {how}."

    @property
    def vocabulary(self) -> Vocabulary:
        """The words this model has a row for (``ModelUnavailable`` if GloVe is not installed)."""
        if self.vectors != "glove":
            return load_vocabulary()
        from udl_viz.embeddings.glove import GloveUnavailable
        from udl_viz.rnn.glove import glove_vocabulary

        try:
            return glove_vocabulary()
        except GloveUnavailable as err:
            raise ModelUnavailable(f"{self.title} needs GloVe: {err}") from err

    @property
    def checkpoint(self) -> Path:
        return ASSETS / f"{self.name}.pt"

    def unavailable_reason(self) -> str | None:
        """``None`` when the model can be built here, else why not, in plain words."""
        if not self.checkpoint.is_file():
            return f"{self.checkpoint.name} is missing: run `python scripts/train_sentiment.py --seed 0`"
        if self.vectors == "glove":
            from udl_viz.embeddings.catalog import unavailable_reason

            return unavailable_reason("glove")
        return None

    def preprocess(self, text: str, max_tokens: int = MAX_TOKENS) -> Encoded:
        """Tokenize like SST-2 (and GloVe), cut to ``max_tokens`` and look every token up."""
        return encode(text, self.vocabulary, max_tokens, split_hyphens=self.vectors == "glove")

    @functools.cached_property
    def _saved(self) -> dict:
        if not self.checkpoint.is_file():
            raise ModelUnavailable(f"{self.checkpoint.name} is missing: run "
                                   "`python scripts/train_sentiment.py --seed 0`")
        return torch.load(self.checkpoint, map_location="cpu", weights_only=True)

    @property
    def metrics(self) -> dict:
        """What the training script measured (dev accuracy, epochs, seed, ...)."""
        return dict(self._saved["metrics"])

    def build(self) -> SentimentRNN:
        """The model in eval mode with its trained weights."""
        saved = self._saved
        if self.vectors == "glove":
            return self._build_glove(saved)
        model = SentimentRNN(self.kind, saved["vocab_size"], saved["embedding_dim"],
                             saved["hidden_size"], freeze_embedding=self.frozen)
        state = dict(saved["state_dict"])
        if self.frozen:  # frozen checkpoints leave out the embedding: it is the word2vec matrix
            state["embedding.weight"] = torch.from_numpy(word2vec_matrix(load_vocabulary()))
        model.load_state_dict(state)
        return model.eval()

    def _build_glove(self, saved: dict) -> SentimentRNN:
        """Built on the meta device, then given the shared GloVe matrix without a copy."""
        from udl_viz.rnn.glove import glove_embedding

        self.vocabulary  # noqa: B018 - raises ModelUnavailable when GloVe is missing
        with torch.device("meta"):
            model = SentimentRNN(self.kind, saved["vocab_size"], saved["embedding_dim"], saved["hidden_size"],
                                 freeze_embedding=True)
        model.load_state_dict({**saved["state_dict"], "embedding.weight": glove_embedding()}, assign=True)
        return model.eval()


def encode(text: str, vocab: Vocabulary, max_tokens: int = MAX_TOKENS, split_hyphens: bool = False) -> Encoded:
    """Tokens, ids and unknown-word flags of ``text``, cut to ``max_tokens``."""
    tokens = tokenize(text)
    if split_hyphens:
        from udl_viz.rnn.glove import split_unknown_hyphens

        tokens = split_unknown_hyphens(tokens, vocab)
    kept = tokens[:max_tokens]
    ids = vocab.encode(kept)
    return Encoded(text, kept, ids, [i == vocab.unk_id for i in ids], len(tokens))


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


REGISTRY: dict[str, SentimentSpec] = {
    spec.name: spec
    for kind in ARCHITECTURES
    for spec in (SentimentSpec(kind, kind, False), SentimentSpec(f"{kind}_frozen", kind, True))
}
REGISTRY.update({f"{kind}_glove": SentimentSpec(f"{kind}_glove", kind, True, vectors="glove")
                 for kind in ARCHITECTURES})


def get_spec(name: str) -> SentimentSpec:
    """The registry entry called ``name``; ``KeyError`` lists the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown sentiment model {name!r}; choose one of {', '.join(REGISTRY)}") from None


def load_sentiment_model(name: str) -> SentimentRNN:
    """The named model in eval mode (``ModelUnavailable`` if its checkpoint is missing)."""
    return get_spec(name).build()


def embedding_matrix(name: str) -> tuple[list[str], np.ndarray]:
    """The vocabulary and the trained embedding matrix (row i = word i) of model ``name``.

    Compare it with ``word2vec_matrix`` to see which words moved when trained for sentiment.
    """
    model = load_sentiment_model(name)
    return list(get_spec(name).vocabulary.words), model.embedding.weight.detach().numpy().copy()
