"""``digits_cnn``: a small CNN for scikit-learn's 8×8 handwritten digits (the lecture's example).

Trained by ``scripts/train_digits.py``; the checkpoint and its per-epoch training trajectory
are committed under ``assets/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import torch
from PIL import Image
from torch import nn

from udl_viz.datasets.digits import CLASSES
from udl_viz.models.spec import Layer, ModelSpec, Preprocess

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CHECKPOINT = ASSETS / "digits_cnn.pt"
TRAJECTORY = ASSETS / "digits_cnn_trajectory.pt"


class DigitsCNN(nn.Module):
    """conv3×3(16) → conv3×3(32) → pool → conv3×3(64) → pool → linear(10), on 1×8×8 inputs in [0, 1]."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.pool3 = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(64 * 2 * 2, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu2(self.conv2(self.relu1(self.conv1(x))))
        x = self.relu3(self.conv3(self.pool2(x)))
        return self.fc(self.dropout(self.pool3(x).flatten(1)))


def _scale(x: torch.Tensor) -> torch.Tensor:
    # Photos of digits are usually dark ink on white paper; the training digits are light on dark.
    if x.mean() > 127:
        x = 255 - x
    return x / x.max().clamp(min=1.0)


def load_digits_cnn() -> DigitsCNN:
    """The trained model from ``assets/digits_cnn.pt``, in eval mode."""
    model = DigitsCNN()
    model.load_state_dict(torch.load(CHECKPOINT, map_location="cpu", weights_only=True)["state_dict"])
    return model.eval()


@cache
def checkpoint_metrics() -> dict[str, float]:
    """Held-out metrics recorded by the training script (e.g. ``test_accuracy``)."""
    return dict(torch.load(CHECKPOINT, map_location="cpu", weights_only=True)["metrics"])


def load_trajectory() -> list[torch.Tensor]:
    """Flattened parameter vectors (``parameters_to_vector`` order), one per training epoch."""
    return list(torch.load(TRAJECTORY, map_location="cpu", weights_only=True)["trajectory"])


def _availability() -> str | None:
    return None if CHECKPOINT.exists() else f"checkpoint {CHECKPOINT.name} missing; run scripts/train_digits.py"


SPEC = ModelSpec(
    name="digits_cnn",
    title="Digits CNN (scikit-learn 8×8 digits)",
    description="Three 3×3 conv layers and a linear layer, trained here on scikit-learn's handwritten digits.",
    weights_source="assets/digits_cnn.pt, trained by scripts/train_digits.py",
    builder=load_digits_cnn,
    preprocess=Preprocess(resize=8, crop=8, scale=_scale, unscale=lambda x: x * 255,
                          grayscale=True, resample=Image.Resampling.BOX),
    class_names=lambda: list(CLASSES),
    layers=(Layer("relu1", "conv1: 16 channels, 8×8"), Layer("relu2", "conv2: 32 channels, 8×8"),
            Layer("relu3", "conv3: 64 channels, 4×4")),
    first_conv="conv1",
    cam_layer="relu3",
    availability=_availability,
    metrics=checkpoint_metrics,
)
