"""Accuracy against ε: how many photos keep their label as the attack budget grows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image
from torch import nn

from udl_viz.adversarial.attack import METHODS, perturb
from udl_viz.adversarial.pixels import crop_pixels, predict_pixels
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report

EPSILONS = (0, 1, 2, 4, 8, 16)


@dataclass(frozen=True)
class RobustnessCurve:
    """One attack's accuracy at each ε: the share of photos still given their own clean label."""

    method: str
    epsilons: tuple[int, ...]
    accuracy: np.ndarray  # (len(epsilons),)
    kept: np.ndarray  # (len(epsilons), photos) bool: photo still has its clean label
    photos: tuple[str, ...]

    @property
    def label(self) -> str:
        """The attack's name as shown to a student."""
        return METHODS[self.method]


def robustness_curves(model: nn.Module, spec: ModelSpec, images: Mapping[str, Image.Image],
                      epsilons: Sequence[int] = EPSILONS, steps: int = 10, methods: Sequence[str] = tuple(METHODS),
                      progress: Progress | None = None) -> list[RobustnessCurve]:
    """FGSM and PGD (untargeted) on all ``images`` at once, at each ε; labels are the clean predictions.

    Without ground truth for the photos, "accurate" means: the model still says what it said before.
    """
    names = tuple(images)
    pixels = np.stack([crop_pixels(spec, images[n]) for n in names])
    labels = predict_pixels(model, spec, pixels).argmax(dim=1).numpy()
    cost = {"fgsm": 1, "pgd": steps}
    total = sum(cost[m] for m in methods) * sum(1 for e in epsilons if e > 0)
    done = 0
    curves = []
    for method in methods:
        kept = []
        for eps in epsilons:
            adversarial = perturb(model, spec, pixels, labels.tolist(), method=method, eps=eps, steps=steps)
            kept.append(predict_pixels(model, spec, adversarial).argmax(dim=1).numpy() == labels)
            done += cost[method] if eps > 0 else 0
            report(progress, done, total)
        kept_array = np.array(kept)
        curves.append(RobustnessCurve(method, tuple(int(e) for e in epsilons), kept_array.mean(axis=1),
                                      kept_array, names))
    return curves
