"""One fine-tuning run, start to end: backbone features, a trained head, and the new model with its spec."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image
from torch import nn

from udl_viz.finetune.data import Examples
from udl_viz.finetune.head import extract_features, finetuned_spec, with_head
from udl_viz.finetune.train import TrainResult, TrainSettings, train_head
from udl_viz.inference import batched
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report

#: Images per call of ``features`` (and per progress report): a page caches the features chunk by chunk.
CHUNK = 8
#: Backbone features of a few images, ``(N, D)``: ``extract_features`` or a cached version of it.
Features = Callable[[Sequence[Image.Image]], np.ndarray]


@dataclass(frozen=True)
class FineTuneRun:
    """One run: the fine-tuned model and its registry-style spec, its learning curves, and how long it took."""

    spec: ModelSpec
    model: nn.Module
    result: TrainResult
    train_counts: list[int]
    test_labels: np.ndarray | None
    seconds: float


def fine_tune(model: nn.Module, spec: ModelSpec, train: Examples, test: Examples | None = None,
              settings: TrainSettings | None = None, *, features: Features | None = None,
              progress: Progress | None = None) -> FineTuneRun:
    """Train a new head for ``train``'s classes on the frozen ``model`` and build the fine-tuned model.

    ``settings`` defaults to ``TrainSettings()``. ``features`` computes the backbone features of up to
    ``CHUNK`` images (default ``extract_features``).
    ``progress`` counts the training images, then the test images, through the backbone, then the epochs.
    ``model`` is left unchanged; the new model shares its backbone tensors.
    """
    settings = (settings or TrainSettings()).check()
    features = features or (lambda images: extract_features(model, spec, images))
    test_images = [] if test is None else test.images
    total = len(train.images) + len(test_images) + settings.epochs
    start = time.perf_counter()
    done = 0

    def through_backbone(images: Sequence[Image.Image]) -> np.ndarray | None:
        nonlocal done
        parts = []
        for chunk in batched(images, CHUNK):
            parts.append(features(chunk))
            done += len(chunk)
            report(progress, done, total)
        return np.concatenate(parts) if parts else None

    x = through_backbone(train.images)
    tx = through_backbone(test_images)
    ty = None if test is None else np.asarray(test.labels)
    result = train_head(model, x, np.asarray(train.labels), len(train.classes), settings, test_features=tx,
                        test_labels=ty, progress=lambda epoch, _epochs: report(progress, done + epoch, total))
    tuned = with_head(model, result.head)
    return FineTuneRun(finetuned_spec(spec, tuned, train.classes), tuned, result, train.counts(), ty,
                       time.perf_counter() - start)
