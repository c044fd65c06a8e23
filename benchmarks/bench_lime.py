"""LIME on EfficientNet-Lite0: udl_viz's LIME against lime's ``explain_instance`` defaults, same run.

For each real photo from ../shared/data (husky-wolf and imagenet-sample-100), explaining the
model's top class:

- ``lime``: ``LimeImageExplainer().explain_instance`` with its defaults (quickshift, 1000
  samples, batch_size 10, top_labels 5) and a plain classifier function as lime's tutorial
  writes it (float32, one ``torch.no_grad`` forward per batch).
- ``ours``: ``udl_viz.lime_image`` as the page runs it: quickshift with lime's defaults,
  antithetic samples in batches of 8 (they stay in the CPU cache, unlike large batches), a
  model copy with BatchNorm folded into the convolutions and activations in place,
  channels-last, bfloat16 where the CPU has it, and the early-stopping rule (at most 1000
  samples). ``--float32`` also times the same in float32.
- ``reference``: lime's ``explain_instance`` with 5000 samples (float32, fast classifier).

Fidelity is the Spearman correlation of per-pixel weights with the reference. The two peers
alternate which runs first; the ratio is lime's seconds over ours. The machine may be shared:
compare ratios, not seconds, and run it more than once.

    python benchmarks/bench_lime.py [--photos 3] [--repeats 2] [--reference-cache DIR] [--float32] [--curve]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
PHOTOS = ["husky-wolf/xai_course_husky.jpg", "husky-wolf/n02114548_white_wolf.JPEG",
          "imagenet-sample-100/images/n01530575_brambling.JPEG", "husky-wolf/n02110063_malamute.JPEG",
          "imagenet-sample-100/images/n02860847_bobsled.JPEG"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=3, help=f"how many of {len(PHOTOS)} photos")
    parser.add_argument("--repeats", type=int, default=2,
                        help="timed runs of each peer per photo, alternating which goes first")
    parser.add_argument("--float32", action="store_true", help="also time ours in float32 (no bfloat16)")
    parser.add_argument("--reference-samples", type=int, default=5000)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--reference-cache", type=Path, default=None, metavar="DIR",
                        help="keep the reference maps here and reuse them in later runs (they take minutes)")
    parser.add_argument("--curve", action="store_true",
                        help="also run ours for all 1000 samples and print fidelity at every stop-rule check")
    args = parser.parse_args()

    import numpy as np
    import torch
    from lime.lime_image import LimeImageExplainer
    from scipy.stats import spearmanr

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
    from udl_viz.lime_image.explainer import FastLimeImageExplainer, StopRule
    from udl_viz.models import get_spec, load_model

    torch.set_num_threads(2)
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name).requires_grad_(False)
    start = time.perf_counter()
    fast = fast_copy(model, (spec.channels, spec.input_size, spec.input_size))
    print(f"one-off inference copy of the model (BatchNorm folded, channels-last): "
          f"{time.perf_counter() - start:.2f} s (cached by the app)")
    print(f"bfloat16 on this CPU: {bf16_supported()}; torch threads: {torch.get_num_threads()}")

    def plain_classifier(images: np.ndarray) -> np.ndarray:
        """The classifier function a lime user writes: preprocess, forward, softmax."""
        x = torch.stack([spec.preprocess.scale(torch.from_numpy(img).permute(2, 0, 1).float()) for img in images])
        with torch.no_grad():
            return torch.softmax(model(x), dim=1).numpy()

    def lime_map(exp, target: int) -> np.ndarray:
        weights = np.zeros(exp.segments.max() + 1)
        for feature, weight in exp.local_exp[target]:
            weights[feature] = weight
        return weights[exp.segments]

    def run_lime(pixels: np.ndarray, target: int, seed: int) -> tuple[float, np.ndarray]:
        start = time.perf_counter()
        exp = LimeImageExplainer(random_state=seed).explain_instance(pixels, plain_classifier)
        seconds = time.perf_counter() - start
        return seconds, lime_map(exp, target)

    def run_ours(pixels: np.ndarray, target: int, seed: int, precision: str) -> tuple[float, np.ndarray, int]:
        start = time.perf_counter()
        segments = segment(pixels, Segmentation("quickshift"))
        result = explain(BatchClassifier.for_spec(fast, spec, precision), pixels, segments, target, seed=seed)
        return time.perf_counter() - start, result.pixel_weights(), result.samples

    def fidelity(a: np.ndarray, b: np.ndarray) -> float:
        return float(spearmanr(a.ravel(), b.ravel()).statistic)

    def curve(pixels: np.ndarray, target: int, seed: int, ref_map: np.ndarray) -> None:
        """Fidelity after every check of a run that never stops: what any stop target would give."""
        segments = segment(pixels, Segmentation("quickshift"))
        explainer = FastLimeImageExplainer(target, stop=StopRule(target=2.0), random_state=seed)
        captured = {}

        def data_labels(*a, **k):
            captured["data"], captured["labels"] = FastLimeImageExplainer.data_labels(explainer, *a, **k)
            return captured["data"], captured["labels"]

        explainer.data_labels = data_labels
        explainer.explain_instance(pixels, BatchClassifier.for_spec(fast, spec), labels=(target,), top_labels=None,
                                   num_samples=1000, batch_size=8, segmentation_fn=lambda _: segments,
                                   random_seed=seed)
        for row in explainer.trace:
            n = row["samples"]
            w = explainer._weights(captured["data"][:n], captured["labels"][:n])
            print(f"    curve n={n:4d} estimated {row['estimated_fidelity']:.3f} top stable {row['top_stable']!s:5} "
                  f"fidelity {fidelity(w[segments], ref_map):.3f}")

    rows = []
    for name in PHOTOS[: args.photos]:
        path = args.data / name
        if not path.is_file():
            print(f"skipping {name}: not found under {args.data}")
            continue
        image = load_image(path)
        pixels = model_pixels(spec, image)
        target = int(BatchClassifier.for_spec(fast, spec, "float32")(pixels[None])[0].argmax())
        label = spec.class_names()[target]
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
        print(f"\n{name} ({label}): {args.reference_samples}-sample reference in {time.perf_counter() - start:.1f} s")
        for repeat in range(args.repeats):
            seed = 1 + repeat
            # Alternate which peer runs first, so a change in machine load hits both alike.
            if repeat % 2:
                ours_s, ours_w, ours_n = run_ours(pixels, target, seed, "auto")
                lime_s, lime_w = run_lime(pixels, target, seed)
            else:
                lime_s, lime_w = run_lime(pixels, target, seed)
                ours_s, ours_w, ours_n = run_ours(pixels, target, seed, "auto")
            row = {"photo": name, "lime_s": lime_s, "ours_s": ours_s, "ours_n": ours_n,
                   "lime_fid": fidelity(lime_w, ref_map), "ours_fid": fidelity(ours_w, ref_map)}
            line = (f"  seed {seed}: lime {lime_s:6.1f} s, fidelity {row['lime_fid']:.3f} (1000 samples) | "
                    f"ours {ours_s:5.1f} s, fidelity {row['ours_fid']:.3f} ({ours_n} samples), "
                    f"{lime_s / ours_s:.1f}x faster")
            if args.float32:
                fp32_s, fp32_w, fp32_n = run_ours(pixels, target, seed, "float32")
                row.update(fp32_s=fp32_s, fp32_fid=fidelity(fp32_w, ref_map))
                line += (f" | ours float32 {fp32_s:5.1f} s, fidelity {row['fp32_fid']:.3f} ({fp32_n} samples), "
                         f"{lime_s / fp32_s:.1f}x faster")
            print(line, flush=True)
            rows.append(row)
            if args.curve:
                curve(pixels, target, seed, ref_map)
    if not rows:
        sys.exit(f"no photos found under {args.data}")

    def mean(key: str) -> float:
        return statistics.mean(r[key] for r in rows)

    ratios = [r["lime_s"] / r["ours_s"] for r in rows]
    print(f"\nSummary over {len(rows)} runs on {len({r['photo'] for r in rows})} photos:")
    print(f"  speed-up (lime defaults / ours): median {statistics.median(ratios):.1f}x "
          f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x)")
    print(f"  fidelity to the reference (Spearman, per pixel): lime defaults {mean('lime_fid'):.3f}, "
          f"ours {mean('ours_fid'):.3f}")
    if args.float32:
        print(f"  float32: median speed-up {statistics.median(r['lime_s'] / r['fp32_s'] for r in rows):.1f}x, "
              f"fidelity {mean('fp32_fid'):.3f}")
    print(f"  samples used by ours: mean {mean('ours_n'):.0f} of 1000")

if __name__ == "__main__":
    main()
