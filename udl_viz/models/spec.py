"""One spec for every network the product shows, in the spirit of torchvision's weights enums.

A ``ModelSpec`` carries what a page or the CLI needs to use a model without knowing its family:
name and title, ``kind`` (the architecture: ``cnn``, ``simple_rnn``, ``lstm``, ``gru``, ``mlp``,
``gan``, ``vae``), ``task`` (one of the constants below), the ``preprocess`` that turns raw input
into model input (``Preprocess`` for images, ``TextEncoder`` for text, ``SeriesScaler`` for a
series; ``None`` for a generator, whose input is noise), the names of its classes or outputs,
named layers, availability and a builder. Kind-specific facts go in ``meta``, as torchvision
puts them in ``Weights.meta``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from PIL import Image
from torch import nn

IMAGE_CLASSIFICATION = "image classification"
SENTIMENT = "sentiment classification"
FORECASTING = "forecasting"
GENERATION = "image generation"


class ModelUnavailable(RuntimeError):
    """The model's weights cannot be loaded here; the message says why in plain words."""


@dataclass(frozen=True)
class Layer:
    """A layer worth inspecting: its module path in the model and a short human label."""

    path: str
    label: str


@dataclass(frozen=True)
class Preprocess:
    """Resize the shorter side, centre-crop a square, scale to a tensor; and the inverse.

    ``scale`` maps a float tensor of raw pixel values in [0, 255] (C, H, W) to model input,
    ``unscale`` maps it back. ``elementwise`` says ``scale`` treats every pixel on its own (no
    statistics of the whole image), so it may run on a batch (N, C, H, W) at once.
    """

    resize: int
    crop: int
    scale: Callable[[torch.Tensor], torch.Tensor]
    unscale: Callable[[torch.Tensor], torch.Tensor]
    grayscale: bool = False
    resample: Image.Resampling = Image.Resampling.BILINEAR
    elementwise: bool = False

    def crop_box(self, size: tuple[int, int]) -> tuple[float, float, float, float]:
        """The square in original-image pixels ``(x0, y0, x1, y1)`` that the model sees."""
        w, h = size
        s = min(w, h) * self.crop / self.resize
        x0, y0 = (w - s) / 2, (h - s) / 2
        return (x0, y0, x0 + s, y0 + s)

    def view(self, image: Image.Image, box: tuple[float, float, float, float] | None = None) -> Image.Image:
        """The crop exactly as the model sees it, as a ``crop x crop`` PIL image.

        ``box`` (original-image pixels) replaces the centre square, e.g. for the patch index's crops.
        """
        image = image if image.mode == ("L" if self.grayscale else "RGB") else image.convert(
            "L" if self.grayscale else "RGB")
        return image.resize((self.crop, self.crop), self.resample, box=box or self.crop_box(image.size))

    def pixels(self, image: Image.Image) -> np.ndarray:
        """The pixels the model sees, as (crop, crop, 3) uint8 RGB (grayscale repeated): what pages show."""
        return np.array(self.view(image).convert("RGB"))

    def to_input(self, view: Image.Image) -> torch.Tensor:
        """A ``view`` (PIL, crop x crop) -> model input tensor (C, crop, crop)."""
        pixels = np.asarray(view, dtype=np.float32)
        if pixels.ndim == 2:
            pixels = pixels[..., None]
        return self.scale(torch.from_numpy(pixels).permute(2, 0, 1).contiguous())

    def __call__(self, image: Image.Image) -> torch.Tensor:
        """PIL image -> model input tensor (C, crop, crop)."""
        return self.to_input(self.view(image))

    def to_pixels(self, x: torch.Tensor) -> np.ndarray:
        """Model input tensor (C, H, W) -> uint8 image array (H, W, C)."""
        raw = self.unscale(x.detach().cpu().float()).clamp(0, 255).round()
        return raw.permute(1, 2, 0).to(torch.uint8).numpy()


def mean_std(mean: Sequence[float], std: Sequence[float]) -> tuple[Callable, Callable]:
    """``scale``/``unscale`` for the usual ``(x/255 - mean) / std`` normalisation."""
    m = torch.tensor(mean).view(-1, 1, 1)
    s = torch.tensor(std).view(-1, 1, 1)
    return (lambda x: (x / 255 - m) / s), (lambda x: (x * s + m) * 255)


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry: how to build the model, feed it and read it.

    ``first_conv`` and ``cam_layer`` name a CNN's first convolution and Grad-CAM's default layer
    (empty for other kinds); ``metrics`` returns what the training script measured, if anything.
    """

    name: str
    title: str
    description: str
    weights_source: str
    builder: Callable[[], nn.Module]
    preprocess: Any
    class_names: Callable[[], list[str]]
    layers: tuple[Layer, ...]
    first_conv: str = ""
    cam_layer: str = ""
    availability: Callable[[], str | None] = field(default=lambda: None)
    kind: str = "cnn"
    task: str = IMAGE_CLASSIFICATION
    metrics: Callable[[], dict] = field(default=lambda: {})
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def input_size(self) -> int | None:
        """An image model's input side in pixels (``None`` for other inputs)."""
        return self.preprocess.crop if isinstance(self.preprocess, Preprocess) else None

    @property
    def channels(self) -> int:
        return 1 if self.preprocess.grayscale else 3

    def unavailable_reason(self) -> str | None:
        """``None`` when the weights can be loaded here without a download, else why not."""
        return self.availability()

    def build(self) -> nn.Module:
        """The model in eval mode with its weights loaded."""
        return self.builder().eval()
