"""Saliency and LIME pages after an upload, in a real browser, each against its peer in the same run.

1. Saliency maps, "All methods side by side": from setting the upload until the first tile's chart is
   drawn and until every tile is (targets: first <= 1.5 s, all <= 12 s). Against the same methods one
   after another in this process, in the page's order (cheapest first), timed from opening the photo
   to the first and to the last map: captum with its default options for the same work
   (``bench_saliency.captum_peers``) and, for LIME, lime's ``explain_instance`` defaults. With
   ``--in-process``, udl_viz's own methods (``get_method(m).attribute``) in this process too, to tell
   the server's and browser's share from the computing.
2. LIME page: from setting the upload until the explanation (top superpixels) is drawn, against
   ``LimeImageExplainer().explain_instance`` with its defaults (quickshift, 1000 samples, batch_size 10)
   and a plain float32 torch classifier on the same photo, in a process of its own as a lime user runs
   it (``lime_peer.LimePeer``; ``--warm-peer``: after a large gradient call there, its fastest float32)
   (target: >= 3x faster).

The server is ``streamlit run app.py`` with an empty cache folder of its own and the warm-up on, as a
real server has it; the home page is opened once and the warm-up awaited before anything is timed.
Every repeat uploads another held-out photo from ../shared/data/imagenet-sample-100 (no built-in
sample, none the LIME stop rule was tuned on), so no result is cached; the contestants take turns
going first. A chart counts as drawn when the browser shows it with the new photo's result (its plotly
data differ from every chart's on the page before the upload; a redraw of an old chart after a resize
gives new canvas images but the same data, and once counted it as drawn). The machine may be shared:
compare the peers within a run.

    python benchmarks/bench_pages.py [--repeats 2] [--threads 2] [--in-process] [--only lime] [--warm-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_lime import TUNED  # noqa: E402
from benchmarks.bench_saliency import captum_peers  # noqa: E402
from benchmarks.lime_peer import LimePeer, plain_classifier  # noqa: E402
from tests.browser import (  # noqa: E402
    chromium_browser,
    exceptions,
    open_page,
    streamlit_server,
    wait_until_rendered,
)

PHOTOS = ROOT.parent / "shared" / "data" / "imagenet-sample-100" / "images"
UPLOADER = "[data-testid='stFileUploaderDropzoneInput']"
GRID = "Saliency_Maps?source=Upload&saliency_section=All+methods+side+by+side"
LIME = "LIME?source=Upload"
LABELS = {"page": "page, tile drawn", "ours": "udl_viz in-process", "peer": "captum/lime defaults"}
LIME_KEYS = ["lime_top", "lime_heatmap"]  # the explanation, then the weight of every superpixel
#: What a plotly chart shows, by its data: 64 characters spread over each trace's (base64) arrays. A resize
#: redraws the same data as new canvas images, so the data, not the drawn images, tells a new chart apart.
FINGERPRINTS = """const sample = v => {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : (v.bdata ?? JSON.stringify(v));
  let out = s.length + ':';
  for (let i = 0; i < 64; i++) out += s[Math.floor(s.length * i / 64)] ?? '';
  return out;
};
const fingerprints = root => [...root.querySelectorAll('.js-plotly-plot')].map(gd => JSON.stringify(
  (gd.data || []).map(t => [t.type, sample(t.z), sample(t.source), sample(t.x), sample(t.y)])));
