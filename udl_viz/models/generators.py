"""``digits_gan`` and ``digits_vae``: generators of 8×8 digits (kind ``generator``), from ``udl_viz.gan``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from torch import nn


@dataclass(frozen=True)
class GeneratorSpec:
    """A registry entry for a model that makes data rather than classifying it."""

    name: str  # as the CLI's ``generate --model`` knows it
    title: str
    description: str
    weights_source: str
    builder: Callable[[], nn.Module]
    availability: Callable[[], str | None] = field(default=lambda: None)
    kind: str = "generator"

    def unavailable_reason(self) -> str | None:
        """``None`` when the checkpoint is here, else why not."""
        return self.availability()

    def build(self) -> nn.Module:
        return self.builder().eval()


def _missing(which: str, script: str) -> Callable[[], str | None]:
    def reason() -> str | None:
        from udl_viz.gan import checkpoints

        path = getattr(checkpoints, which)
        return None if path.exists() else f"checkpoint {path.name} missing; run {script} --seed 0"
    return reason


def _gan() -> nn.Module:
    from udl_viz.gan.checkpoints import load_gan

    return load_gan().generator


def _vae() -> nn.Module:
    from udl_viz.gan.checkpoints import load_vae

    return load_vae().model


GAN = GeneratorSpec("gan", "Digits GAN (DCGAN-style, 8×8)",
                    "A transposed-convolution generator trained against a convolutional discriminator.",
                    "assets/gan/digits_gan.pt, trained by scripts/train_gan.py", _gan,
                    _missing("GAN_CHECKPOINT", "scripts/train_gan.py"))
VAE = GeneratorSpec("vae", "Digits VAE (2-D latent space, 8×8)",
                    "A variational autoencoder whose decoder turns a 2-D latent point into a digit.",
                    "assets/gan/digits_vae.pt, trained by scripts/train_vae.py", _vae,
                    _missing("VAE_CHECKPOINT", "scripts/train_vae.py"))
