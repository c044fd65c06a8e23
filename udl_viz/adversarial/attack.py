"""FGSM and PGD from ``captum.robust``, in pixel space, rounded to 8 bits and re-checked.

The attack runs on raw pixel values (0–255) through the model's own preprocessing, so ε is in
pixel levels. The result is rounded to whole levels, kept within ε of the original crop and
judged again: an attack counts as a success only if the 8-bit image still fools the model.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from captum.robust import FGSM, PGD
from PIL import Image
from torch import nn

from udl_viz.adversarial.pixels import PixelModel, crop_pixels, predict_pixels, to_pixels, to_tensor
from udl_viz.inference import Prediction, top_k
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report
from udl_viz.settings import Setting

METHODS = {"fgsm": "FGSM (one step)", "pgd": "PGD (iterated steps)"}
MAX_EPS = 64
SETTINGS = (
    Setting("method", "Attack", "pgd", choices=tuple(METHODS), labels=tuple(METHODS.values()),
            help="FGSM takes one step of size ε along the sign of the gradient; PGD takes many small "
                 "steps and stays within ε of the photo, so it finds stronger attacks."),
    Setting("eps", "ε (pixel levels of 255)", 2, minimum=0, maximum=MAX_EPS, step=1,
            help="No pixel of any colour channel moves by more than this many levels (of 0–255)."),
    Setting("steps", "PGD steps", 10, minimum=1, maximum=100, step=1,
            help="More steps find stronger attacks and take longer. FGSM always takes one."),
)


@dataclass(frozen=True)
class AttackResult:
    """One attack on one crop, judged on the rounded 8-bit adversarial image."""

    method: str
    eps: float
    steps: int  # gradient steps taken (1 for FGSM)
    target: int | None  # the class a targeted attack aims for; None when untargeted
    original: np.ndarray  # (H, W, C) uint8: the crop the model sees
    adversarial: np.ndarray  # (H, W, C) uint8, same size
    label: int  # the model's prediction for the original crop
    original_top: list[Prediction]
    adversarial_top: list[Prediction]
    adv_prob: float  # probability of the adversarial prediction
    seconds: float

    @property
    def adv_label(self) -> int:
        return self.adversarial_top[0].index

    @property
    def perturbation(self) -> np.ndarray:
        """Adversarial minus original, (H, W, C) int16, within ±ε."""
        return self.adversarial.astype(np.int16) - self.original.astype(np.int16)

    @property
    def linf(self) -> int:
        """The largest change of any pixel channel, in levels."""
        return int(np.abs(self.perturbation).max(initial=0))

    @property
    def success(self) -> bool:
        return fooled(self.adv_label, self.label, self.target)


def fooled(prediction: int, label: int, target: int | None) -> bool:
    """Untargeted: the prediction left ``label``; targeted: it reached ``target``."""
    return prediction == target if target is not None else prediction != label


def step_size(eps: float, steps: int) -> float:
    """PGD's step: 2.5 ε / steps, so the walk can reach the edge of the ε-box (Madry et al. 2018)."""
    return 2.5 * eps / steps


def perturb(model: nn.Module, spec: ModelSpec, pixels: np.ndarray, labels: Sequence[int], *, method: str = "pgd",
            eps: float = 2, targeted: bool = False, steps: int = 10,
            progress: Progress | None = None) -> np.ndarray:
    """Adversarial crops (N, H, W, C) uint8 for crops ``pixels`` of the same shape, each within ε levels.

    ``labels`` are the classes to move away from (untargeted) or towards (``targeted``).
    """
    if method not in METHODS:
        raise ValueError(f"unknown attack {method!r}; choose one of {', '.join(METHODS)}")
    if not (math.isfinite(eps) and 0 <= eps <= 255) or steps < 1:
        raise ValueError(f"ε must be from 0 to 255 and steps at least 1; got ε={eps}, steps={steps}")
    pixels = pixels[None] if pixels.ndim == 3 else pixels
    total = steps if method == "pgd" else 1
    levels = math.floor(eps)  # the original is whole levels, so a rounded change within ε is within floor(ε)
    if levels == 0:
        report(progress, total, total)
        return pixels.copy()
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        report(progress, min(done, total), total)

    x = to_tensor(pixels)
    forward = PixelModel(model, spec, on_forward=count)
    target = torch.as_tensor(list(labels), dtype=torch.long)

    def loss(logits: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        # Per-image cross-entropy on logits; captum's default, -log(output), assumes probabilities.
        return F.cross_entropy(logits, t, reduction="none")

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")
        if method == "fgsm":
            fgsm = FGSM(forward, loss, lower_bound=0, upper_bound=255)
            fgsm.zero_thresh = 0.0  # pixel-space gradients of a confident model are far below captum's 1e-6
            adv = fgsm.perturb(x, epsilon=levels, target=target, targeted=targeted)
        else:
            pgd = PGD(forward, loss, lower_bound=0, upper_bound=255)
            pgd.fgsm.zero_thresh = 0.0
            adv = pgd.perturb(x, radius=levels, step_size=step_size(levels, steps), step_num=steps,
                              target=target, targeted=targeted)
    delta = (adv.detach().round() - x).clamp(-levels, levels)
    return to_pixels((x + delta).clamp(0, 255))


def attack(model: nn.Module, spec: ModelSpec, image: Image.Image | np.ndarray, *, method: str = "pgd",
           eps: float = 2, target: int | None = None, steps: int = 10,
           progress: Progress | None = None) -> AttackResult:
    """Attack one image (a PIL image, or a crop as uint8 (H, W, C)); untargeted unless ``target`` is given."""
    names = spec.class_names()
    if target is not None and not 0 <= target < len(names):
        raise ValueError(f"target class {target} is out of range: {spec.title} has {len(names)} classes "
                         f"(0–{len(names) - 1})")
    start = time.perf_counter()
    original = crop_pixels(spec, image) if isinstance(image, Image.Image) else image
    clean = predict_pixels(model, spec, original)[0]
    label = int(clean.argmax())
    steps = steps if method == "pgd" else 1
    adversarial = perturb(model, spec, original, [label if target is None else target], method=method, eps=eps,
                          targeted=target is not None, steps=steps, progress=progress)[0]
    probs = predict_pixels(model, spec, adversarial)[0]
    top = top_k(probs, names, 5)
    return AttackResult(method, float(eps), steps, target, original, adversarial, label, top_k(clean, names, 5),
                        top, top[0].prob, time.perf_counter() - start)


def suggested_target(class_names: Sequence[str], label: int) -> int:
    """A target class that makes the lesson: a timber wolf for ImageNet (a husky if it already is one)."""
    if "timber wolf" in class_names:
        wolf = list(class_names).index("timber wolf")
        return wolf if label != wolf else list(class_names).index("Siberian husky")
    return (label + 1) % len(class_names)
