"""The smallest ε that flips the prediction, found by captum's ``MinParamPerturbation``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from captum.robust import MinParamPerturbation
from PIL import Image
from torch import nn

from udl_viz.adversarial.attack import MAX_EPS, perturb
from udl_viz.adversarial.pixels import PixelModel, crop_pixels, predict_pixels, to_pixels, to_tensor
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report


@dataclass(frozen=True)
class FlipResult:
    """The first whole ε (pixel levels) at which the attack succeeds, or ``None`` up to ``max_eps``."""

    method: str
    target: int | None
    max_eps: int
    eps: int | None
    label: int  # the original prediction
    adv_label: int | None  # the prediction at ``eps``


def flip_epsilon(model: nn.Module, spec: ModelSpec, image: Image.Image | np.ndarray, *, method: str = "pgd",
                 target: int | None = None, steps: int = 10, max_eps: int = MAX_EPS,
                 progress: Progress | None = None) -> FlipResult:
    """Binary search over ε = 1..``max_eps`` for the smallest that fools the model (judged on 8-bit images).

    Untargeted: the prediction leaves the original's; targeted: it becomes ``target``. Assumes, as
    ``MinParamPerturbation``'s binary mode does, that a larger ε never makes the attack weaker.
    """
    original = crop_pixels(spec, image) if isinstance(image, Image.Image) else image
    label = int(predict_pixels(model, spec, original)[0].argmax())
    goal, targeted = (label, False) if target is None else (target, True)
    total = math.ceil(math.log2(max_eps)) + 1
    tries = 0

    def attack(x: torch.Tensor, eps: int) -> torch.Tensor:
        nonlocal tries
        adversarial = perturb(model, spec, to_pixels(x), [goal], method=method, eps=eps,
                              targeted=targeted, steps=steps)
        tries += 1
        report(progress, min(tries, total), total)
        return to_tensor(adversarial)

    def correct(logits: torch.Tensor, target: int) -> bool:  # "correct" means: not fooled yet
        hit = bool((logits.argmax(dim=1) == target).all())
        return not hit if targeted else hit

    search = MinParamPerturbation(PixelModel(model, spec), attack, "eps", arg_min=1, arg_max=max_eps + 1,
                                  arg_step=1, mode="binary", correct_fn=correct)
    with torch.no_grad():  # the attack turns gradients back on for itself
        adversarial, eps = search.evaluate(to_tensor(original), target=goal)
    report(progress, total, total)
    if eps is None:
        return FlipResult(method, target, max_eps, None, label, None)
    adv_label = int(predict_pixels(model, spec, to_pixels(adversarial)[0])[0].argmax())
    return FlipResult(method, target, max_eps, int(eps), label, adv_label)
