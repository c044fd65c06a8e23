"""Train the digits VAE (2-D latent space) and save it with its measured metrics.

    nice python scripts/train_vae.py --seed 0 [--epochs N]

Writes ``assets/gan/digits_vae.pt``: the VAE, its loss per epoch and the four metrics of
``udl_viz.gan.metrics`` on 540 samples decoded from z ~ N(0, I).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.gan.checkpoints import VAE_CHECKPOINT, sample_vae  # noqa: E402
from udl_viz.gan.metrics import evaluate  # noqa: E402
from udl_viz.gan.training import VAE_SETTINGS, train_vae  # noqa: E402
from udl_viz.settings import resolve  # noqa: E402


def main() -> None:
    defaults = resolve(VAE_SETTINGS)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=defaults["epochs"])
    parser.add_argument("--out", type=Path, default=VAE_CHECKPOINT)
    args = parser.parse_args()

    torch.set_num_threads(1)
    model, losses = train_vae(args.epochs, seed=args.seed, lr=defaults["lr"],
                              progress=lambda done, total: done % 20 or print(f"epoch {done}/{total}", flush=True))
    print(f"final loss (negative ELBO per digit) {losses[-1]:.2f}")
    metrics = dataclasses.asdict(evaluate(sample_vae(model, 540, seed=args.seed)))
    print({k: v for k, v in metrics.items() if k != "class_shares"}, "class shares", metrics["class_shares"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "losses": losses,
                "metrics": {**metrics, "class_shares": list(metrics["class_shares"])}}, args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
