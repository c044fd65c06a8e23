"""The model registry: every CNN the app can open. Adding one is a module plus one line here."""

from __future__ import annotations

from udl_viz.models import digits, efficientnet_lite, generators, torchvision_zoo
from udl_viz.models.spec import ModelSpec

REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        efficientnet_lite.SPEC,
        digits.SPEC,
        torchvision_zoo.RESNET18,
        torchvision_zoo.VGG16,
        torchvision_zoo.ALEXNET,
        torchvision_zoo.MOBILENET_V3_LARGE,
    )
}
DEFAULT_MODEL = efficientnet_lite.SPEC.name
#: Models that make data (kind "generator"): ``generate --model NAME``.
GENERATORS: dict[str, generators.GeneratorSpec] = {spec.name: spec for spec in (generators.GAN, generators.VAE)}


class ModelUnavailable(RuntimeError):
    """The model's weights cannot be loaded here; the message says why in plain words."""


def get_spec(name: str) -> ModelSpec:
    """The registry entry called ``name``; ``KeyError`` lists the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; choose one of {', '.join(REGISTRY)}") from None


def load_model(name: str):
    """Build the named model in eval mode, or raise ``ModelUnavailable`` with the plain reason."""
    spec = get_spec(name)
    try:
        return spec.build()
    except Exception as exc:  # download failures, missing files, corrupt weights
        reason = spec.unavailable_reason() or str(exc)
        raise ModelUnavailable(f"{spec.title} cannot be loaded: {reason} ({type(exc).__name__}: {exc})") from exc
