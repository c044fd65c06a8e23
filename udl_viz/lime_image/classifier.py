"""lime's ``classifier_fn`` made fast: big batches, channels-last, inference mode, bfloat16 where native."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Literal

import numpy as np
import torch
from torch import nn

from udl_viz.folding import speed_up
from udl_viz.models.spec import ModelSpec

Precision = Literal["auto", "float32", "bfloat16"]


def bf16_supported() -> bool:
    """Whether this CPU runs bfloat16 convolutions in oneDNN at full speed (AVX-512 or AMX)."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def fast_copy(model: nn.Module, input_shape: tuple[int, int, int]) -> nn.Module:
    """A private inference copy of ``model``: BatchNorm folded, activations in place, channels-last.

    ``input_shape`` (C, H, W) is one valid input. Changing the shared model in place would
    change it for every session, hence the copy.
    """
    return speed_up(copy.deepcopy(model).eval(), input_shape).to(memory_format=torch.channels_last)


class BatchClassifier:
    """Softmax probabilities for a batch of images, with lime's ``classifier_fn`` contract.

    Call it on uint8 images (N, H, W, 3); returns float64 probabilities (N, classes).
    ``scale`` maps one image's raw pixels, a float (C, H, W) tensor in [0, 255], to model input
    (``Preprocess.scale``); ``channels`` is 1 for grayscale models. Pass a model from
    ``fast_copy`` for speed.
    """

    def __init__(self, model: nn.Module, scale: Callable[[torch.Tensor], torch.Tensor], channels: int = 3,
                 precision: Precision = "auto", elementwise: bool = False) -> None:
        if channels not in (1, 3):
            raise ValueError(f"LIME explains RGB or grayscale images, not {channels}-channel input.")
        if precision == "auto":
            precision = "bfloat16" if bf16_supported() else "float32"
        self.model = model
        self.scale = scale
        self.channels = channels
        self.precision: str = precision
        self.elementwise = elementwise

    @classmethod
    def for_spec(cls, model: nn.Module, spec: ModelSpec, precision: Precision = "auto") -> BatchClassifier:
        """The classifier for a registry model, on images as ``spec.preprocess.view`` gives them."""
        return cls(model, spec.preprocess.scale, spec.channels, precision, spec.preprocess.elementwise)

    def __call__(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images)
        if images.ndim == 3:
            images = images[None]
        # (N, H, W, C) memory viewed as (N, C, H, W) is already channels-last: no copy for the model.
        pixels = torch.from_numpy(np.ascontiguousarray(images[..., : self.channels])).permute(0, 3, 1, 2).float()
        # A scaling that is not elementwise looks at each whole image: apply it image by image.
        x = self.scale(pixels) if self.elementwise else torch.stack([self.scale(p) for p in pixels])
        x = x.contiguous(memory_format=torch.channels_last)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                    enabled=self.precision == "bfloat16"):
            logits = self.model(x)
        return torch.softmax(logits.float(), dim=1).double().numpy()
