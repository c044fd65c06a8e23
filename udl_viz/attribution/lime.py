"""LIME (Ribeiro et al. 2016) as an attribution method: each pixel gets its superpixel's weight."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
from torch import nn

from udl_viz.attribution.base import Attribution, Setting
from udl_viz.folding import speed_up
from udl_viz.lime_image import (
    ALGORITHM,
    HIDE,
    SAMPLES,
    SEED,
    BatchClassifier,
    LimeInputError,
    Segmentation,
    StopRule,
    explain,
    segment,
)
from udl_viz.models.spec import ModelSpec


class Lime(Attribution):
    name = "lime"
    label = "LIME"
    description = "Switch superpixels on and off at random and fit a linear model: its weights are the map."
    signed = True
    evidence = True

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        return [replace(SAMPLES, label="Samples (at most)"),
                replace(ALGORITHM, help="with each algorithm's default parameters"),
                replace(HIDE, label="Hide colour", widget=""),
                Setting("early_stop", "Stop once converged", "on", choices=("on", "off")),
                SEED]

    def expected_passes(self, spec: ModelSpec | None, settings: dict) -> int:
        return settings["samples"]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None, samples: int,
                segmentation: str, hide: str, early_stop: str, seed: int) -> tuple[np.ndarray, dict]:
        if spec is not None:
            pixels = spec.preprocess.to_pixels(x[0])
            scale, elementwise = spec.preprocess.scale, spec.preprocess.elementwise
        else:  # no spec: stretch the input's range to 0..255 and back
            lo, hi = float(x.min()), float(x.max())
            pixels = ((x[0] - lo) / max(hi - lo, 1e-12) * 255).round().byte().permute(1, 2, 0).numpy()
            elementwise = True

            def scale(p: torch.Tensor) -> torch.Tensor:
                return lo + p / 255 * (hi - lo)
        if pixels.shape[2] == 1:
            pixels = np.repeat(pixels, 3, axis=2)
        try:
            segments = segment(pixels, Segmentation(segmentation))
            # The counted private view, sped up as the LIME page's model is (its own modules only).
            classifier = BatchClassifier(speed_up(model, tuple(x.shape[1:])), scale, channels=x.shape[1],
                                         elementwise=elementwise)
            result = explain(classifier, pixels, segments, target, num_samples=samples, hide=hide, seed=seed,
                             stop=StopRule() if early_stop == "on" else None)
        except LimeInputError as exc:
            raise ValueError(str(exc)) from exc
        extras = {"samples": result.samples, "superpixels": result.n_superpixels, "r2": round(result.score, 4)}
        if result.estimated_fidelity is not None:
            extras["estimated_fidelity"] = round(result.estimated_fidelity, 4)
        return result.pixel_weights(), extras
