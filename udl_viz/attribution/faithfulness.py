"""Faithfulness of a saliency map: the deletion and insertion curves of Petsiuk et al. (2018).

Deletion removes the most salient pixels first (they become grey, the zero input) and tracks
the target probability: a faithful map makes it fall fast, so a *lower* area is better.
Insertion starts from a blurred image and puts the most salient pixels back first: a faithful
map makes the probability rise fast, so a *higher* area is better. All the images of a curve
are built at once and run through the model in batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from udl_viz.attribution import inputs
from udl_viz.hooks import private_view
from udl_viz.progress import Progress, report
from udl_viz.runtime import accelerate

#: Images per forward at most; fewer where the activations would not fit the allocator's heaps.
BATCH = 16


@dataclass(frozen=True)
class Curve:
    """Target probability after changing a growing fraction of the pixels, and its area."""

    fractions: np.ndarray  # (steps + 1,), 0 … 1
    probs: np.ndarray  # (steps + 1,)

    @property
    def auc(self) -> float:
        return float(np.sum((self.probs[1:] + self.probs[:-1]) / 2 * np.diff(self.fractions)))


@dataclass(frozen=True)
class Faithfulness:
    """Deletion and insertion curves of one map; ``forward_passes`` images went through the model."""

    deletion: Curve
    insertion: Curve
    forward_passes: int


def pixel_order(saliency: np.ndarray, seed: int = 0) -> np.ndarray:
    """Flat pixel indices, most salient first; ties are broken at random (fixed seed), not by position."""
    flat = np.asarray(saliency, dtype=np.float64).ravel()
    tie_break = np.random.default_rng(seed).random(flat.size)
    return np.lexsort((tie_break, -np.nan_to_num(flat, nan=-np.inf)))


def random_map(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """A map with random values: the baseline every real map should beat."""
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def _masks(order: np.ndarray, shape: tuple[int, int], steps: int) -> tuple[np.ndarray, torch.Tensor]:
    """(steps+1, 1, H, W) masks; mask k is 1 on the first ``k/steps`` of the ordered pixels."""
    n = order.size
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    counts = np.round(np.linspace(0, n, steps + 1)).astype(np.int64)
    masks = rank[None, :] < counts[:, None]
    return counts / n, torch.from_numpy(masks.reshape(steps + 1, 1, *shape)).float()


def target_probs(model: nn.Module, images: torch.Tensor, target: int, batch_size: int | None = None,
                 progress: Progress | None = None) -> np.ndarray:
    """Softmax probability of ``target`` for each image, in batches, without gradients (progress in images).

    ``batch_size`` defaults to ``BATCH`` or fewer (``udl_viz.batching.heap_batch``) in torch. Forward
    only, so a registry model runs in ONNX Runtime (``runtime.accelerate``) when it gives torch's outputs.
    """
    model = private_view(model)
    _engine, default_batch = accelerate(model, images, BATCH)
    batch_size = batch_size or default_batch
    out = []
    with torch.inference_mode():
        for start in range(0, len(images), batch_size):
            out.append(torch.softmax(model(images[start:start + batch_size]), dim=1)[:, target])
            report(progress, min(len(images), start + batch_size), len(images))
    return torch.cat(out).float().numpy()


def deletion_insertion(model: nn.Module, x: torch.Tensor, target: int, saliency: np.ndarray, *,
                       steps: int = 32, batch_size: int | None = None, seed: int = 0,
                       progress: Progress | None = None) -> Faithfulness:
    """Deletion and insertion curves of ``saliency`` (H, W; larger = more salient) for input ``x`` (1, C, H, W)."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1; got {steps}")
    h, w = x.shape[-2:]
    if saliency.shape != (h, w):
        raise ValueError(f"saliency map {saliency.shape} does not match the input size {(h, w)}")
    fractions, masks = _masks(pixel_order(saliency, seed), (h, w), steps)
    x = x.detach()
    deleted = x * (1 - masks) + inputs.grey(x) * masks
    inserted = inputs.blurred(x) * (1 - masks) + x * masks
    probs = target_probs(model, torch.cat([deleted, inserted]), target, batch_size, progress)
    k = steps + 1
    return Faithfulness(Curve(fractions, probs[:k]), Curve(fractions, probs[k:]), 2 * k)
