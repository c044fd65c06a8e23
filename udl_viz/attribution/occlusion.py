"""Occlusion (Zeiler & Fergus 2014): slide a grey patch over the image and watch the score drop."""

from __future__ import annotations

import torch
from captum.attr import Occlusion as CaptumOcclusion
from torch import nn

from udl_viz.attribution import inputs
from udl_viz.attribution.base import Attribution, Setting
from udl_viz.models.spec import ModelSpec
from udl_viz.runtime import accelerate

#: Patches per forward at most in torch; fewer where the activations would not fit the allocator's heaps.
BATCH = 16


class Occlusion(Attribution):
    name = "occlusion"
    label = "Occlusion"
    description = "Cover one patch at a time with grey: where covering hurts the score, the evidence was."
    signed = True
    evidence = True

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        size = spec.input_size if spec is not None else 224
        window = max(2, size // 7)
        return [Setting("window", "Patch size (pixels)", window, minimum=1, maximum=size, step=1),
                Setting("stride", "Stride (pixels)", max(1, window // 2), minimum=1, maximum=size, step=1,
                        help="Smaller strides give finer maps and cost more forward passes.")]

    def expected_passes(self, spec: ModelSpec | None, settings: dict) -> int:
        size = spec.input_size if spec is not None else 224
        side = max(0, size - settings["window"]) // settings["stride"] + 1
        return side * side + 1

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                window: int, stride: int) -> tuple[torch.Tensor, dict]:
        c, h, w = x.shape[-3:]
        if window > min(h, w):
            raise ValueError(f"The patch ({window} px) is larger than the image ({h}×{w}).")
        if stride > window:
            raise ValueError(f"The stride ({stride} px) is larger than the patch ({window} px): "
                             "some pixels would never be covered. Use a stride up to the patch size.")
        # Forward only: it may run in ONNX Runtime (``runtime.accelerate``), 2.5x torch here (bench_engines.py).
        engine, batch = accelerate(model, x, BATCH)
        with torch.inference_mode():
            attr = CaptumOcclusion(model).attribute(
                x, sliding_window_shapes=(c, window, window), strides=(c, stride, stride),
                baselines=inputs.grey(x), target=target, perturbations_per_eval=batch)
        # Every channel of a patch gets the same score drop: average them instead of summing.
        return attr[0].mean(0), {"patches": ((h - window) // stride + 1) * ((w - window) // stride + 1),
                                 "engine": engine}
