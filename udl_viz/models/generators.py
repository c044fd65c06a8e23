"""``gan`` and ``vae``: the generators of 8×8 digits (task ``GENERATION``), from ``udl_viz.gan``.

Their names are what ``python -m udl_viz generate --model NAME`` takes.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from udl_viz.models.spec import GENERATION, Layer, ModelSpec


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


def _metrics(loader: str) -> Callable[[], dict]:
    def metrics() -> dict:
        from udl_viz.gan import checkpoints

        return dict(getattr(checkpoints, loader)().metrics)
    return metrics


GAN = ModelSpec(
    name="gan", title="Digits GAN (DCGAN-style, 8×8)",
    description="A transposed-convolution generator trained against a convolutional discriminator.",
    weights_source="assets/gan/digits_gan.pt, trained by scripts/train_gan.py",
    builder=_gan, preprocess=None, class_names=lambda: ["8×8 digit"],
    layers=(Layer("project", "Dense: noise to 2×2 feature maps"), Layer("up", "Transposed convolutions up to 8×8")),
    availability=_missing("GAN_CHECKPOINT", "scripts/train_gan.py"), kind="gan", task=GENERATION,
    metrics=_metrics("load_gan"),
)
VAE = ModelSpec(
    name="vae", title="Digits VAE (2-D latent space, 8×8)",
    description="A variational autoencoder whose decoder turns a 2-D latent point into a digit.",
    weights_source="assets/gan/digits_vae.pt, trained by scripts/train_vae.py",
    builder=_vae, preprocess=None, class_names=lambda: ["8×8 digit"],
    layers=(Layer("encoder", "Encoder: digit to a Gaussian in 2-D"), Layer("decoder", "Decoder: 2-D point to digit")),
    availability=_missing("VAE_CHECKPOINT", "scripts/train_vae.py"), kind="vae", task=GENERATION,
    metrics=_metrics("load_vae"),
)
