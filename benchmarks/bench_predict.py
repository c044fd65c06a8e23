"""`python -m udl_viz predict` against a plain one-image-at-a-time fp32 torch loop, same files, same run.

    python benchmarks/bench_predict.py [--images 896] [--data ../shared/data/imagenet-sample-100]

The 100 sample photos are copied under new names into a temporary folder until there are
``--images`` of them. Both sides run as fresh processes (imports and model loading included) and
print top-1 per photo; the script prints both wall times, the ratio and both top-1 accuracies.
The ONNX export happens once before timing (it is cached, as on any second run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UDL_VIZ_SHARED_DATA", ROOT.parent / "shared" / "data")) / "imagenet-sample-100"


def plain_loop(paths: list[str]) -> None:
    """The peer: decode, preprocess, one fp32 forward pass per image, in order."""
    import torch

    sys.path.insert(0, str(ROOT))
    from udl_viz.images import load_image
    from udl_viz.models import get_spec, load_model

    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0")
    for path in paths:
        with torch.inference_mode():
            probs = torch.softmax(model(spec.preprocess(load_image(path)).unsqueeze(0)), dim=1)[0]
        print(json.dumps({"image": path, "top": [{"index": int(probs.argmax())}]}), flush=True)


def timed(command: list[str]) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    seconds = time.perf_counter() - start
    rows = [json.loads(line) for line in out.splitlines()]
    return seconds, {Path(r["image"]).name: r["top"][0]["index"] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=896)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--plain", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain is not None:
        plain_loop(args.plain)
        return
    with open(args.data / "labels.csv") as f:
        labels = {row["filename"]: int(row["class_index"]) for row in csv.DictReader(f)}
    photos = sorted(labels)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.images):
            name = f"{i:04d}_{photos[i % len(photos)]}"
            shutil.copyfile(args.data / "images" / photos[i % len(photos)], Path(tmp) / name)
            files.append(str(Path(tmp) / name))
        ours = [sys.executable, "-m", "udl_viz", "predict", "--top", "1"]
        subprocess.run([*ours, files[0]], capture_output=True, cwd=ROOT, check=True)  # export once, untimed
        plain = [sys.executable, str(Path(__file__).resolve()), "--plain"]
        t_plain, plain_top = timed([*plain, *files])
        t_ours, our_top = timed([*ours, *files])

    def accuracy(top: dict[str, int]) -> float:
        return sum(top[name] == labels[name[5:]] for name in top) / len(top)

    same = sum(our_top[n] == plain_top[n] for n in plain_top)
    print(f"{args.images} photos: plain fp32 loop {t_plain:.1f} s, udl_viz predict {t_ours:.1f} s: "
          f"{t_plain / t_ours:.2f}x faster")
    print(f"top-1 accuracy: plain {accuracy(plain_top):.3f}, predict {accuracy(our_top):.3f}; "
          f"same top-1 on {same}/{len(plain_top)}")


if __name__ == "__main__":
    main()
