"""`patches --layer _blocks.10 --unit 3` (first query: the index is built) against `predict`, same photos, same run.

    python benchmarks/bench_patches_cli.py [--images 60] [--data ../shared/data/imagenet-sample-100]

Both run as fresh processes (imports and model loading included) on the same photos, in
alternating order, twice; the best time of each is kept, so other work on a shared machine hurts
both alike. The ONNX exports both use are made once before timing (they are cached, as on any
second run); the patch index itself is rebuilt every time (``--no-cache``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UDL_VIZ_SHARED_DATA", ROOT.parent / "shared" / "data")) / "imagenet-sample-100"


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, cwd=ROOT, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=60)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--layer", default="_blocks.10")
    parser.add_argument("--unit", default="3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        photos = Path(tmp) / "photos"
        photos.mkdir()
        for source in sorted((args.data / "images").iterdir())[: args.images]:
            shutil.copyfile(source, photos / source.name)
        files = sorted(str(p) for p in photos.iterdir())
        cli = [sys.executable, "-m", "udl_viz"]
        patches = [*cli, "patches", "--model", "efficientnet_lite0", "--layer", args.layer, "--unit", args.unit,
                   "--images", str(photos), "--out", str(Path(tmp) / "out"), "--no-cache"]
        predict = [*cli, "predict", *files]
        subprocess.run([*predict[:-len(files)], files[0]], capture_output=True, cwd=ROOT, check=True)
        subprocess.run(patches, capture_output=True, cwd=ROOT, check=True)  # exports once, untimed
        times: dict[str, list[float]] = {"patches": [], "predict": []}
        for order in (("patches", "predict"), ("predict", "patches")):
            for name in order:
                times[name].append(seconds(patches if name == "patches" else predict))
    best = {name: min(values) for name, values in times.items()}
    print(f"{args.images} photos: patches {args.layer} unit {args.unit} (index built) {best['patches']:.1f} s, "
          f"predict {best['predict']:.1f} s: patches takes {best['patches'] / best['predict']:.2f}x predict's time")


if __name__ == "__main__":
    main()
