"""Index-building throughput against the model's plain batched forward pass, and query latency.

Both contenders cut the same crops from the same images with the same batch size; the index
also hooks the layers, takes every unit's per-crop maximum and keeps the running top-k. Runs
alternate and the best of each is kept, so other work on a shared machine hurts both alike; the
process's CPU time is reported too, as it barely moves when other jobs crowd the cores.

    python benchmarks/bench_patches.py [--model efficientnet_lite0] [--images DIR] [--crops 11]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from udl_viz.fingerprint import model_fingerprint  # noqa: E402
from udl_viz.models import get_spec, load_model  # noqa: E402
from udl_viz.units.cache import load_cached, unit_indexes  # noqa: E402
from udl_viz.units.collections import batches, crop_pixels, folder_collection, photo_collection  # noqa: E402
from udl_viz.units.index import build_indexes  # noqa: E402
from udl_viz.units.receptive import OUTPUT  # noqa: E402


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def plain_forward(model, spec, collection, batch_size: int) -> None:
    with torch.inference_mode():
        for batch in batches(collection, spec, range(len(collection)), batch_size):
            model(batch.x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--layer", default="_blocks.5", help="the single layer of the one-layer index")
    parser.add_argument("--images", help="a folder of images (default: scikit-image's photos)")
    parser.add_argument("--crops", type=int, default=11, help="random crops per image besides the centre view")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: steadier than 2 on a shared 2-core machine)")
    args = parser.parse_args()
    torch.set_num_threads(max(1, min(args.threads, os.cpu_count() or 1)))

    spec, model = get_spec(args.model), load_model(args.model).requires_grad_(False)
    collection = (folder_collection(args.images, crops=args.crops) if args.images
                  else photo_collection(crops=args.crops))
    if args.images:  # decode every file once, so disk reads do not favour the later runs
        decoded = [collection.load(i) for i in range(len(collection))]
        collection.loader = decoded.__getitem__
    n = collection.num_samples
    every = [*(entry.path for entry in spec.layers), OUTPUT]
    print(f"{spec.name}: {len(collection)} images, {n} crops of {spec.input_size} px, batch {args.batch_size}, "
          f"{torch.get_num_threads()} threads")
    plain_forward(model, spec, collection, args.batch_size)  # warm-up
    contenders = {
        "forward": lambda: plain_forward(model, spec, collection, args.batch_size),
        "one layer": lambda: build_indexes(model, spec, collection, [args.layer], batch_size=args.batch_size),
        "all layers": lambda: build_indexes(model, spec, collection, every, batch_size=args.batch_size),
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(args.repeats):
        for name, work in contenders.items():
            runs[name].append(timed(work))
    rate = {name: n / min(wall for wall, _ in r) for name, r in runs.items()}
    cpu = {name: n / min(c for _, c in r) for name, r in runs.items()}
    print(f"{'':<30} {'wall: crops/s':>14} {'ratio':>6}   {'CPU: crops/s':>13} {'ratio':>6}")
    for name in contenders:
        label = {"forward": "plain batched forward", "one layer": f"index, one layer ({args.layer})",
                 "all layers": f"index, all {len(every)} layers"}[name]
        print(f"{label:<30} {rate[name]:14.1f} {rate[name] / rate['forward']:6.2f}   "
              f"{cpu[name]:13.1f} {cpu[name] / cpu['forward']:6.2f}")
    print("target: index throughput >= 0.80 of the plain forward")

    with tempfile.TemporaryDirectory() as cache:
        os.environ["UDL_VIZ_CACHE"] = cache
        index = unit_indexes(model, spec, collection, every, batch_size=args.batch_size)[args.layer]
        fingerprint = model_fingerprint(model)
        rng = np.random.default_rng(0)
        query, with_patches = [], []
        for unit in rng.integers(0, index.units, args.queries).tolist():
            start = time.perf_counter()
            hits = load_cached(spec.name, fingerprint, args.layer, collection.key).top(unit, 9)
            query.append(time.perf_counter() - start)
            [crop_pixels(collection.load(h.image), h.box, h.flip, max_side=160) for h in hits]
            with_patches.append(time.perf_counter() - start)
    median, p95 = statistics.median(query) * 1000, float(np.percentile(query, 95)) * 1000
    print(f"query from the disk cache   median {median:.1f} ms, p95 {p95:.1f} ms   ratio to the 100 ms "
          f"budget {p95 / 100:.2f}")
    print(f"query + cutting 9 patches   median {statistics.median(with_patches) * 1000:.1f} ms")
    print(json.dumps({"model": spec.name, "crops": n, "forward_per_s": round(rate["forward"], 2),
                      "index_one_layer_per_s": round(rate["one layer"], 2),
                      "index_all_layers_per_s": round(rate["all layers"], 2),
                      "ratio_one_layer": round(rate["one layer"] / rate["forward"], 3),
                      "ratio_all_layers": round(rate["all layers"] / rate["forward"], 3),
                      "cpu_ratio_one_layer": round(cpu["one layer"] / cpu["forward"], 3),
                      "cpu_ratio_all_layers": round(cpu["all layers"] / cpu["forward"], 3),
                      "query_median_ms": round(median, 2), "query_p95_ms": round(p95, 2)}))


if __name__ == "__main__":
    main()
