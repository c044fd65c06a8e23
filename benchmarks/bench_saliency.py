"""Saliency benchmarks on EfficientNet-Lite0, each against a peer doing the same work in the same run.

1. Every method against a plain captum call with captum's default options (batching, delta)
   for the same amount of work (steps, samples, window), interleaved; prints ours/captum.
2. Integrated Gradients against its own n_steps single-image forward+backward passes
   (the target is <= 1.3x), and its internal batch size.
3. A new image to prediction + gradient + Grad-CAM (the target is <= 1 s once warm), against
   one plain forward pass.
4. Deletion/insertion curves batched against the same images one at a time.

    python benchmarks/bench_saliency.py [--repeats 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_pair(ours: Callable[[], object], peer: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``peer``, run alternately so both see the same machine load."""
    a, b = [], []
    for _ in range(repeats):
        a.append(timed(ours))
        b.append(timed(peer))
    return statistics.median(a), statistics.median(b)


def captum_peers(model, spec, x, target: int) -> dict[str, Callable[[], object]]:
    """Each image method (but LIME) as a plain captum call with captum's default options, for the same work."""
    from captum.attr import (
        GuidedBackprop,
        IntegratedGradients,
        LayerAttribution,
        LayerGradCam,
        NoiseTunnel,
        Occlusion,
        Saliency,
    )

    from udl_viz.attribution.inputs import black

    layer = model.get_submodule(spec.cam_layer)
    xg = x.clone().requires_grad_()
    side = tuple(x.shape[-2:])
    return {
        "saliency": lambda: Saliency(model).attribute(xg, target=target),
        "smoothgrad": lambda: NoiseTunnel(Saliency(model)).attribute(
            xg, nt_type="smoothgrad", nt_samples=25, stdevs=0.15 * float(x.max() - x.min()), target=target),
        "ig": lambda: IntegratedGradients(model).attribute(xg, baselines=black(x, spec), target=target, n_steps=50),
        "gradcam": lambda: LayerAttribution.interpolate(
            LayerGradCam(model, layer).attribute(x, target=target, relu_attributions=True), side, "bilinear"),
        "guided_backprop": lambda: GuidedBackprop(model).attribute(xg, target=target),
        "occlusion": lambda: Occlusion(model).attribute(xg, sliding_window_shapes=(3, 32, 32), strides=(3, 16, 16),
                                                        baselines=0.0, target=target),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (use 1 on a machine shared with "
                        "other work: 2 OpenMP threads that wait on each other there are many times slower)")
    args = parser.parse_args()

    import torch
    from captum.attr import IntegratedGradients, Saliency

    from udl_viz.attribution import get_method
    from udl_viz.attribution.faithfulness import deletion_insertion, random_map
    from udl_viz.attribution.inputs import black
    from udl_viz.attribution.integrated_gradients import BATCH
    from udl_viz.inference import predict
    from udl_viz.models import get_spec, load_model
    from udl_viz.samples import PHOTOS, load_sample

    warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU")  # captum's, on every call
    warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")
    torch.set_num_threads(args.threads)
    print(f"torch threads: {args.threads}")
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name).requires_grad_(False)
    x = spec.preprocess(load_sample("Chelsea the cat")).unsqueeze(0)
    target = int(model(x).argmax())
    xg = x.clone().requires_grad_()
    for _ in range(2):  # warm up oneDNN kernels for batch sizes 1 and BATCH
        Saliency(model).attribute(xg, target=target)
        IntegratedGradients(model).attribute(xg, target=target, n_steps=BATCH, internal_batch_size=BATCH)

    def ours(name: str, **settings) -> Callable[[], object]:
        return lambda: get_method(name).attribute(model, x, target, spec=spec, **settings)

    peers = captum_peers(model, spec, x, target)
    print("1. each method against plain captum (same work, captum's default options)")
    print(f"{'method':16s} {'ours s':>8s} {'captum s':>9s} {'ratio':>6s}  passes (fwd+bwd)")
    for name, peer in peers.items():
        a, b = median_pair(ours(name), peer, args.repeats)
        result = ours(name)()
        print(f"{name:16s} {a:8.3f} {b:9.3f} {a / b:6.2f}  {result.forward_passes}+{result.backward_passes}")

    print("\n2. Integrated Gradients (50 steps) against 50 single-image forward+backward passes")
    single = statistics.median(timed(peers["saliency"]) for _ in range(5))
    ig = statistics.median(timed(ours("ig", steps=50)) for _ in range(args.repeats))
    print(f"one forward+backward {single:.3f} s; IG {ig:.3f} s = {ig / (50 * single):.2f}x of 50 of them "
          "(target <= 1.3)")
    for batch in (5, 10, 25, 50):
        t = statistics.median(timed(lambda b=batch: IntegratedGradients(model).attribute(
            xg, baselines=black(x, spec), target=target, n_steps=50, internal_batch_size=b))
            for _ in range(args.repeats))
        print(f"  captum IG internal_batch_size={batch:2d}: {t:.3f} s = {t / (50 * single):.2f}x")

    print("\n3. a new image: prediction + gradient + Grad-CAM, against one plain forward pass")
    images = [load_sample(n) for n in PHOTOS]
    new, plain = [], []
    for _ in range(args.repeats):
        for image in images:
            def explain(image=image) -> None:
                top = predict(model, spec, image, 5)[0].index
                xi = spec.preprocess(image).unsqueeze(0)
                get_method("saliency").attribute(model, xi, top, spec=spec)
                get_method("gradcam").attribute(model, xi, top, spec=spec)
            new.append(timed(explain))
            xi = spec.preprocess(image).unsqueeze(0)
            plain.append(timed(lambda xi=xi: model(xi)))
    a, b = statistics.median(new), statistics.median(plain)
    print(f"prediction+gradient+Grad-CAM {a:.3f} s (target <= 1 s), plain forward {b:.3f} s, ratio {a / b:.2f}")

    print("\n4. deletion+insertion curves (24 steps), batched against one image at a time")
    saliency = random_map((224, 224))
    a, b = median_pair(
        lambda: deletion_insertion(model, x, target, saliency, steps=24),
        lambda: deletion_insertion(model, x, target, saliency, steps=24, batch_size=1), args.repeats)
    print(f"batched {a:.3f} s, one at a time {b:.3f} s, ratio {a / b:.2f}")


if __name__ == "__main__":
    main()
