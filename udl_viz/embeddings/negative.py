"""Negative sampling: noise words drawn from the unigram distribution raised to the 3/4 power.

gensim does the same inside its compiled training loop (``ns_exponent=0.75``) but does not
expose the sampler, so this module draws from the same distribution with numpy to show it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from udl_viz.embeddings.skipgram import SkipGramPair
from udl_viz.settings import Setting

#: word2vec's exponent: it flattens the word frequencies so rare words are drawn more often.
NOISE_POWER = 0.75
#: Negatives per real pair, and the seed that draws them.
SETTINGS = (Setting("k", "Negative samples per pair (k)", 5, minimum=1, maximum=15, step=1),
            Setting("seed", "Random seed", 0, minimum=0, maximum=10_000, step=1, widget="number",
                    help="Change it to draw other negatives."))


class TrainingExample(NamedTuple):
    """A (centre, word) example: label 1 for a real context word, 0 for a negative sample."""

    centre: str
    word: str
    label: int


def noise_distribution(counts: np.ndarray, power: float = NOISE_POWER) -> np.ndarray:
    """Probabilities proportional to ``counts ** power``."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or len(counts) == 0 or (counts < 0).any() or counts.sum() == 0:
        raise ValueError("counts must be a non-empty 1D array of non-negative numbers, not all zero")
    weights = counts ** power
    return weights / weights.sum()


def draw_negatives(probs: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` word indices drawn independently from ``probs``."""
    return rng.choice(len(probs), size=n, p=probs)


def negative_examples(pairs: list[SkipGramPair], vocabulary: list[str], probs: np.ndarray, k: int,
                      seed: int = 0) -> list[TrainingExample]:
    """Each positive pair (label 1) followed by ``k`` negative samples (label 0) for its centre.

    A draw that hits the true context word is redrawn, as word2vec never uses the real
    context word as a negative (gensim skips it; redrawing keeps ``k`` per pair on screen).
    """
    if k < 0:
        raise ValueError(f"k must be non-negative, got {k}")
    rng = np.random.default_rng(seed)
    index = {word: i for i, word in enumerate(vocabulary)}
    examples = []
    for pair in pairs:
        examples.append(TrainingExample(pair.centre, pair.context, 1))
        noise = probs
        if pair.context in index:  # same as redrawing until the draw is not the context word
            noise = probs.copy()
            noise[index[pair.context]] = 0.0
            if noise.sum() == 0:
                raise ValueError(f"no word other than {pair.context!r} can be drawn as a negative")
            noise /= noise.sum()
        examples.extend(TrainingExample(pair.centre, vocabulary[int(i)], 0)
                        for i in draw_negatives(noise, k, rng))
    return examples
