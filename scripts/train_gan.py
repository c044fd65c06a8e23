"""Train the digits GAN and save it with its per-epoch sample grids and measured metrics.

    nice python scripts/train_gan.py --seed 0 [--epochs N]

Writes ``assets/gan/digits_gan.pt``: the (weight-averaged) generator, the discriminator, losses and
verdicts per epoch, the same 16 noise vectors' digits after every epoch, and the four metrics of
``udl_viz.gan.metrics`` on 540 samples.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.gan.checkpoints import GAN_CHECKPOINT, sample_gan, to_pixels  # noqa: E402
from udl_viz.gan.metrics import evaluate  # noqa: E402
from udl_viz.gan.training import GAN_SETTINGS, GanTrainer  # noqa: E402
from udl_viz.settings import resolve  # noqa: E402

GRID = 16
EVAL_SAMPLES = 540


def main() -> None:
    defaults = resolve(GAN_SETTINGS)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=defaults["epochs"])
    parser.add_argument("--out", type=Path, default=GAN_CHECKPOINT)
    args = parser.parse_args()

    torch.set_num_threads(1)
    trainer = GanTrainer(lr_g=defaults["lr_g"], lr_d=defaults["lr_d"], batch=defaults["batch"], seed=args.seed)
    noise = torch.randn(GRID, trainer.generator.latent, generator=torch.Generator().manual_seed(args.seed))
    grids = []
    start = time.perf_counter()
    for epoch in range(args.epochs):
        loss_d, loss_g = trainer.train_epoch()
        with torch.no_grad():
            grids.append(to_pixels(trainer.average(noise)))
        if (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1:3d}  D loss {loss_d:.3f}  G loss {loss_g:.3f}  "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
    metrics = dataclasses.asdict(evaluate(sample_gan(trainer.average, EVAL_SAMPLES, seed=args.seed)))
    print({k: v for k, v in metrics.items() if k != "class_shares"}, "class shares", metrics["class_shares"])
    state = trainer.state()
    state["grids"] = torch.from_numpy(np.stack(grids)).to(torch.uint8)
    state["metrics"] = {**metrics, "class_shares": list(metrics["class_shares"])}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, args.out)
    print(f"saved {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
