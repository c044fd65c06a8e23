"""What the page asks of a trained generator: verdicts, nearest training digits, latent walks, the VAE's map."""

from __future__ import annotations

import numpy as np
import torch

from udl_viz.datasets.digits import PIXEL_MAX
from udl_viz.gan.checkpoints import to_pixels
from udl_viz.gan.models import VAE, Discriminator, Generator
from udl_viz.settings import Setting

#: Which noise vectors (and which held-out real digits) the page draws.
SAMPLE_SEED = Setting("seed", "Sample seed", 0, minimum=0, maximum=10_000, step=1, widget="number",
                      help="Which noise vectors and which real digits are drawn.")
#: ``latent_walk``'s knobs: the two noise vectors and the digits drawn on the way.
WALK = (Setting("seed_a", "From noise #", 1, minimum=0, maximum=10_000, step=1, widget="number"),
        Setting("seed_b", "to noise #", 2, minimum=0, maximum=10_000, step=1, widget="number"),
        Setting("steps", "Steps", 8, minimum=3, maximum=12, step=1))


def verdicts(discriminator: Discriminator, images: np.ndarray) -> np.ndarray:
    """The discriminator's P(real) for each digit (N×8×8, 0–16 scale), judged one batch together."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32) / PIXEL_MAX).reshape(-1, 1, 8, 8)
    with torch.no_grad():
        return torch.sigmoid(discriminator.eval()(x)).numpy()


def noise(n: int, latent: int, seed: int) -> torch.Tensor:
    """``n`` latent vectors z ~ N(0, I) drawn with ``seed``."""
    return torch.randn(n, latent, generator=torch.Generator().manual_seed(seed))


def latent_walk(generator: Generator, seed_a: int, seed_b: int, steps: int = 10) -> np.ndarray:
    """Digits along the straight line from one noise vector (drawn with ``seed_a``) to another (``seed_b``)."""
    a, b = noise(1, generator.latent, seed_a), noise(1, generator.latent, seed_b)
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    with torch.no_grad():
        return to_pixels(generator.eval()((1 - t) * a + t * b))


def latent_means(model: VAE, images: np.ndarray) -> np.ndarray:
    """Where the encoder puts each digit: the mean of q(z | x), N×2."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32) / PIXEL_MAX).reshape(-1, 1, 8, 8)
    with torch.no_grad():
        return model.encode(x)[0].numpy()


def decoded_grid(model: VAE, k: int = 15, span: float = 2.5) -> tuple[np.ndarray, np.ndarray]:
    """Decoded digits on a k×k grid of latent points over [−span, span]² (rows: z₂, columns: z₁), and the axis."""
    axis = np.linspace(-span, span, k, dtype=np.float32)
    z2, z1 = np.meshgrid(axis, axis, indexing="ij")
    with torch.no_grad():
        images = to_pixels(model.decode(torch.from_numpy(np.c_[z1.ravel(), z2.ravel()])))
    return images.reshape(k, k, 8, 8), axis
