"""Take a screenshot of every page of the tour in headless Chromium for the README.

    python scripts/screenshots.py [--out docs/screenshots] [--normal]

By default the pages are shown as in a lecture hall: 1280×720 in projector mode.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, open_page, streamlit_server  # noqa: E402
from tests.layout_checks import tour_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--normal", action="store_true", help="1920×1080 without projector mode")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    query, width, height = ("", 1920, 1080) if args.normal else ("?projector=true", 1280, 720)
    targets = [("home", "")] + [(path, path) for path, _label in tour_pages()]
    with streamlit_server() as url, chromium_browser() as browser:
        for name, path in targets:
            page = open_page(browser, f"{url}/{path}{query}", width=width, height=height,
                             timeout_ms=600_000)  # a first visit computes the page's demo (LIME: minutes)
            if path:
                page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=180_000)
            page.wait_for_timeout(1500)  # let plotly finish drawing
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            page.close()
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
