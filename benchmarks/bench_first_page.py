"""Layer activations as the first page after server start, against a bare streamlit page, same run.

Three fresh servers, each opened once by a new browser: a bare page (``st.title`` only: the
floor), ``streamlit run app.py`` opened the moment it answers its health check (the warm-up, which
starts with the server, is then still running), and ``python -m udl_viz serve --replicas 1``
(warmed up before it takes traffic). Each time runs from ``goto`` until the page has drawn its figures and gone idle.

    python benchmarks/bench_first_page.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, streamlit_server_for, wait_until_rendered  # noqa: E402
from udl_viz.serving.server import ClassServer, free_port  # noqa: E402

PAGE = "Layer_Activations"


def first_visit(browser, url: str, figures: bool = True) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    if figures:
        page.locator("[data-testid='stPlotlyChart'] .main-svg >> visible=true").first.wait_for(timeout=180_000)
    wait_until_rendered(page, settle_ms=100)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    os.environ["UDL_VIZ_WARMUP"] = "1"
    with tempfile.TemporaryDirectory() as tmp, chromium_browser() as browser:
        bare = Path(ROOT / f".bench_bare_{os.getpid()}.py")
        bare.write_text("import streamlit as st\nst.title('bare')\n")
        try:
            with streamlit_server_for(bare.name) as url:
                floor = first_visit(browser, url, figures=False)
        finally:
            bare.unlink()
        with streamlit_server_for("app.py") as url:
            cold = first_visit(browser, f"{url}/{PAGE}")
        os.environ["UDL_VIZ_CACHE"] = str(Path(tmp) / "cache")  # empty: warmed by the start-up only
        server = ClassServer(1, free_port())
        started = time.perf_counter()
        server.start()
        ready = time.perf_counter() - started
        try:
            warm = first_visit(browser, f"{server.url}/{PAGE}")
        finally:
            server.stop()
    print(f"first visit: bare streamlit page {floor:.1f} s; {PAGE} on plain `streamlit run app.py` {cold:.1f} s "
          f"({cold / floor:.1f}x bare); through `serve` after its warm-up ({ready:.0f} s to ready) {warm:.1f} s "
          f"({warm / floor:.1f}x bare)")


if __name__ == "__main__":
    main()
