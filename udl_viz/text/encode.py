"""A text as a sentiment model sees it: SST-2 tokens cut to a length, looked up in a vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from udl_viz.text.tokenize import split_unknown_hyphens, tokenize
from udl_viz.text.vocab import Vocabulary

#: Longer texts are cut to this many tokens (SST-2's longest sentence has 56).
MAX_TOKENS = 80


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


def encode(text: str, vocab: Vocabulary, max_tokens: int = MAX_TOKENS, split_hyphens: bool = False) -> Encoded:
    """Tokens, ids and unknown-word flags of ``text``, cut to ``max_tokens``.

    ``split_hyphens`` (the GloVe models) splits a hyphenated word the vocabulary lacks into its parts.
    """
    tokens = tokenize(text)
    if split_hyphens:
        tokens = split_unknown_hyphens(tokens, vocab)
    kept = tokens[:max_tokens]
    ids = vocab.encode(kept)
    return Encoded(text, kept, ids, [i == vocab.unk_id for i in ids], len(tokens))


@dataclass(frozen=True)
class TextEncoder:
    """A text model's preprocessing: ``encoder(text)`` gives the ``Encoded`` text.

    ``vocabulary`` loads the vocabulary on first use, so listing models reads no file.
    """

    vocabulary: Callable[[], Vocabulary]
    max_tokens: int = MAX_TOKENS
    split_hyphens: bool = False

    def __call__(self, text: str, max_tokens: int | None = None) -> Encoded:
        """Tokenize like SST-2, cut to ``max_tokens`` (default ``self.max_tokens``) and look every token up."""
        return encode(text, self.vocabulary(), self.max_tokens if max_tokens is None else max_tokens,
                      self.split_hyphens)
