"""Does the label survive? Predictions and Grad-CAM for every variant of an image, and sweeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch
from PIL import Image
from torch import nn

from udl_viz.augment.transforms import SWEEPS, Variant
from udl_viz.inference import batched, probabilities
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report


@dataclass(frozen=True)
class VariantResult:
    """What the model makes of one variant, compared with the original image."""

    name: str
    detail: str
    pixels: np.ndarray  # (H, W, 3) uint8: the crop the model sees
    index: int  # the variant's predicted class
    label: str
    prob: float
    original_index: int  # the original image's predicted class
    original_prob: float  # this variant's probability of that class
    original_rank: int  # that class's rank among this variant's predictions (1 = top)
    cam: np.ndarray | None = None  # (H, W) Grad-CAM of ``cam_target``, aligned with ``pixels``
    cam_target: int | None = None

    @property
    def stable(self) -> bool:
        """Whether the variant keeps the original's predicted label."""
        return self.index == self.original_index


def class_probabilities(model: nn.Module, spec: ModelSpec, images: Sequence[Image.Image],
                        batch: int = 16) -> torch.Tensor:
    """Softmax probabilities ``(N, classes)`` for PIL images, in batches."""
    chunks = [probabilities(model, torch.stack([spec.preprocess(im) for im in chunk]))
              for chunk in batched(images, batch)]
    return torch.cat(chunks)


def predict_variants(model: nn.Module, spec: ModelSpec, variants: Sequence[Variant]) -> list[VariantResult]:
    """Prediction and label stability of each variant, compared with the first one (the original)."""
    if not variants:
        raise ValueError("no variants to analyse")
    probs = class_probabilities(model, spec, [v.image for v in variants])
    names = spec.class_names()
    original = int(probs[0].argmax())
    results = []
    for v, p in zip(variants, probs, strict=True):
        index = int(p.argmax())
        rank = int((p > p[original]).sum()) + 1
        results.append(VariantResult(v.name, v.detail, spec.preprocess.pixels(v.image), index, names[index],
                                     float(p[index]), original, float(p[original]), rank))
    return results


def gradcam_map(model: nn.Module, spec: ModelSpec, image: Image.Image, target: int) -> np.ndarray:
    """Grad-CAM of class ``target`` for ``image`` at the spec's CAM layer, (H, W) aligned with its crop.

    Comes from the attribution registry, which works on a private view of the (shared) model.
    """
    from udl_viz.attribution import get_method

    return get_method("gradcam").attribute(model, spec.preprocess(image).unsqueeze(0), target, spec=spec).map


def analyse_variants(model: nn.Module, spec: ModelSpec, variants: Sequence[Variant], *,
                     explain_original: bool = False, progress: Progress | None = None) -> list[VariantResult]:
    """Predictions, label stability and Grad-CAM for each variant; the first is the original.

    Grad-CAM explains each variant's own prediction, or with ``explain_original`` the original's,
    which shows whether the model still looks at the same object.
    """
    results = predict_variants(model, spec, variants)
    out = []
    for i, (v, r) in enumerate(zip(variants, results, strict=True)):
        target = r.original_index if explain_original else r.index
        out.append(replace(r, cam=gradcam_map(model, spec, v.image, target), cam_target=target))
        report(progress, i + 1, len(variants))
    return out


@dataclass(frozen=True)
class SweepResult:
    """One transformation at many strengths: the original class's probability and the top label."""

    name: str
    axis: str
    values: tuple[float, ...]
    original_label: str
    original_prob: np.ndarray  # probability of the original's predicted class at each strength
    top_labels: list[str]
    top_probs: np.ndarray
    stable: np.ndarray  # bool: top label equals the original's


def sweep(model: nn.Module, spec: ModelSpec, image: Image.Image, name: str,
          values: Sequence[float] | None = None) -> SweepResult:
    """Apply the sweep ``name`` (see ``transforms.SWEEPS``) at each strength and predict."""
    try:
        family = SWEEPS[name]
    except KeyError:
        raise ValueError(f"unknown transformation {name!r}; choose one of {', '.join(SWEEPS)}") from None
    values = tuple(float(v) for v in (family.values if values is None else values))
    image = image.convert("RGB")
    names = spec.class_names()
    original = int(class_probabilities(model, spec, [image])[0].argmax())
    probs = class_probabilities(model, spec, [family.apply(image, v) for v in values])
    top = probs.argmax(dim=1)
    return SweepResult(name, family.axis, values, names[original], probs[:, original].numpy(),
                       [names[int(i)] for i in top], probs.max(dim=1).values.numpy(),
                       (top == original).numpy())
