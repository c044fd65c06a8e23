"""Measured, not eyeballed: does a generator make digits that look real, varied and new?

Four numbers on N generated digits (0–16 scale), each with its threshold:

* **recognised**: share a classifier trained on real digits (``digits_cnn``) labels with probability ≥ 0.9;
* **rarest class**: share of the least generated digit class (every class should be ≥ 5 %: no mode collapse);
* **near copies**: share closer to their nearest training digit than 99 % of held-out real digits are;
* **two-sample accuracy**: cross-validated accuracy of a random forest telling generated from held-out real
  digits (0.5 means it cannot tell them apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

from udl_viz.datasets.digits import PIXEL_MAX, DigitsSplit, held_out_split

CONFIDENT = 0.9
#: (attribute, label, threshold, True if higher is better)
THRESHOLDS = (
    ("recognised", "Recognised (p ≥ 0.9)", 0.60, True),
    ("rarest_class", "Rarest digit class", 0.05, True),
    ("near_copies", "Near-copies", 0.05, False),
    ("two_sample_accuracy", "Forest: real vs fake", 0.85, False),
)
COPY_PERCENTILE = 1.0


@dataclass(frozen=True)
class SampleMetrics:
    """The four numbers for one batch of generated digits."""

    recognised: float
    class_shares: tuple[float, ...]
    near_copies: float
    two_sample_accuracy: float
    n: int

    @property
    def rarest_class(self) -> float:
        return min(self.class_shares)

    def passes(self) -> dict[str, bool]:
        """Each metric's name -> whether it meets its threshold."""
        return {name: (getattr(self, name) >= limit) if higher else (getattr(self, name) <= limit)
                for name, _label, limit, higher in THRESHOLDS}


@cache
def judge() -> torch.nn.Module:
    """The classifier trained on real digits that judges generated ones (the registry's ``digits_cnn``)."""
    from udl_viz.models import load_model

    return load_model("digits_cnn").requires_grad_(False)


def classify(images: np.ndarray, model: torch.nn.Module | None = None) -> np.ndarray:
    """Class probabilities (N×10) of digits on the 0–16 scale."""
    model = model or judge()
    x = torch.as_tensor(np.asarray(images, dtype=np.float32) / PIXEL_MAX).reshape(-1, 1, 8, 8)
    with torch.no_grad():
        return torch.softmax(model(x), dim=1).numpy()


def nearest_training(images: np.ndarray, split: DigitsSplit | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each digit: the Euclidean distance (0–16 scale) to its nearest training digit, and that digit's index."""
    from sklearn.neighbors import NearestNeighbors

    split = split or held_out_split()
    index = NearestNeighbors(n_neighbors=1).fit(split.x_train.reshape(len(split.x_train), -1))
    distance, nearest = index.kneighbors(np.asarray(images, dtype=np.float32).reshape(len(images), -1))
    return distance[:, 0], nearest[:, 0]


@cache
def copy_threshold(seed: int = 0) -> float:
    """Distance below which a digit counts as a near-copy: only 1 % of held-out real digits are that close."""
    split = held_out_split(seed)
    distance, _ = nearest_training(split.x_test, split)
    return float(np.percentile(distance, COPY_PERCENTILE))


def two_sample_accuracy(first: np.ndarray, second: np.ndarray, seed: int = 0) -> float:
    """5-fold cross-validated accuracy of a random forest telling ``first`` from ``second`` (0.5: indistinguishable)."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    x = np.concatenate([first.reshape(len(first), -1), second.reshape(len(second), -1)])
    y = np.r_[np.zeros(len(first)), np.ones(len(second))]
    forest = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    return float(cross_val_score(forest, x, y, cv=folds, scoring="accuracy").mean())


def evaluate(images: np.ndarray, seed: int = 0) -> SampleMetrics:
    """The four metrics for generated digits (N×8×8, 0–16 scale); the forest sees as many held-out real ones."""
    split = held_out_split()
    images = np.asarray(images, dtype=np.float32).reshape(-1, 8, 8)
    probs = classify(images)
    shares = np.bincount(probs.argmax(1), minlength=10) / len(images)
    distance, _ = nearest_training(images, split)
    real = split.x_test[:len(images)]
    accuracy = two_sample_accuracy(images[:len(real)], real, seed)
    return SampleMetrics(recognised=float((probs.max(1) >= CONFIDENT).mean()),
                         class_shares=tuple(float(s) for s in shares),
                         near_copies=float((distance < copy_threshold()).mean()),
                         two_sample_accuracy=accuracy, n=len(images))
