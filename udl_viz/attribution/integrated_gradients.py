"""Integrated Gradients (Sundararajan et al. 2017): gradients along a path from a baseline image."""

from __future__ import annotations

import torch
from captum.attr import IntegratedGradients as CaptumIG
from torch import nn

from udl_viz.attribution import inputs
from udl_viz.attribution.base import Attribution, Setting
from udl_viz.batching import heap_batch
from udl_viz.folding import speed_up
from udl_viz.models.spec import ModelSpec

#: Path points per forward/backward batch at most: small batches keep the activations in cache, which
#: beats captum's default of one batch of all ``n_steps`` images (see benchmarks/bench_saliency.py),
#: and fewer where the activations would not fit the allocator's heaps (``udl_viz.batching``).
BATCH = 10
BASELINES = ("black", "blurred", "noise")


def make_baseline(x: torch.Tensor, kind: str, spec: ModelSpec | None) -> torch.Tensor:
    """The reference image the path starts from."""
    if kind == "black":
        return inputs.black(x, spec)
    if kind == "blurred":
        return inputs.blurred(x)
    if kind == "noise":
        return inputs.noise(x, spec)
    raise ValueError(f"unknown baseline {kind!r}; choose one of {', '.join(BASELINES)}")


class IntegratedGradients(Attribution):
    name = "ig"
    label = "Integrated Gradients"
    description = "Add up gradients on the way from a blank baseline to the photo; the parts sum to the score change."
    signed = True
    evidence = True

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        return [Setting("baseline", "Baseline", "black", choices=BASELINES,
                        help="The 'absence of signal' the path starts from."),
                Setting("steps", "Steps along the path", 50, minimum=2, maximum=300, step=1,
                        help="More steps shrink the completeness gap; each costs one forward+backward.")]

    def expected_passes(self, spec: ModelSpec | None, settings: dict) -> int:
        return 2 * settings["steps"]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                baseline: str, steps: int) -> tuple[torch.Tensor, dict]:
        start = make_baseline(x, baseline, spec)
        batch = heap_batch(model, x, BATCH)
        speed_up(model, tuple(x.shape[1:]), in_place=False)  # BatchNorm folded: same gradients, 1.15-1.25x faster
        attr, delta = CaptumIG(model).attribute(x, baselines=start, target=target, n_steps=steps,
                                                internal_batch_size=batch,
                                                return_convergence_delta=True)
        total = float(attr.sum())
        gap = float(delta.abs().sum())
        return attr[0], {"convergence_delta": gap, "attribution_sum": total,
                         "score_change": total - float(delta.sum()),
                         "relative_gap": gap / max(abs(total - float(delta.sum())), 1e-12)}
