"""Attack strength on the 100-photo ImageNet sample, judged on the rounded 8-bit images.

The issue's check: untargeted PGD at ε = 2 fools EfficientNet-Lite0 on at least 90 % of the photos,
and targeted PGD at ε = 8 reaches a random target class on most. FGSM at the same ε runs in the same
batches as the peer: the script prints both fool rates and the PGD/FGSM time ratio, and how many of
the PGD examples made on Lite0 also fool Lite2 (transfer).

    python benchmarks/bench_adversarial.py [--limit 100] [--steps 10] [--batch 10] [--threads 1]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "imagenet-sample-100"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    import numpy as np
    import torch
    from PIL import Image

    from udl_viz.adversarial import perturb
    from udl_viz.adversarial.pixels import crop_pixels, predict_pixels
    from udl_viz.adversarial.transfer import fit_crop
    from udl_viz.inference import batched
    from udl_viz.models import get_spec, load_model

    torch.set_num_threads(args.threads)
    rows = list(csv.DictReader((args.data / "labels.csv").open()))[: args.limit]
    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0").requires_grad_(False)
    spec2, model2 = get_spec("efficientnet_lite2"), load_model("efficientnet_lite2").requires_grad_(False)
    rng = np.random.default_rng(0)
    counts = {"pgd": 0, "fgsm": 0, "targeted": 0, "transfer": 0}
    seconds = {"pgd": 0.0, "fgsm": 0.0, "targeted": 0.0}
    seen = 0
    for chunk in batched(rows, args.batch):
        pixels = np.stack([crop_pixels(spec, Image.open(args.data / "images" / r["filename"]).convert("RGB"))
                           for r in chunk])
        labels = predict_pixels(model, spec, pixels).argmax(dim=1).numpy()
        targets = (labels + rng.integers(1, 1000, len(labels))) % 1000
        runs = {"fgsm": dict(method="fgsm", eps=2, labels=labels),
                "pgd": dict(method="pgd", eps=2, labels=labels),
                "targeted": dict(method="pgd", eps=8, labels=targets, targeted=True)}
        adversarial = {}
        for name, run in runs.items():
            start = time.perf_counter()
            adversarial[name] = perturb(model, spec, pixels, run["labels"].tolist(), method=run["method"],
                                        eps=run["eps"], targeted=run.get("targeted", False), steps=args.steps)
            seconds[name] += time.perf_counter() - start
            predicted = predict_pixels(model, spec, adversarial[name]).argmax(dim=1).numpy()
            counts[name] += int((predicted == targets).sum() if name == "targeted" else (predicted != labels).sum())
        clean2 = predict_pixels(model2, spec2, np.stack([fit_crop(p, spec2) for p in pixels])).argmax(dim=1).numpy()
        adv2 = predict_pixels(model2, spec2, np.stack([fit_crop(p, spec2) for p in adversarial["pgd"]]))
        counts["transfer"] += int((adv2.argmax(dim=1).numpy() != clean2).sum())
        seen += len(chunk)
        print(f"{seen}/{len(rows)} photos: {counts}", flush=True)
    n = len(rows)
    print(f"\nEfficientNet-Lite0, {n} ImageNet photos, judged on 8-bit images (PGD {args.steps} steps):")
    print(f"  untargeted PGD  ε=2: fools {counts['pgd'] / n:.0%}   (target >= 90%)")
    print(f"  untargeted FGSM ε=2: fools {counts['fgsm'] / n:.0%}   (the one-step peer)")
    print(f"  targeted PGD    ε=8: reaches a random target on {counts['targeted'] / n:.0%}")
    print(f"  PGD ε=2 examples made on Lite0 that also change Lite2's label: {counts['transfer'] / n:.0%}")
    print(f"  time: PGD/FGSM = {seconds['pgd'] / seconds['fgsm']:.1f}x "
          f"({seconds['pgd'] / n:.2f} s vs {seconds['fgsm'] / n:.2f} s per photo on this machine, now)")


if __name__ == "__main__":
    main()
