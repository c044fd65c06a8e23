"""lime's defaults as a lime user runs them: in a Python process of their own, with the tutorial's classifier.

The peer of the LIME rows in ``bench_lime.py`` and ``bench_pages.py``. In the benchmark's own process a
float32 forward pass is up to three times faster after captum's Integrated Gradients (or other large
work with gradients) has run there: glibc's allocator then keeps the big activation buffers instead of
mapping fresh pages for every batch. A lime user's script has not done that work, so the peer runs in a
worker process that has loaded the model and nothing more; ``warm=True`` runs one Integrated Gradients
call there first, to show the peer at its fastest too.

    with LimePeer(threads=2) as peer:
        seconds, weights = peer(path, seed=1)  # from opening the photo to lime's explanation
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class LimePeer:
    """A worker process running ``LimeImageExplainer().explain_instance`` with its defaults, one photo a call."""

    def __init__(self, threads: int = 2, warm: bool = False) -> None:
        self.folder = tempfile.TemporaryDirectory()
        command = [sys.executable, str(Path(__file__).resolve()), "--threads", str(threads)]
        command += ["--warm"] if warm else []
        self.proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._answer()  # the model is loaded

    def __call__(self, path: Path, seed: int = 1, target: int | None = None):
        """Seconds from opening ``path`` to the explanation, and its per-pixel weight map for ``target``.

        ``target`` None: the top class; the map is then that class's.
        """
        import numpy as np

        out = Path(self.folder.name) / "map.npy"
        request = {"path": str(path), "seed": seed, "target": target, "out": str(out)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._answer()["seconds"], np.load(out)

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the lime peer's process ended (exit code {self.proc.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.folder.cleanup()

    def __enter__(self) -> LimePeer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def plain_classifier(model, spec):
    """The classifier function a lime user writes: preprocess, forward (float32), softmax."""
    import torch

    def classify(images):
        x = torch.stack([spec.preprocess.scale(torch.from_numpy(img).permute(2, 0, 1).float()) for img in images])
        with torch.no_grad():
            return torch.softmax(model(x), dim=1).numpy()

    return classify


def worker(threads: int, warm: bool) -> None:
    """Answer requests from stdin, one JSON line each, until it closes."""
    import os

    os.environ["TQDM_DISABLE"] = "1"  # no progress bar from explain_instance
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import torch
    from lime.lime_image import LimeImageExplainer
    from PIL import Image

    from udl_viz.lime_image import model_pixels
    from udl_viz.models import DEFAULT_MODEL, get_spec, load_model

    torch.set_num_threads(threads)
    spec = get_spec(DEFAULT_MODEL)
    model = load_model(spec.name).eval()
    classify = plain_classifier(model, spec)
    if warm:
        from captum.attr import IntegratedGradients

        x = torch.rand(1, spec.channels, spec.input_size, spec.input_size)
        IntegratedGradients(model).attribute(x, target=0, n_steps=16, internal_batch_size=16)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        start = time.perf_counter()
        pixels = model_pixels(spec, Image.open(request["path"]).convert("RGB"))
        exp = LimeImageExplainer(random_state=request["seed"]).explain_instance(pixels, classify)
        seconds = time.perf_counter() - start
        target = exp.top_labels[0] if request["target"] is None else request["target"]
        weights = np.zeros(exp.segments.max() + 1)
        for feature, weight in exp.local_exp[target]:
            weights[feature] = weight
        np.save(request["out"], weights[exp.segments])
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The lime peer's worker process (used by the LIME benchmarks).")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args()
    worker(args.threads, args.warm)
