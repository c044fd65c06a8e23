"""Train the sunspot GRU forecaster and its feed-forward baseline, and save both.

    python scripts/train_timeseries.py --seed 0

Fits on 1700-1920 and prints the one-step-ahead errors on 1921-2008; writes
``assets/rnn/sunspots_gru.pt``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.models.sunspots import CHECKPOINT, save_forecasters  # noqa: E402
from udl_viz.rnn.timeseries import train_forecasters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=400)
    args = parser.parse_args()
    torch.set_num_threads(1)  # two threads on a shared 2-core machine are far slower

    start = time.perf_counter()
    forecasters = train_forecasters(args.seed, args.epochs)
    forecasters.metrics["train_seconds"] = round(time.perf_counter() - start, 1)
    for key, value in forecasters.metrics.items():
        print(f"{key:40s} {value}")
    CHECKPOINT.parent.mkdir(parents=True, exist_ok=True)
    save_forecasters(forecasters)
    print(f"saved {CHECKPOINT} ({CHECKPOINT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