const box = key => document.querySelector(`[data-testid="stElementContainer"].st-key-${key}`);"""
#: The data fingerprints of the charts in each keyed container, by key (an empty list while none is drawn).
CHARTS = f"""(keys) => {{ {FINGERPRINTS}
  return Object.fromEntries(keys.map(k => [k, box(k) ? fingerprints(box(k)) : []])); }}"""
#: Installs a watcher that notes in ``window.__drawn``, by key, when (performance.now() ms) each keyed chart is
#: first drawn, not stale, with data that was on no chart before, and that data; returns the install time.
WATCH = f"""(keys) => {{ {FINGERPRINTS}
  const old = new Set(fingerprints(document));
  window.__old = [...old];
  const drawn = window.__drawn = {{}};
  let queued = false;
  const check = () => {{
    queued = false;
    for (const key of keys) {{
      if (key in drawn) continue;
      const b = box(key);
      if (!b || b.getAttribute('data-stale') === 'true') continue;
      const fresh = fingerprints(b).filter(f => !old.has(f));
      if (fresh.length) drawn[key] = [performance.now(), fresh[0]];
    }}
  }};
  new MutationObserver(() => {{ if (!queued) {{ queued = true; requestAnimationFrame(check); }} }})
    .observe(document.body, {{subtree: true, childList: true, attributes: true}});
  return performance.now();
}}"""


def held_out_photos() -> list[Path]:
    """The imagenet sample in a fixed shuffle, without the photos the LIME stop rule was tuned on."""
    photos = sorted(p for p in PHOTOS.glob("*") if p.name not in TUNED)
    random.Random(7).shuffle(photos)
    return photos


def upload_and_time(page, path: Path, keys: list[str], timeout_s: float = 600) -> dict[str, float]:
    """Seconds from setting ``path`` in the page's uploader until each of ``keys``' charts is drawn with it.

    The charts of the image before must be drawn first: their images are the ones that do not count.
    """
    page.wait_for_function(f"(keys) => Object.values(({CHARTS})(keys)).every(charts => charts.length)", arg=keys,
                           timeout=timeout_s * 1000)
    start = page.evaluate(WATCH, keys)
    page.locator(UPLOADER).set_input_files(str(path))
    page.wait_for_function("(keys) => keys.every(k => k in window.__drawn)", arg=keys, timeout=timeout_s * 1000)
    drawn = page.evaluate("window.__drawn")
    wait_until_rendered(page)
    problems = exceptions(page)
    if problems:
        raise RuntimeError(f"the page failed on {path.name}: {problems}")
    page.get_by_text(f"Current image: {path.name}").wait_for(timeout=10_000)
    final, old = page.evaluate(CHARTS, keys), set(page.evaluate("window.__old"))
    wrong = [key for key in keys if not final[key] or old & set(final[key])]
    if wrong:
        raise RuntimeError(f"charts that still show the image before the upload: {wrong}")
    early = [key for key in keys if drawn[key][1] not in final[key]]
    if early:
        raise RuntimeError(f"charts first drawn with other data than they end with: {early}")
    return {key: (drawn[key][0] - start) / 1000 for key in keys}


def cumulative(steps: list[Callable[[], object]]) -> list[float]:
    """Seconds from the start until each step has finished, running them in order."""
    start = time.perf_counter()
    out = []
    for step in steps:
        step()
        out.append(time.perf_counter() - start)
    return out


def wait_for_warmup(ready_file: Path, timeout_s: float = 300) -> dict:
    deadline = time.monotonic() + timeout_s
    while not ready_file.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the server's warm-up did not finish")
        time.sleep(1)
    return json.loads(ready_file.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="uploads per page, another photo each")
    parser.add_argument("--threads", type=int, default=2, help="torch threads of the in-process peers")
    parser.add_argument("--in-process", action="store_true",
                        help="also time udl_viz's saliency methods in this process (a few minutes more)")
    parser.add_argument("--only", choices=["saliency", "lime"], help="time only this page")
    parser.add_argument("--warm-peer", action="store_true",
                        help="lime's process runs one Integrated Gradients call first (its fastest float32)")
    args = parser.parse_args()
    began = time.perf_counter()
    os.environ["TQDM_DISABLE"] = "1"  # no progress bar from lime's explain_instance (read when tqdm is imported)

    import torch
    from captum.attr import IntegratedGradients, Saliency
    from lime.lime_image import LimeImageExplainer
    from PIL import Image

    from udl_viz.attribution import METHODS, get_method
    from udl_viz.attribution.integrated_gradients import BATCH
    from udl_viz.images import load_image
    from udl_viz.inference import predict
    from udl_viz.lime_image import model_pixels
    from udl_viz.models import DEFAULT_MODEL, get_spec, load_model

    warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU")  # captum's, on every call
    warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")
    torch.set_num_threads(args.threads)
    spec = get_spec(DEFAULT_MODEL)
    model = load_model(spec.name).requires_grad_(False)
    classify = plain_classifier(model, spec)
    order = sorted(METHODS, key=lambda m: METHODS[m].expected_passes(spec, METHODS[m].resolve(spec)))
    photos = held_out_photos()
    grid_photos, lime_photos = photos[: args.repeats], photos[args.repeats: 2 * args.repeats]

    def ours_grid(path: Path) -> list[float]:
        """udl_viz's methods in this process, from the file to each map."""
        state = {}

        def prepare() -> None:
            image = load_image(path.read_bytes())
            state["x"] = spec.preprocess(image).unsqueeze(0)
            state["target"] = predict(model, spec, image, 1)[0].index

        times = cumulative([prepare] + [lambda m=m: get_method(m).attribute(model, state["x"], state["target"],
                                                                          spec=spec) for m in order])
        return times[1:]

    def peer_grid(path: Path) -> list[float]:
        """captum's (and lime's) defaults in this process, from the file to each map."""
        state = {}

        def prepare() -> None:
            image = Image.open(path).convert("RGB")
            x = spec.preprocess(image).unsqueeze(0)
            with torch.no_grad():
                target = int(model(x).argmax())
            state.update(captum_peers(model, spec, x, target))
            state["lime"] = lambda: LimeImageExplainer(random_state=1).explain_instance(
                model_pixels(spec, image), classify)

        times = cumulative([prepare] + [lambda m=m: state[m]() for m in order])
        return times[1:]

    warm_photo = Image.open(photos[-1]).convert("RGB")  # never uploaded
    x = spec.preprocess(warm_photo).unsqueeze(0)
    for _ in range(2):  # warm up oneDNN kernels for batch sizes 1, 10 (lime) and BATCH (IG)
        Saliency(model).attribute(x.clone().requires_grad_(), target=0)
        IntegratedGradients(model).attribute(x, target=0, n_steps=BATCH, internal_batch_size=BATCH)
        classify(model_pixels(spec, warm_photo)[None].repeat(10, axis=0))
        if args.in_process:
            for method in order[:3]:  # the quick ones: their one-time set-up is not what is compared
                get_method(method).attribute(model, x, 0, spec=spec)

    print(f"torch threads in this process: {args.threads}; model {spec.name}; {len(order)} methods: "
          f"{', '.join(order)}")
    os.environ.pop("UDL_VIZ_WARMUP", None)  # on, as a real server has it
    with tempfile.TemporaryDirectory() as tmp:
        ready_file = Path(tmp) / "ready.json"
        os.environ["UDL_VIZ_READY_FILE"] = str(ready_file)
        with streamlit_server() as url, chromium_browser() as browser:
            home = open_page(browser, url)
            warm = wait_for_warmup(ready_file)
            home.close()
            print(f"server up, home page opened, warm-up done: {warm}", flush=True)
            runners = {"ours": ours_grid, "peer": peer_grid} if args.in_process else {"peer": peer_grid}
            if args.only != "lime":
                saliency_row(browser, url, grid_photos, order, runners)
            if args.only != "saliency":
                with LimePeer(args.threads, warm=args.warm_peer) as peer:
                    lime_row(browser, url, lime_photos, lambda path: peer(path, seed=1)[0])
    print(f"\ntotal {time.perf_counter() - began:.0f} s")


