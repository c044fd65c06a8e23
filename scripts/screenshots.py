"""Take a screenshot of every page in headless Chromium for the README.

    python scripts/screenshots.py [--out docs/screenshots] [--projector]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, open_page, page_path, streamlit_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--projector", action="store_true", help="screenshots in projector mode")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    query = "?projector=true" if args.projector else ""
    targets = [("home", "")] + [(page_path(p), page_path(p)) for p in sorted((ROOT / "pages").glob("*.py"))]
    with streamlit_server() as url, chromium_browser() as browser:
        for name, path in targets:
            page = open_page(browser, f"{url}/{path}{query}", width=1280, height=1000)
            page.wait_for_timeout(1500)  # let plotly finish drawing
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            page.close()
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
