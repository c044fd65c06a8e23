"""How much a LIME explanation depends on its random perturbations: the same explanation over k seeds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from udl_viz.lime_image.explainer import ClassifierFn, LimeResult, explain
from udl_viz.progress import Progress
from udl_viz.settings import Setting

#: How many seeds a stability check runs.
SEEDS = Setting("k", "Seeds (k)", 5, minimum=2, maximum=10)


@dataclass
class Stability:
    """Superpixel weights from several seeds, one row per seed."""

    weights: np.ndarray  # (seeds, n)
    seeds: list[int]
    samples: list[int]
    top_k: int = 5

    @property
    def mean(self) -> np.ndarray:
        return self.weights.mean(axis=0)

    @property
    def std(self) -> np.ndarray:
        return self.weights.std(axis=0, ddof=1) if len(self.seeds) > 1 else np.zeros(self.weights.shape[1])

    def top_sets(self) -> list[frozenset[int]]:
        """Each seed's ``top_k`` superpixels with the largest weights."""
        return [frozenset(np.argsort(-w, kind="stable")[: self.top_k].tolist()) for w in self.weights]

    def modal_agreement(self) -> tuple[frozenset[int], int]:
        """The most common top-k set and in how many seeds it came out exactly."""
        top, count = Counter(self.top_sets()).most_common(1)[0]
        return top, count

    def mean_overlap(self) -> float:
        """Mean Jaccard overlap of the top-k sets over all pairs of seeds (1 = always the same)."""
        sets = self.top_sets()
        pairs = [len(a & b) / len(a | b) for a, b in combinations(sets, 2)]
        return float(np.mean(pairs)) if pairs else 1.0

    def top_frequency(self) -> np.ndarray:
        """For each superpixel, the fraction of seeds that put it in their top k."""
        counts = np.zeros(self.weights.shape[1])
        for top in self.top_sets():
            counts[list(top)] += 1
        return counts / len(self.seeds)


def run_seeds(classifier_fn: ClassifierFn, pixels: np.ndarray, segments: np.ndarray, target: int,
              seeds: Sequence[int], *, top_k: int = 5, progress: Progress | None = None,
              **kwargs) -> Stability:
    """Run ``explain`` once per seed on the same segmentation; ``kwargs`` go to ``explain``.

    ``progress(done, total)`` counts samples over all seeds (each seed counts ``num_samples``,
    also when it stops early).
    """
    if len(seeds) < 2:
        raise ValueError("Stability needs at least two seeds.")
    total = len(seeds) * kwargs.get("num_samples", 1000)
    results: list[LimeResult] = []
    for i, seed in enumerate(seeds):
        offset = i * kwargs.get("num_samples", 1000)
        part = None if progress is None else (lambda done, _n, offset=offset: progress(offset + done, total))
        results.append(explain(classifier_fn, pixels, segments, target, seed=seed, progress=part, **kwargs))
    return Stability(weights=np.stack([r.weights for r in results]), seeds=list(seeds),
                     samples=[r.samples for r in results], top_k=top_k)