def saliency_row(browser, url: str, photos: list[Path], order: list[str],
                 runners: dict[str, Callable[[Path], list[float]]]) -> None:
    """Time the grid's tiles after each upload and ``runners``' maps on the same photo, taking turns."""
    print(f"\n1. Saliency, all {len(order)} methods side by side after an upload "
          "(seconds; targets: first tile <= 1.5, all <= 12)")
    contestants = ["page", *runners]
    rows = []
    for repeat, path in enumerate(photos):
        turn = contestants[repeat % len(contestants):] + contestants[: repeat % len(contestants)]
        row = {}
        for who in turn:
            if who == "page":
                page = open_page(browser, f"{url}/{GRID}", timeout_ms=600_000)
                tiles = upload_and_time(page, path, [f"saliency_tile_{m}" for m in order])
                page.close()
                row["page"] = [tiles[f"saliency_tile_{m}"] for m in order]
            else:
                row[who] = runners[who](path)
        rows.append(row)
        print(f"  {path.name} (first: {turn[0]})", flush=True)
        for who in contestants:
            times = " ".join(f"{m} {t:.2f}" for m, t in zip(order, row[who], strict=True))
            print(f"    {LABELS[who]:22s} {times}")
    print(f"  median of {len(rows)}:")
    for who in contestants:
        first, last = (statistics.median(pick(r[who]) for r in rows) for pick in (min, max))
        print(f"    {LABELS[who]:22s} first {first:6.2f}, all {last:6.2f}")


def lime_row(browser, url: str, photos: list[Path], peer: Callable[[Path], float]) -> None:
    """Time the LIME page's explanation after each upload and ``peer`` on the same photo, taking turns."""
    print("\n2. LIME page after an upload (seconds until the explanation is drawn; target: >= 3x faster "
          "than lime's defaults)")
    ratios = []
    for repeat, path in enumerate(photos):
        turn = ["page", "lime"] if repeat % 2 == 0 else ["lime", "page"]
        row = {}
        for who in turn:
            if who == "page":
                page = open_page(browser, f"{url}/{LIME}", timeout_ms=600_000)
                row.update(upload_and_time(page, path, LIME_KEYS))
                page.close()
            else:
                row["lime"] = peer(path)
        ratios.append(row["lime"] / row["lime_top"])
        print(f"  {path.name} (first: {turn[0]}): page {row['lime_top']:.2f} (weight map "
              f"{row['lime_heatmap']:.2f}), lime defaults {row['lime']:.2f}, {ratios[-1]:.1f}x faster", flush=True)
    print(f"  median {statistics.median(ratios):.1f}x faster (min {min(ratios):.1f}x)")


if __name__ == "__main__":
    main()
