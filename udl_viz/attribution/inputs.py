"""Reference inputs in the model's input space: black, grey (zeros), blurred and noise images."""

from __future__ import annotations

import math

import torch

from udl_viz.models.spec import ModelSpec


def black(x: torch.Tensor, spec: ModelSpec | None) -> torch.Tensor:
    """All-black pixels as model input, shaped like ``x`` (zeros when no spec says otherwise)."""
    if spec is None:
        return torch.zeros_like(x)
    c, h, w = x.shape[-3:]
    return spec.preprocess.scale(torch.zeros(c, h, w)).to(x.dtype).expand_as(x).clone()


def blurred(x: torch.Tensor, sigma: float | None = None) -> torch.Tensor:
    """``x`` under a Gaussian blur; by default sigma = size/45 (5 px at 224, as Petsiuk et al.)."""
    size = min(x.shape[-2:])
    sigma = sigma if sigma is not None else max(1.0, size / 45)
    kernel = min(2 * math.ceil(2 * sigma) + 1, size if size % 2 else size - 1)
    if kernel < 3:
        return x.clone()
    # Imported here: torchvision takes over a second to import, which only a blurred input should cost.
    from torchvision.transforms.functional import gaussian_blur

    return gaussian_blur(x, [kernel, kernel], [sigma, sigma])


def noise(x: torch.Tensor, spec: ModelSpec | None, seed: int = 0) -> torch.Tensor:
    """Uniform random pixels (a fixed seed) as model input, shaped like ``x``."""
    generator = torch.Generator().manual_seed(seed)
    c, h, w = x.shape[-3:]
    if spec is None:
        return (torch.randn(x.shape, generator=generator) * x.std() + x.mean()).to(x.dtype)
    pixels = torch.rand(c, h, w, generator=generator) * 255
    return spec.preprocess.scale(pixels).to(x.dtype).expand_as(x).clone()


def grey(x: torch.Tensor) -> torch.Tensor:
    """Zeros in input space: the dataset-mean grey of a normalised model, the background of digits."""
    return torch.zeros_like(x)
