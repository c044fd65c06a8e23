"""Transfer: does an adversarial crop made on one model also fool another it never saw?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from udl_viz.adversarial.attack import AttackResult, fooled
from udl_viz.adversarial.pixels import predict_pixels, to_image
from udl_viz.inference import Prediction, top_k
from udl_viz.models.spec import ModelSpec


@dataclass(frozen=True)
class TransferResult:
    """The other model's top-5 for the clean and the adversarial crop, and whether it was fooled too."""

    model_title: str
    clean_top: list[Prediction]
    adversarial_top: list[Prediction]
    target: int | None
    fooled: bool

    @property
    def label_prob_after(self) -> float:
        """The other model's probability of its own clean label on the adversarial crop (0 if out of its top-5)."""
        label = self.clean_top[0].index
        return next((p.prob for p in self.adversarial_top if p.index == label), 0.0)


def fit_crop(pixels: np.ndarray, spec: ModelSpec) -> np.ndarray:
    """A crop resized to ``spec``'s input size with its resampling, in its colour mode, as uint8 (H, W, C)."""
    image = to_image(pixels).convert("L" if spec.preprocess.grayscale else "RGB")
    if image.size != (spec.input_size, spec.input_size):
        image = image.resize((spec.input_size, spec.input_size), spec.preprocess.resample)
    out = np.asarray(image, dtype=np.uint8)
    return out[..., None] if out.ndim == 2 else out


def transfer(result: AttackResult, model: nn.Module, spec: ModelSpec, source_classes: list[str]) -> TransferResult:
    """Show the clean and adversarial crops of ``result`` to another model (same class list).

    Both crops are resized the same way, so the only difference the other model sees is the
    perturbation. Untargeted, it is fooled when its label changes; targeted, when it reaches the target.
    """
    names = spec.class_names()
    if names != source_classes:
        raise ValueError(f"{spec.title} predicts other classes than the attacked model; transfer needs the same ones.")
    probs = predict_pixels(model, spec, np.stack([fit_crop(result.original, spec),
                                                  fit_crop(result.adversarial, spec)]))
    clean, adversarial = top_k(probs[0], names, 5), top_k(probs[1], names, 5)
    return TransferResult(spec.title, clean, adversarial, result.target,
                          fooled(adversarial[0].index, clean[0].index, result.target))
