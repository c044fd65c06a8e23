"""SmoothGrad (Smilkov et al. 2017): gradients averaged over noisy copies of the image."""

from __future__ import annotations

import torch
from captum.attr import NoiseTunnel, Saliency
from torch import nn

from udl_viz.attribution.base import Attribution, Setting
from udl_viz.batching import heap_batch
from udl_viz.folding import speed_up
from udl_viz.models.spec import ModelSpec

#: Noisy copies per forward/backward at most; fewer where the activations would not fit the allocator's heaps.
BATCH = 16


class SmoothGrad(Attribution):
    name = "smoothgrad"
    label = "SmoothGrad"
    gradient_type = True
    description = "Average the gradient over noisy copies of the image: less speckle, same idea."
    signed = True
    evidence = False

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        return [Setting("samples", "Noisy samples", 25, minimum=1, maximum=200, step=1,
                        help="More samples give a smoother map and cost one forward+backward each."),
                Setting("noise", "Noise level (fraction of the input range)", 0.15, minimum=0.0,
                        maximum=1.0, step=0.05, help="Smilkov et al. recommend 10–20 %.")]

    def expected_passes(self, spec: ModelSpec | None, settings: dict) -> int:
        return 2 * settings["samples"]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                samples: int, noise: float) -> torch.Tensor:
        stdev = noise * float(x.max() - x.min())
        batch = heap_batch(model, x, BATCH)
        speed_up(model, tuple(x.shape[1:]), in_place=False)  # BatchNorm folded: same gradients, 1.15-1.25x faster
        with torch.random.fork_rng():  # the same noise every time, without touching the global RNG
            torch.manual_seed(0)
            return NoiseTunnel(Saliency(model)).attribute(
                x, nt_type="smoothgrad", nt_samples=samples, nt_samples_batch_size=batch, stdevs=stdev,
                target=target, abs=False)[0]
