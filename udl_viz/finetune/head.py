"""A new k-class head on a frozen backbone: the features it sees, and the fine-tuned model.

The fine-tuned model is a private view of the pretrained one (new module objects, the same
weight tensors) with only its last linear layer swapped. Keeping every other module path
unchanged means the model spec's layers and Grad-CAM layer still apply, so the other pages
can explain the fine-tuned model exactly like the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from uuid import uuid4

import numpy as np
import torch
from PIL import Image
from torch import nn

from udl_viz.hooks import private_view
from udl_viz.inference import batched
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report


def classifier_path(model: nn.Module) -> str:
    """The module path of the model's final linear layer (the ImageNet or digits classifier)."""
    linear = [path for path, module in model.named_modules() if isinstance(module, nn.Linear)]
    if not linear:
        raise ValueError(f"{type(model).__name__} has no linear layer to replace")
    return linear[-1]


def extract_features(model: nn.Module, spec: ModelSpec, images: Sequence[Image.Image], *, batch: int = 8,
                     progress: Progress | None = None) -> np.ndarray:
    """The inputs of the final linear layer for each image, ``(N, D)`` float32; the backbone is untouched."""
    view = private_view(model)
    store: list[torch.Tensor] = []
    head = view.get_submodule(classifier_path(view))
    handle = head.register_forward_pre_hook(lambda _module, inputs: store.append(inputs[0].flatten(1)))
    done = 0
    try:
        with torch.inference_mode():
            for chunk in batched(images, batch):
                view(torch.stack([spec.preprocess(im) for im in chunk]))
                done += len(chunk)
                report(progress, done, len(images))
    finally:
        handle.remove()
    return torch.cat(store).float().numpy() if store else np.zeros((0, head.in_features), np.float32)


def new_head(model: nn.Module, classes: int) -> nn.Linear:
    """A zero-initialised ``classes``-way linear layer fitting the model's feature size.

    Zeros are a fine start: a linear head on fixed features is logistic regression, a convex
    problem, and zeros make every training run reproducible without touching the global seed.
    """
    old = model.get_submodule(classifier_path(model))
    head = nn.Linear(old.in_features, classes)
    nn.init.zeros_(head.weight)
    nn.init.zeros_(head.bias)
    return head


def with_head(model: nn.Module, head: nn.Linear) -> nn.Module:
    """A copy of ``model`` sharing its backbone tensors, with ``head`` as its final layer; ``model`` is unchanged."""
    tuned = private_view(model)
    tuned.set_submodule(classifier_path(tuned), head)
    head.requires_grad_(False)
    return tuned.eval()


def finetuned_spec(base: ModelSpec, model: nn.Module, classes: Sequence[str]) -> ModelSpec:
    """A registry-style entry for a fine-tuned model, with a unique name for caches and the sidebar."""
    classes = list(classes)
    family = base.title.split(" (")[0].removeprefix("Fine-tuned ").split(":")[0]  # fine-tuning a fine-tuned model
    return replace(
        base,
        name=f"finetuned-{uuid4().hex[:8]}",
        title=f"Fine-tuned {family}: {', '.join(classes)}",
        description=f"{base.title} with its last layer replaced by a new {len(classes)}-class head, "
                    "trained on a few images with the rest of the network frozen.",
        weights_source="trained in this browser session; never saved",
        builder=lambda: model,
        class_names=lambda: list(classes),
        availability=lambda: None,
        metrics=lambda: {},
    )
