"""The shipped digit generators: where their checkpoints live, loading them, and sampling digits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import torch

from udl_viz.datasets.digits import PIXEL_MAX
from udl_viz.gan.models import VAE, Discriminator, Generator

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "gan"
GAN_CHECKPOINT = ASSETS / "digits_gan.pt"
VAE_CHECKPOINT = ASSETS / "digits_vae.pt"
GENERATORS = ("gan", "vae")


@dataclass(frozen=True)
class GanCheckpoint:
    """A trained GAN: generator, discriminator, per-epoch history and the metrics measured at the end."""

    generator: Generator
    discriminator: Discriminator
    losses: list[tuple[float, float]]
    verdicts: list[tuple[float, float]]
    grids: np.ndarray  # epochs×K×8×8 uint8 (0–16): the same K noise vectors' digits after each epoch
    metrics: dict[str, float]


@dataclass(frozen=True)
class VaeCheckpoint:
    """A trained VAE, its loss per epoch and the metrics measured at the end."""

    model: VAE
    losses: list[float]
    metrics: dict[str, float]


def to_pixels(images: torch.Tensor) -> np.ndarray:
    """Model output on [0, 1] (N×1×8×8) → N×8×8 float32 on the digits' 0–16 scale, in whole levels like the data.

    scikit-learn's digits are whole numbers 0–16; rounding the generator's output onto that grid keeps a
    two-sample test from telling fakes by a value like 0.3 that no real digit has.
    """
    return np.round(images.detach().reshape(-1, 8, 8).clamp(0, 1).numpy() * PIXEL_MAX).astype(np.float32)


@cache
def load_gan(path: Path = GAN_CHECKPOINT) -> GanCheckpoint:
    """The GAN trained by ``scripts/train_gan.py`` (eval mode, no gradients)."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    generator, discriminator = Generator(saved["latent"]), Discriminator()
    generator.load_state_dict(saved["generator"])
    discriminator.load_state_dict(saved["discriminator"])
    return GanCheckpoint(generator.eval().requires_grad_(False), discriminator.eval().requires_grad_(False),
                         [tuple(x) for x in saved["losses"]], [tuple(x) for x in saved["verdicts"]],
                         saved["grids"].numpy(), dict(saved["metrics"]))


@cache
def load_vae(path: Path = VAE_CHECKPOINT) -> VaeCheckpoint:
    """The VAE trained by ``scripts/train_vae.py`` (eval mode, no gradients)."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = VAE()
    model.load_state_dict(saved["model"])
    return VaeCheckpoint(model.eval().requires_grad_(False), list(saved["losses"]), dict(saved["metrics"]))


def sample_gan(generator: Generator, n: int, seed: int) -> np.ndarray:
    """``n`` digits (N×8×8, 0–16) from noise drawn with ``seed``."""
    z = torch.randn(n, generator.latent, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return to_pixels(generator.eval()(z))


def sample_vae(model: VAE, n: int, seed: int) -> np.ndarray:
    """``n`` digits decoded from z ~ N(0, I) drawn with ``seed``."""
    z = torch.randn(n, model.latent, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return to_pixels(model.decode(z))


def generate(model: str, n: int, seed: int) -> np.ndarray:
    """``n`` digits from the shipped ``gan`` or ``vae``, as N×8×8 float32 on the 0–16 scale."""
    if model == "gan":
        return sample_gan(load_gan().generator, n, seed)
    if model == "vae":
        return sample_vae(load_vae().model, n, seed)
    raise ValueError(f"unknown generator {model!r}; choose one of {', '.join(GENERATORS)}")
