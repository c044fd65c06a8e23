"""Training the new head on cached backbone features, reporting progress after every epoch."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from udl_viz.finetune.head import new_head
from udl_viz.progress import Progress, report
from udl_viz.settings import Setting, log_ticks, resolve

#: The optimiser's knobs: defaults that train the built-in tasks well, and the allowed ranges.
SETTINGS = (
    Setting("epochs", "Epochs", 60, minimum=1, maximum=500, help="Each epoch is one full pass over the images."),
    Setting("learning_rate", "Adam's learning rate", 0.003, minimum=1e-4, maximum=1.0,
            ticks=log_ticks(1e-4, 1.0, (1, 3))),
    Setting("weight_decay", "Weight decay", 1e-3, minimum=0.0, maximum=1.0, ticks=(0.0, *log_ticks(1e-4, 1.0, (1,))),
            help="Pulls the new weights towards zero: less over-fitting on few images."),
)
_DEFAULT = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class TrainSettings:
    """Optimiser settings (defaults and ranges in ``SETTINGS``); ``check()`` explains any value out of range."""

    epochs: int = _DEFAULT["epochs"]
    learning_rate: float = _DEFAULT["learning_rate"]
    weight_decay: float = _DEFAULT["weight_decay"]

    def check(self) -> TrainSettings:
        resolve(SETTINGS, asdict(self))
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
            report(progress, epoch, settings.epochs)
    head.eval()
    predictions = None
    if tx is not None:
        with torch.no_grad():
            predictions = head(tx).argmax(dim=1).numpy()
    return TrainResult(head, losses, train_acc, test_acc if tx is not None else None, predictions)
