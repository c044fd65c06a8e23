"""The (centre word, context word) pairs that skip-gram learns from."""

from __future__ import annotations

import re
from typing import NamedTuple

from udl_viz.settings import Setting

#: The lecture's example sentence, the page's default.
LECTURE_SENTENCE = (
    "The opioid epidemic or opioid crisis is the rapid increase in the use of prescription and "
    "non-prescription opioid drugs in the United States and Canada in the 2010s."
)
#: How many words on each side of the centre count as its context.
WINDOW = Setting("window", "Window: context words on each side", 2, minimum=1, maximum=5, step=1,
                 help="A wider window gives more pairs and more topical neighbours.")

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


class SkipGramPair(NamedTuple):
    """One training example: predict ``context`` from ``centre``."""

    centre_position: int
    centre: str
    context_position: int
    context: str


def simple_tokens(text: str) -> list[str]:
    """Lower-case words with punctuation dropped (hyphenated words stay whole)."""
    return _WORD.findall(text.lower())


def context_positions(n_tokens: int, position: int, window: int) -> list[int]:
    """Positions within ``window`` words either side of ``position``, in sentence order."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    if not 0 <= position < n_tokens:
        raise ValueError(f"position {position} is outside a sentence of {n_tokens} words")
    return [j for j in range(max(0, position - window), min(n_tokens, position + window + 1))
            if j != position]


def skipgram_pairs(tokens: list[str], window: int) -> list[SkipGramPair]:
    """Every (centre, context) pair of the sentence, centre by centre, in sentence order."""
    return [SkipGramPair(i, word, j, tokens[j])
            for i, word in enumerate(tokens)
            for j in context_positions(len(tokens), i, window)]


def context_words(tokens: list[str], centre: str, window: int, occurrence: int = 0) -> list[str]:
    """The context words of the ``occurrence``-th appearance of ``centre`` (a KeyError if absent)."""
    positions = [i for i, word in enumerate(tokens) if word == centre]
    if occurrence >= len(positions):
        raise KeyError(f"{centre!r} occurs {len(positions)} time(s) in the sentence")
    return [tokens[j] for j in context_positions(len(tokens), positions[occurrence], window)]
