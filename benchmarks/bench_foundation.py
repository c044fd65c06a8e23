"""Foundation benchmarks, each against a peer doing the same work in the same run.

1. Cold start: `streamlit run app.py` to the first rendered page in headless Chromium, against a
   bare one-line streamlit app; and to the Layer activations page (first model load included).
2. New image to prediction + activations (what the Layer activations page computes for a new
   image), against one plain forward pass of the same model on the same input.

    python benchmarks/bench_foundation.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cold_start(app: str, path: str = "") -> float:
    """Seconds from launching the server to a rendered page in Chromium."""
    from tests import browser

    start = time.perf_counter()
    original = browser.ROOT
    try:
        browser.ROOT = Path(app).parent
        with browser.streamlit_server_for(Path(app).name) as url, browser.chromium_browser() as b:
            page = b.new_page()
            page.goto(f"{url}/{path}")
            browser.wait_until_rendered(page, settle_ms=100)
            return time.perf_counter() - start
    finally:
        browser.ROOT = original


def image_to_activations(repeats: int) -> tuple[float, float]:
    """Median seconds for prediction + activations of a new image, and for one plain forward pass."""
    import torch

    from udl_viz.activations import layer_activations
    from udl_viz.inference import predict
    from udl_viz.models import get_spec, load_model
    from udl_viz.samples import PHOTOS, load_sample

    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0")
    images = [load_sample(name) for name in PHOTOS]
    ours, plain = [], []
    for _ in range(repeats):
        for image in images:
            t = time.perf_counter()
            predict(model, spec, image)
            layer_activations(model, spec, image, "_blocks.1")
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            with torch.inference_mode():
                model(spec.preprocess(image).unsqueeze(0))
            plain.append(time.perf_counter() - t)
    return statistics.median(ours), statistics.median(plain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    ours, plain = image_to_activations(args.repeats)
    print(f"new image -> prediction + activations: {ours * 1000:.0f} ms; plain forward pass: "
          f"{plain * 1000:.0f} ms; ratio {ours / plain:.2f}x")

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text("import streamlit as st\nst.title('hello')\n")
        bare_times = [cold_start(str(bare)) for _ in range(args.repeats)]
    home_times = [cold_start(str(ROOT / "app.py")) for _ in range(args.repeats)]
    page_times = [cold_start(str(ROOT / "app.py"), "Layer_Activations") for _ in range(args.repeats)]
    b, h, p = (statistics.median(t) for t in (bare_times, home_times, page_times))
    print(f"cold start to first rendered page: udl_viz home {h:.2f} s; bare streamlit app {b:.2f} s; "
          f"ratio {h / b:.2f}x")
    print(f"cold start to Layer activations (model load included): {p:.2f} s; ratio to bare {p / b:.2f}x")


if __name__ == "__main__":
    main()
