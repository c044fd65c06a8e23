"""Occlusion, SmoothGrad and Integrated Gradients at ``heap_batch`` against their former fixed batches.

Both run in a worker thread of one process, as a streamlit page runs them, after
``keep_freed_memory()`` as the app calls it, on the same held-out photos, taking turns going
first; each map's seconds and the page faults it took (the thread's own) are printed, then the
median ratio. The former batches were 16 (occlusion, SmoothGrad) and 10 (Integrated Gradients):
EfficientNet-Lite0's largest activation is then 77 MB and 48 MB, which glibc maps fresh each batch.

    python benchmarks/bench_batching.py [--photos 3] [--threads 2]
"""

from __future__ import annotations

import copy
import importlib
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pages import held_out_photos  # noqa: E402
from benchmarks.script_thread import in_script_thread, median_line, photo_arguments  # noqa: E402

#: Each method's module; its ``BATCH``, now ``heap_batch``'s cap, is the fixed batch it used before.
FORMER = {"occlusion": "occlusion", "smoothgrad": "smoothgrad", "ig": "integrated_gradients"}


def main() -> None:
    args = photo_arguments(__doc__.splitlines()[0], photos=3)

    from udl_viz.allocator import keep_freed_memory

    keep_freed_memory()
    import torch

    from udl_viz import runtime
    from udl_viz.attribution import get_method
    from udl_viz.batching import heap_batch
    from udl_viz.images import load_image
    from udl_viz.inference import predict
    from udl_viz.models import DEFAULT_MODEL, get_spec, load_model

    warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")
    torch.set_num_threads(args.threads)
    spec = get_spec(DEFAULT_MODEL)
    model = copy.deepcopy(load_model(spec.name))  # a copy stays in torch (bench_engines.py times ONNX Runtime)
    modules = {m: importlib.import_module(f"udl_viz.attribution.{name}") for m, name in FORMER.items()}
    x0 = torch.zeros(1, 3, spec.input_size, spec.input_size)
    print(f"{spec.name}: heap batch {heap_batch(model, x0, 16)}; former batches "
          f"{', '.join(f'{m} {module.BATCH}' for m, module in modules.items())}; torch threads {args.threads}")

    def timed(method: str, x: torch.Tensor, target: int, former: bool) -> tuple[float, int]:
        # occlusion picks its batch in runtime.accelerate (torch here: the copy is not published)
        site = runtime if method == "occlusion" else modules[method]
        site.heap_batch = (lambda _model, _x, cap: cap) if former else heap_batch
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        start = time.perf_counter()
        get_method(method).attribute(model, x, target, spec=spec)
        return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before

    def run() -> None:
        ratios = {m: [] for m in FORMER}
        warm = spec.preprocess(load_image(held_out_photos()[-1].read_bytes())).unsqueeze(0)
        for method in FORMER:  # one-time set-up (kernels, first heaps) is not what is compared
            for former in (True, False):
                timed(method, warm, 0, former)
        for i, path in enumerate(held_out_photos()[: args.photos]):
            image = load_image(path.read_bytes())
            x, target = spec.preprocess(image).unsqueeze(0), predict(model, spec, image, 1)[0].index
            print(path.name)
            for method in FORMER:
                order = (True, False) if i % 2 == 0 else (False, True)
                row = {former: timed(method, x, target, former) for former in order}
                (old_s, old_f), (new_s, new_f) = row[True], row[False]
                ratios[method].append(old_s / new_s)
                print(f"  {method:10s} former batch {old_s:5.2f} s ({old_f:>9,} faults)   "
                      f"heap batch {new_s:5.2f} s ({new_f:>9,} faults)   {old_s / new_s:.2f}x")
        print(median_line(ratios))

    in_script_thread(run)


if __name__ == "__main__":
    main()
