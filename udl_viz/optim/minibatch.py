"""Full-batch gradient descent against SGD (one example at a time) and mini-batches.

All three fit the diabetes line (``udl_viz.optim.diabetes``) with torch.optim.SGD, drawing
batches from a shuffling torch DataLoader. One epoch is one full pass over the 442 patients: full
batch makes one update per epoch, SGD makes 442.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from udl_viz.optim import diabetes
from udl_viz.optim.descent import BLOWUP
from udl_viz.settings import Setting

#: The knobs of ``compare`` besides the learning rate (which comes from ``optimizers.LEARNING_RATE``).
SETTINGS = (Setting("batch", "Mini-batch size", 32, minimum=2, maximum=128),
            Setting("epochs", "Epochs", 5, minimum=1, maximum=20),
            Setting("momentum", "Momentum", 0.0, minimum=0.0, maximum=0.99, step=0.01),
            Setting("seed", "Shuffle seed", 0, minimum=0, maximum=9999, widget="number"))


@dataclass
class BatchRun:
    """One batch size's path, with how many examples it had seen at each step."""

    label: str
    batch_size: int
    positions: np.ndarray  # (updates + 1, 2): (w, b) after each update
    seen: np.ndarray  # (updates + 1,): examples used so far
    losses: np.ndarray  # (updates + 1,): loss on the full dataset at each position
    n_examples: int
    diverged_at: int | None = None

    @property
    def last(self) -> int:
        return len(self.positions) - 1 if self.diverged_at is None else max(self.diverged_at - 1, 0)

    @property
    def updates_per_epoch(self) -> int:
        return -(-self.n_examples // self.batch_size)

    @property
    def epochs(self) -> np.ndarray:
        """Examples seen, in epochs (full passes over the data)."""
        return self.seen / self.n_examples

    def epoch_losses(self) -> np.ndarray:
        """Full-data loss at the start and after each complete epoch (NaN once diverged)."""
        ends = np.flatnonzero(self.seen % self.n_examples == 0)
        return np.where(ends <= self.last, self.losses[ends], np.nan)


def train(batch_size: int, lr: float, epochs: int, start: Sequence[float], *, seed: int = 0,
          momentum: float = 0.0, label: str | None = None) -> BatchRun:
    """Fit the diabetes line with torch.optim.SGD on shuffled batches of ``batch_size``."""
    x, y = diabetes.data()
    n = len(x)
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch size must be between 1 and {n}")
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    p = torch.tensor(start, dtype=torch.float64)
    optimizer = torch.optim.SGD([p], lr=lr, momentum=momentum)
    positions, seen = [p.clone()], [0]
    for _ in range(epochs):
        for xb, yb in loader:
            p.grad = diabetes.batch_grad(p, xb, yb)
            optimizer.step()
            positions.append(p.clone())
            seen.append(seen[-1] + len(xb))
        if not torch.isfinite(p).all():
            break
    path = torch.stack(positions)
    losses = diabetes.loss(path[:, 0], path[:, 1])
    bad = torch.nonzero(~torch.isfinite(losses) | (losses.abs() > BLOWUP))
    return BatchRun(label or f"batch size {batch_size}", batch_size, path.numpy(), np.array(seen),
                    losses.numpy(), n, int(bad[0]) if len(bad) else None)


def compare(batch_size: int, lr: float, epochs: int, start: Sequence[float], *, seed: int = 0,
            momentum: float = 0.0) -> list[BatchRun]:
    """Full-batch gradient descent, mini-batches of ``batch_size`` and SGD, same lr and epochs."""
    n = len(diabetes.data()[0])
    sizes = [(n, f"Full batch ({n}): gradient descent"), (batch_size, f"Mini-batch of {batch_size}"),
             (1, "SGD: one example at a time")]
    return [train(b, lr, epochs, start, seed=seed, momentum=momentum, label=label) for b, label in sizes]
