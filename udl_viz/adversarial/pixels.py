"""The model seen from pixel space: 8-bit crops in, logits out, through the model's own preprocessing.

Attacks run here so that ε is measured in pixel levels (0–255) and the result can be saved as an
ordinary 8-bit image: what a student downloads is exactly what fooled the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from udl_viz.models.spec import ModelSpec


class PixelModel(nn.Module):
    """``model(spec.preprocess.scale(x))`` for a batch ``x`` (N, C, H, W) of raw pixel values in [0, 255].

    ``on_forward`` (optional) is called after each forward pass, e.g. to count attack steps.
    """

    def __init__(self, model: nn.Module, spec: ModelSpec, on_forward=None) -> None:
        super().__init__()
        self.model, self.spec, self.on_forward = model, spec, on_forward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.spec.preprocess.scale
        inputs = scale(x) if self.spec.preprocess.elementwise else torch.stack([scale(xi) for xi in x])
        logits = self.model(inputs)
        if self.on_forward is not None:
            self.on_forward()
        return logits


def crop_pixels(spec: ModelSpec, image: Image.Image) -> np.ndarray:
    """The crop the model sees, as uint8 (H, W, C): C = 3, or 1 for grayscale models."""
    pixels = np.asarray(spec.preprocess.view(image), dtype=np.uint8)
    return pixels[..., None] if pixels.ndim == 2 else pixels


def to_tensor(pixels: np.ndarray) -> torch.Tensor:
    """uint8 (H, W, C) or (N, H, W, C) -> float (N, C, H, W) with values 0..255."""
    x = torch.from_numpy(np.array(pixels, dtype=np.float32))
    x = x.unsqueeze(0) if x.ndim == 3 else x
    return x.permute(0, 3, 1, 2).contiguous()


def to_pixels(x: torch.Tensor) -> np.ndarray:
    """float (N, C, H, W) of whole pixel values -> uint8 (N, H, W, C)."""
    return x.detach().round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy()


def to_image(pixels: np.ndarray) -> Image.Image:
    """uint8 (H, W, C) -> PIL image (RGB, or L for one channel)."""
    return Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels)


def save_crop(pixels: np.ndarray, path: str | Path) -> None:
    """Save a crop losslessly as PNG."""
    to_image(pixels).save(path, format="PNG")


def load_crop(path: str | Path, channels: int = 3) -> np.ndarray:
    """A saved crop back as uint8 (H, W, C), exactly the saved values (no resize, no crop)."""
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("L" if channels == 1 else "RGB"), dtype=np.uint8)
    return pixels[..., None] if pixels.ndim == 2 else pixels


def predict_pixels(model: nn.Module, spec: ModelSpec, pixels: np.ndarray) -> torch.Tensor:
    """Softmax probabilities (N, classes) for crops given as uint8 (H, W, C) or (N, H, W, C)."""
    with torch.inference_mode():
        return torch.softmax(PixelModel(model, spec)(to_tensor(pixels)), dim=1)
