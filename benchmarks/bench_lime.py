"""LIME on EfficientNet-Lite0: both udl_viz paths against lime's ``explain_instance`` defaults, same run.

For each held-out photo from ../shared/data (ones the stop rule was not tuned on: the
husky-wolf photos other than the tuning three, then imagenet-sample-100 photos other than
brambling and bobsled, in a fixed shuffled order), explaining the model's top class:

- ``lime``: ``LimeImageExplainer().explain_instance`` with its defaults (quickshift, 1000
  samples, batch_size 10, top_labels 5) and a plain classifier function as lime's tutorial
  writes it (float32, one ``torch.no_grad`` forward per batch), in a process of its own as a
  lime user runs it (``lime_peer.LimePeer``; ``--warm-peer``: after a large gradient call there).
- ``cli``: ``explain --method lime`` as the CLI runs it, per image: ``get_method("lime").attribute``
  on the shared model (a private view, BatchNorm folded per call), segmentation included.
- ``page``: ``udl_viz.lime_image`` as the LIME page runs it after an upload: quickshift, then
  ``explain`` on the page's cached fast copy (BatchNorm folded, channels-last).
  Both paths use antithetic samples in batches of 8, bfloat16 where the CPU has it, and the
  stop rule (at most 1000 samples).
- ``reference``: lime's ``explain_instance`` with 5000 samples (float32).

Fidelity is the Spearman correlation of per-pixel weights with the reference. The peers
alternate which runs first; each ratio is lime's seconds over ours in the same repeat. The
machine may be shared: compare ratios, not seconds, and run it more than once.

    python benchmarks/bench_lime.py [--photos 4] [--names A.JPEG,B.JPEG] [--repeats 2] [--reference-cache DIR]
                                    [--threads 2] [--warm-peer]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.lime_peer import LimePeer  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
#: The five photos the stop rule used to be tuned on; never benchmarked here.
TUNED = {"xai_course_husky.jpg", "n02114548_white_wolf.JPEG", "n01530575_brambling.JPEG",
         "n02110063_malamute.JPEG", "n02860847_bobsled.JPEG"}


def held_out(data: Path) -> list[Path]:
    """Husky-wolf photos first (the lesson's), then a fixed shuffle of the imagenet sample."""
    wolves = sorted(p for p in (data / "husky-wolf").glob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    others = sorted((data / "imagenet-sample-100" / "images").glob("*"))
    random.Random(14).shuffle(others)
    return [p for p in (*wolves, *others) if p.name not in TUNED]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=4, help="how many held-out photos")
    parser.add_argument("--names", default="", help="comma-separated file names: only these held-out photos")
    parser.add_argument("--repeats", type=int, default=2,
                        help="timed runs of each peer per photo (seeds 1, 2, ...), alternating which goes first")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for every peer")
    parser.add_argument("--warm-peer", action="store_true",
                        help="lime's process runs one Integrated Gradients call first (its fastest float32)")
    parser.add_argument("--reference-samples", type=int, default=5000)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--reference-cache", type=Path, default=None, metavar="DIR",
                        help="keep the reference maps here and reuse them in later runs (they take minutes)")
    args = parser.parse_args()
    os.environ["TQDM_DISABLE"] = "1"  # no progress bar from the reference's explain_instance

    import numpy as np
    import torch
    from lime.lime_image import LimeImageExplainer  # the reference
    from scipy.stats import spearmanr

    from udl_viz.attribution import get_method
    from udl_viz.images import load_image
    from udl_viz.lime_image import (
        BatchClassifier,
        Segmentation,
        explain,
        fast_copy,
        model_pixels,
        segment,
    )
    from udl_viz.lime_image.classifier import bf16_supported
    from udl_viz.models import get_spec, load_model

    torch.set_num_threads(args.threads)
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name).requires_grad_(False)
    fast = fast_copy(model, (spec.channels, spec.input_size, spec.input_size))  # cached by the page
    print(f"bfloat16 on this CPU: {bf16_supported()}; torch threads: {torch.get_num_threads()}")

    lime_peer = LimePeer(args.threads, warm=args.warm_peer)

    def lime_map(exp, target: int) -> np.ndarray:
        weights = np.zeros(exp.segments.max() + 1)
        for feature, weight in exp.local_exp[target]:
            weights[feature] = weight
        return weights[exp.segments]

    def run_lime(path: Path, image, pixels: np.ndarray, target: int, seed: int) -> tuple[float, np.ndarray, int]:
        return *lime_peer(path, seed, target), 1000

    def run_cli(path: Path, image, pixels: np.ndarray, target: int, seed: int) -> tuple[float, np.ndarray, int]:
        start = time.perf_counter()
        result = get_method("lime").attribute(model, spec.preprocess(image).unsqueeze(0), target, spec=spec, seed=seed)
        return time.perf_counter() - start, result.map, result.forward_passes

    def run_page(path: Path, image, pixels: np.ndarray, target: int, seed: int) -> tuple[float, np.ndarray, int]:
        start = time.perf_counter()
        segments = segment(model_pixels(spec, image), Segmentation("quickshift"))
        result = explain(BatchClassifier.for_spec(fast, spec), pixels, segments, target, seed=seed)
        return time.perf_counter() - start, result.pixel_weights(), result.samples

    peers = {"lime": run_lime, "cli": run_cli, "page": run_page}

    def fidelity(a: np.ndarray, b: np.ndarray) -> float:
        return float(spearmanr(a.ravel(), b.ravel()).statistic)

    rows = []
    photos = [p for p in held_out(args.data) if not args.names or p.name in args.names.split(",")]
    for path in photos[: args.photos]:
        image = load_image(path)
        pixels = model_pixels(spec, image)
        target = int(BatchClassifier.for_spec(fast, spec, "float32")(pixels[None])[0].argmax())
        start = time.perf_counter()
        cached = args.reference_cache / f"{path.stem}.{args.reference_samples}.npy" if args.reference_cache else None
        if cached is not None and cached.is_file():
            ref_map = np.load(cached)
        else:
            reference = LimeImageExplainer(random_state=10_000).explain_instance(
                pixels, BatchClassifier.for_spec(fast, spec, "float32"), labels=(target,), top_labels=None,
                num_samples=args.reference_samples, batch_size=64)
            ref_map = lime_map(reference, target)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                np.save(cached, ref_map)
        print(f"\n{path.name} ({spec.class_names()[target]}): {args.reference_samples}-sample reference in "
              f"{time.perf_counter() - start:.1f} s")
        for repeat in range(args.repeats):
            seed = 1 + repeat
            order = list(peers) if repeat % 2 == 0 else list(reversed(peers))  # load changes hit all alike
            row = {"photo": path.name}
            for name in order:
                seconds, weights, samples = peers[name](path, image, pixels, target, seed)
                row[name] = {"s": seconds, "fid": fidelity(weights, ref_map), "n": samples}
            print(f"  seed {seed}: " + " | ".join(
                f"{name} {row[name]['s']:5.1f} s, fidelity {row[name]['fid']:.3f} ({row[name]['n']} samples)"
                + ("" if name == "lime" else f", {row['lime']['s'] / row[name]['s']:.1f}x faster")
                for name in peers), flush=True)
            rows.append(row)
    lime_peer.close()
    if not rows:
        sys.exit(f"no photos found under {args.data}")

    print(f"\nSummary over {len(rows)} runs on {len({r['photo'] for r in rows})} held-out photos "
          "(ratios within each run; seconds depend on the machine's load):")
    lime_fid = statistics.mean(r["lime"]["fid"] for r in rows)
    print(f"  lime defaults: fidelity {lime_fid:.3f}, 1000 samples")
    for name, label in (("cli", "explain --method lime"), ("page", "LIME page after an upload")):
        ratios = [r["lime"]["s"] / r[name]["s"] for r in rows]
        fid = statistics.mean(r[name]["fid"] for r in rows)
        print(f"  {label}: median {statistics.median(ratios):.1f}x faster (min {min(ratios):.1f}x, "
              f"max {max(ratios):.1f}x), fidelity {fid:.3f} ({fid - lime_fid:+.3f} vs lime's defaults), "
              f"samples {statistics.mean(r[name]['n'] for r in rows):.0f} of 1000 on average")


if __name__ == "__main__":
    main()
