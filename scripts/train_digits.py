"""Train ``digits_cnn`` on scikit-learn's digits and save it with its per-epoch trajectory.

    python scripts/train_digits.py [--seed 0] [--epochs 40]

Writes ``assets/digits_cnn.pt`` (state dict + held-out metrics) and
``assets/digits_cnn_trajectory.pt`` (flattened parameters after each epoch, for the
loss-landscape page).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.datasets.digits import digits_split  # noqa: E402
from udl_viz.models.digits import CHECKPOINT, TRAJECTORY, DigitsCNN  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    x_train, y_train, x_test, y_test = digits_split(args.seed)
    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    to_vec = nn.utils.parameters_to_vector
    trajectory = [to_vec(model.parameters()).detach().clone()]
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(y_train))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            # Small shifts by one pixel make the model robust to off-centre digits.
            xb = torch.roll(x_train[batch], shifts=tuple(torch.randint(-1, 2, (2,)).tolist()), dims=(2, 3))
            optimizer.zero_grad()
            loss_fn(model(xb), y_train[batch]).backward()
            optimizer.step()
        trajectory.append(to_vec(model.parameters()).detach().clone())
        model.eval()
        with torch.no_grad():
            acc = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch + 1:2d}  held-out accuracy {acc:.4f}")
    metrics = {"test_accuracy": acc, "epochs": args.epochs, "seed": args.seed,
               "n_train": len(y_train), "n_test": len(y_test)}
    torch.save({"state_dict": model.state_dict(), "metrics": metrics}, CHECKPOINT)
    torch.save({"trajectory": torch.stack(trajectory)}, TRAJECTORY)
    print(f"held-out accuracy {acc:.4f} on {len(y_test)} digits; saved {CHECKPOINT} and {TRAJECTORY}")


if __name__ == "__main__":
    main()
