"""Predictions: preprocess, batch, softmax, top-k."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import torch
from PIL import Image
from torch import nn

from udl_viz.models.spec import ModelSpec


@dataclass(frozen=True)
class Prediction:
    """One class of a top-k list."""

    index: int
    label: str
    prob: float

    def as_dict(self) -> dict:
        return {"index": self.index, "label": self.label, "prob": self.prob}


def probabilities(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Softmax class probabilities for a batch of model inputs."""
    with torch.inference_mode():
        return torch.softmax(model(x), dim=1)


def top_k(probs: torch.Tensor, class_names: list[str], k: int = 5) -> list[Prediction]:
    """The ``k`` most likely classes of one probability vector, most likely first."""
    values, indices = probs.topk(min(k, probs.numel()))
    return [Prediction(int(i), class_names[int(i)], float(v)) for v, i in zip(values, indices, strict=True)]


def predict(model: nn.Module, spec: ModelSpec, image: Image.Image, k: int = 5) -> list[Prediction]:
    """Top-k classes for one PIL image."""
    probs = probabilities(model, spec.preprocess(image).unsqueeze(0))[0]
    return top_k(probs, spec.class_names(), k)


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most ``size`` items."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
