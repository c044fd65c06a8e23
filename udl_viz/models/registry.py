"""The model registry: every network the product shows, one lookup for all of them.

CNNs, the sentiment RNNs, the sunspot forecasters and the generators are all ``ModelSpec``
entries; ``kind`` and ``task`` tell them apart (``select(task=IMAGE_CLASSIFICATION)`` gives the
CNN pages' models). A fine-tuned head is a ``ModelSpec`` too, made at run time for one session
(``udl_viz.finetune.finetuned_spec``). Listing reads no weights: building happens in ``load_model``.

Adding a model of any kind is one module plus one line here. A module ``udl_viz/models/toy.py``::

    from udl_viz.models.spec import GENERATION, Layer, ModelSpec

    SPEC = ModelSpec(
        name="toy_gan", title="Toy GAN (8×8 digits)", description="One line a student can read.",
        weights_source="assets/toy_gan.pt, trained by scripts/train_toy_gan.py",
        builder=load_toy_generator,          # () -> nn.Module with its weights, in eval mode
        preprocess=None,                     # raw input -> model input (None: the input is noise)
        class_names=lambda: ["8×8 digit"],   # classes, or the names of the outputs
        layers=(Layer("net.0", "first dense layer"),),
        availability=_availability,          # () -> None, or why it cannot load here
        kind="gan", task=GENERATION,
    )

and the line ``toy.SPEC,`` in ``SPECS`` below.
"""

from __future__ import annotations

from torch import nn

from udl_viz.fingerprint import publish
from udl_viz.models import (
    digits,
    efficientnet_lite,
    generators,
    sentiment,
    sentiment_glove,
    sunspots,
    torchvision_zoo,
)
from udl_viz.models.spec import ModelSpec, ModelUnavailable

SPECS: tuple[ModelSpec, ...] = (
    efficientnet_lite.LITE0,
    efficientnet_lite.LITE2,
    digits.SPEC,
    torchvision_zoo.RESNET18,
    torchvision_zoo.VGG16,
    torchvision_zoo.ALEXNET,
    torchvision_zoo.MOBILENET_V3_LARGE,
    *sentiment.SPECS,
    *sentiment_glove.SPECS,
    sunspots.GRU_SPEC,
    sunspots.MLP_SPEC,
    generators.GAN,
    generators.VAE,
)
REGISTRY: dict[str, ModelSpec] = {spec.name: spec for spec in SPECS}
DEFAULT_MODEL = efficientnet_lite.LITE0.name


def select(*, kind: str | None = None, task: str | None = None) -> dict[str, ModelSpec]:
    """The registry entries of one ``kind`` and/or ``task``, in registry order."""
    return {name: spec for name, spec in REGISTRY.items()
            if kind in (None, spec.kind) and task in (None, spec.task)}


def get_spec(name: str, *, task: str | None = None) -> ModelSpec:
    """The registry entry called ``name`` (of ``task``, if given); ``KeyError`` lists the known names."""
    known = select(task=task)
    try:
        return known[name]
    except KeyError:
        among = f" for {task}" if task else ""
        raise KeyError(f"unknown model {name!r}{among}; choose one of {', '.join(known)}") from None


def load_model(name: str, *, task: str | None = None) -> nn.Module:
    """Build the named model in eval mode, or raise ``ModelUnavailable`` with the plain reason."""
    spec = get_spec(name, task=task)
    try:
        model = spec.build()
    except ModelUnavailable:
        raise
    except Exception as exc:  # download failures, missing files, corrupt weights
        reason = spec.unavailable_reason() or str(exc)
        raise ModelUnavailable(f"{spec.title} cannot be loaded: {reason} ({type(exc).__name__}: {exc})") from exc
    publish(model)
    return model
