"""Training the new head on cached backbone features, with a progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from udl_viz.finetune.head import new_head

#: ``progress(epoch, epochs, loss)`` after every epoch.
Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class TrainSettings:
    """Optimiser settings; ``check()`` explains any value out of range."""

    epochs: int = 60
    learning_rate: float = 0.003
    weight_decay: float = 1e-3

    def check(self) -> TrainSettings:
        if not 1 <= self.epochs <= 2000:
            raise ValueError(f"Epochs must be between 1 and 2000; got {self.epochs}.")
        if not 0 < self.learning_rate <= 1:
            raise ValueError(f"The learning rate must be above 0 and at most 1; got {self.learning_rate}.")
        if not 0 <= self.weight_decay <= 1:
            raise ValueError(f"Weight decay must be between 0 and 1; got {self.weight_decay}.")
        return self


@dataclass
class TrainResult:
    """The trained head and its learning curves (one value per epoch)."""

    head: nn.Linear
    losses: list[float]
    train_accuracy: list[float]
    test_accuracy: list[float] | None
    test_predictions: np.ndarray | None  # the final head's class for each test image


def _accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return float((logits.argmax(dim=1) == labels).float().mean())


def train_head(model: nn.Module, features: np.ndarray, labels: np.ndarray, classes: int,
               settings: TrainSettings = TrainSettings(), *, test_features: np.ndarray | None = None,
               test_labels: np.ndarray | None = None, progress: Progress | None = None) -> TrainResult:
    """Fit a new ``classes``-way head for ``model`` on backbone ``features`` with Adam, full batch.

    Only the head's weights are trained; the backbone's features were computed once beforehand.
    """
    settings.check()
    x = torch.as_tensor(features, dtype=torch.float32)
    y = torch.as_tensor(labels, dtype=torch.long)
    tx = None if test_features is None else torch.as_tensor(test_features, dtype=torch.float32)
    ty = None if test_labels is None else torch.as_tensor(test_labels, dtype=torch.long)
    head = new_head(model, classes)
    optimizer = torch.optim.Adam(head.parameters(), lr=settings.learning_rate, weight_decay=settings.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    losses, train_acc, test_acc = [], [], []
    with torch.enable_grad():
        for epoch in range(1, settings.epochs + 1):
            optimizer.zero_grad()
            logits = head(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            train_acc.append(_accuracy(logits.detach(), y))
            if tx is not None:
                with torch.no_grad():
                    test_acc.append(_accuracy(head(tx), ty))
            if progress is not None:
                progress(epoch, settings.epochs, losses[-1])
    head.eval()
    predictions = None
    if tx is not None:
        with torch.no_grad():
            predictions = head(tx).argmax(dim=1).numpy()
    return TrainResult(head, losses, train_acc, test_acc if tx is not None else None, predictions)
