"""Forward-only attribution work in ONNX Runtime (``runtime.accelerate``) against the same work in torch.

Occlusion (the page's default patches) and the deletion/insertion curves (24 steps) of
EfficientNet-Lite0, in a worker thread as a streamlit page runs them, on held-out photos, the
two engines taking turns going first: the registry's model (published weights, so ONNX Runtime)
against a copy of it (not published, so torch fp32 at ``heap_batch``). Prints each run's seconds,
the largest difference between the two maps or curves, and the median ratio. The one-time ONNX
export is done before timing and printed.

    python benchmarks/bench_engines.py [--photos 4] [--threads 2]
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pages import held_out_photos  # noqa: E402
from benchmarks.script_thread import in_script_thread, median_line, photo_arguments  # noqa: E402


def main() -> None:
    args = photo_arguments(__doc__.splitlines()[0], photos=4)

    import numpy as np
    import torch

    from udl_viz.allocator import keep_freed_memory
    from udl_viz.attribution import get_method
    from udl_viz.attribution.faithfulness import deletion_insertion
    from udl_viz.images import load_image
    from udl_viz.inference import predict
    from udl_viz.models import DEFAULT_MODEL, get_spec, load_model

    keep_freed_memory()
    torch.set_num_threads(args.threads)
    spec = get_spec(DEFAULT_MODEL)
    models = {"onnxruntime": load_model(spec.name)}
    models["torch"] = copy.deepcopy(models["onnxruntime"])
    occlusion = get_method("occlusion")

    def occlude(engine: str, x: torch.Tensor, target: int) -> np.ndarray:
        result = occlusion.attribute(models[engine], x, target, spec=spec)
        assert result.extras["engine"] == engine, result.extras
        return result.map

    def curves(engine: str, x: torch.Tensor, target: int) -> np.ndarray:
        ranking = np.random.default_rng(0).random(tuple(x.shape[-2:]))
        f = deletion_insertion(models[engine], x, target, ranking, steps=24)
        return np.concatenate([f.deletion.probs, f.insertion.probs])

    def run() -> None:
        warm = spec.preprocess(load_image(held_out_photos()[-1].read_bytes())).unsqueeze(0)
        start = time.perf_counter()
        occlude("onnxruntime", warm, 0)
        print(f"{spec.name}, torch threads {args.threads}; first occlusion in ONNX Runtime (export, check, map) "
              f"{time.perf_counter() - start:.2f} s")
        for work in (occlude, curves):  # one-time set-up is not what is compared
            work("torch", warm, 0)
        ratios = {"occlusion": [], "deletion/insertion": []}
        for i, path in enumerate(held_out_photos()[: args.photos]):
            image = load_image(path.read_bytes())
            x, target = spec.preprocess(image).unsqueeze(0), predict(models["torch"], spec, image, 1)[0].index
            print(path.name)
            for name, work in zip(ratios, (occlude, curves), strict=True):
                order = ("torch", "onnxruntime") if i % 2 == 0 else ("onnxruntime", "torch")
                seconds, out = {}, {}
                for engine in order:
                    start = time.perf_counter()
                    out[engine] = work(engine, x, target)
                    seconds[engine] = time.perf_counter() - start
                gap = float(np.abs(out["torch"] - out["onnxruntime"]).max() / (np.abs(out["torch"]).max() or 1))
                ratios[name].append(seconds["torch"] / seconds["onnxruntime"])
                print(f"  {name:18s} torch {seconds['torch']:5.2f} s   onnxruntime {seconds['onnxruntime']:5.2f} s   "
                      f"{ratios[name][-1]:.2f}x   largest difference {gap:.1e} of the largest value")
        print(median_line(ratios))

    in_script_thread(run)


if __name__ == "__main__":
    main()
