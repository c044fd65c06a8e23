"""Seven torch.optim optimizers × 500 steps on Rosenbrock, and their animated figure.

    python benchmarks/bench_descent.py [--steps 500] [--repeats 3]

udl_viz (one analytic gradient per step for all optimizers at once, frames carrying only the
thinned paths over a static background) against a straightforward peer doing the same work in
the same run: an autograd loop per optimizer, and a figure with a contour trace and one frame
per step that repeats every path so far. Prints the time of each part (best of the repeats,
wall clock and CPU), the ratio, and the size of the JSON each figure sends to the browser.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.figures.descent import contour_figure, race_title  # noqa: E402
from udl_viz.optim.descent import race  # noqa: E402
from udl_viz.optim.optimizers import OPTIMIZERS, config  # noqa: E402
from udl_viz.optim.surfaces import SURFACES, grid, surface_view  # noqa: E402

SURFACE = SURFACES["rosenbrock"]
CONFIGS = [config(name, SURFACE.lr[name]) for name in OPTIMIZERS]


def fast(steps: int) -> dict[str, float]:
    """udl_viz: vectorised stepping, light animated figure."""
    t0 = time.perf_counter(), time.process_time()
    runs = race(SURFACE, CONFIGS, SURFACE.start, steps)
    t1 = time.perf_counter(), time.process_time()
    view = surface_view(SURFACE)
    fig = contour_figure(view, runs, race_title(view, runs))
    t2 = time.perf_counter(), time.process_time()
    payload = pio.to_json(fig, validate=False)
    t3 = time.perf_counter(), time.process_time()
    return _parts(t0, t1, t2, t3, payload)


def naive(steps: int) -> dict[str, float]:
    """The peer: autograd per optimizer and step; every frame repeats every path so far."""
    t0 = time.perf_counter(), time.process_time()
    paths = []
    for c in CONFIGS:
        p = torch.tensor(SURFACE.start, dtype=torch.float64, requires_grad=True)
        opt = c.build([p])
        path = [p.detach().clone().numpy()]
        for _ in range(steps):
            opt.zero_grad()
            SURFACE.value(p).backward()
            opt.step()
            path.append(p.detach().clone().numpy())
        paths.append(np.array(path))
    t1 = time.perf_counter(), time.process_time()
    x, y, loss = (t.numpy() for t in grid(SURFACE, 120))
    fig = go.Figure([go.Contour(x=x, y=y, z=np.log10(loss + 1e-3))]
                    + [go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines+markers", name=c.label)
                       for path, c in zip(paths, CONFIGS, strict=True)])
    fig.frames = [go.Frame(data=[go.Scatter(x=path[:k + 1, 0], y=path[:k + 1, 1]) for path in paths],
                           traces=list(range(1, len(paths) + 1)), name=str(k)) for k in range(steps + 1)]
    fig.update_layout(updatemenus=[{"type": "buttons", "buttons": [
        {"label": "Play", "method": "animate", "args": [None, {"frame": {"duration": 50, "redraw": True}}]}]}])
    t2 = time.perf_counter(), time.process_time()
    payload = pio.to_json(fig, validate=False)
    t3 = time.perf_counter(), time.process_time()
    return _parts(t0, t1, t2, t3, payload)


def _parts(t0, t1, t2, t3, payload: str) -> dict[str, float]:
    return {"steps_s": t1[0] - t0[0], "figure_s": t2[0] - t1[0], "json_s": t3[0] - t2[0], "total_s": t3[0] - t0[0],
            "total_cpu_s": t3[1] - t0[1], "json_mb": len(payload) / 1e6}


def best(fn, steps: int, repeats: int) -> dict[str, float]:
    results = [fn(steps) for _ in range(repeats)]
    return {k: min(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    fast(10), naive(10)  # warm up: torch.optim and plotly do one-off work on first use
    ours, peer = best(fast, args.steps, args.repeats), best(naive, args.steps, args.repeats)
    print(f"{len(CONFIGS)} optimizers × {args.steps} steps on {SURFACE.title}, best of {args.repeats}")
    print(f"{'':22s}{'steps':>9s}{'figure':>9s}{'json':>9s}{'total':>9s}{'total CPU':>11s}{'JSON MB':>9s}")
    for name, r in (("udl_viz", ours), ("straightforward peer", peer)):
        print(f"{name:22s}{r['steps_s']:9.3f}{r['figure_s']:9.3f}{r['json_s']:9.3f}{r['total_s']:9.3f}"
              f"{r['total_cpu_s']:11.3f}{r['json_mb']:9.2f}")
    print(f"speed-up (peer / udl_viz): steps {peer['steps_s'] / ours['steps_s']:.1f}×, "
          f"figure + JSON {(peer['figure_s'] + peer['json_s']) / (ours['figure_s'] + ours['json_s']):.1f}×, "
          f"total {peer['total_s'] / ours['total_s']:.1f}× (CPU {peer['total_cpu_s'] / ours['total_cpu_s']:.1f}×); "
          f"JSON {peer['json_mb'] / ours['json_mb']:.1f}× smaller")
    print(f"targets: total < 0.5 s -> wall {ours['total_s']:.3f} s, CPU {ours['total_cpu_s']:.3f} s "
          "(on a busy machine wall time includes waiting for other processes); "
          f"figure < 2 MB -> {ours['json_mb']:.2f} MB")


if __name__ == "__main__":
    main()
