"""Classroom load: response times of 10 concurrent sessions, and server memory under uploads.

Each session's time under load is compared with the same page alone in the same run: ten
different demos, and ten sessions opening the same page (the default Layer activations view,
whose heavy results are computed once and shared). Measured three ways:

- server: sessions without a browser (``session_client``), from opening the page until its script
  finished; this is the server's share of what a student waits for.
- browsers on this machine: Chromium sessions from ``goto`` until drawn and idle. Ten browsers
  draw on the server's own 2 cores here, which a class's laptops do not.
- a student's view: the page drawn alone in a browser plus the extra server time under load, i.e.
  every student drawing on a laptop of their own.

Server memory (RSS) is read after 10 and after 200 uploads (``--uploads 0`` skips that part).

    python benchmarks/bench_load.py [--uploads 200]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.session_client import open_all, page_of  # noqa: E402
from tests.browser import chromium_browser, streamlit_server, wait_until_rendered  # noqa: E402
from tests.test_browser_load import LINKS  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_pid(port: str) -> int:
    """The streamlit process listening on ``port``."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
                return int(proc.name)
    raise RuntimeError("streamlit server not found")


def timed_render(browser, url: str) -> float:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(url)
    wait_until_rendered(page, settle_ms=100)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def server_times(url: str, links: list[str]) -> tuple[float, list[float]]:
    """Median server time of each link opened alone (3 times), and each session's with all opened at once."""
    pages = [page_of(link) for link in links]
    alone = [statistics.median(open_all(url, [page])[0].seconds for _ in range(3)) for page in dict.fromkeys(pages)]
    runs = open_all(url, pages)
    if failed := [r for r in runs if not r.finished or r.exception]:
        raise RuntimeError(f"{len(failed)} sessions failed: {failed[0].exception or 'did not finish'}")
    return statistics.median(alone), [r.seconds for r in runs]


def report(name: str, solo_server: float, loaded_server: list[float], solo_browser: float,
           loaded_browser: list[float]) -> None:
    server, browsers = statistics.median(loaded_server), statistics.median(loaded_browser)
    student = solo_browser + server - solo_server
    print(f"{name}:\n  server: alone {solo_server:.2f} s, 10 at once median {server:.2f} s "
          f"(slowest {max(loaded_server):.2f} s), {server / solo_server:.1f}x\n"
          f"  browsers on this machine: alone {solo_browser:.2f} s, 10 at once median {browsers:.2f} s "
          f"(slowest {max(loaded_browser):.2f} s), {browsers / solo_browser:.1f}x\n"
          f"  a student's view (own laptop draws): {solo_browser:.2f} s alone, {student:.2f} s with 10 at once, "
          f"{student / solo_browser:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=200)
    args = parser.parse_args()

    with streamlit_server() as url, chromium_browser() as browser:
        pid = server_pid(url.rsplit(":", 1)[1])
        for link in LINKS:  # warm the model cache
            timed_render(browser, f"{url}/{link}")
        alone = [timed_render(browser, f"{url}/{link}") for link in LINKS]

        pages, start = [], time.perf_counter()
        for link in LINKS:
            page = browser.new_page()
            page.goto(f"{url}/{link}", wait_until="commit")
            pages.append(page)
        loaded = []
        for page in pages:
            wait_until_rendered(page, settle_ms=100)
            loaded.append(time.perf_counter() - start)
            page.close()
        report("ten demos", *server_times(url, LINKS), statistics.median(alone), loaded)

        same = f"{url}/Layer_Activations?sample=Astronaut"
        timed_render(browser, same)  # its results are cached now, as after the first student
        solo = statistics.median(timed_render(browser, same) for _ in range(3))
        pages, start = [], time.perf_counter()
        for _ in range(10):
            page = browser.new_page()
            page.goto(same, wait_until="commit")
            pages.append(page)
        together = []
        for page in pages:
            wait_until_rendered(page, settle_ms=100)
            together.append(time.perf_counter() - start)
            page.close()
        report("the same page", *server_times(url, [same.split("/", 3)[3]] * 10), solo, together)
        if args.uploads <= 0:
            return

        page = browser.new_page()
        page.goto(f"{url}/Layer_Activations?source=Upload")
        wait_until_rendered(page)
        uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
        rng = np.random.default_rng(0)
        with tempfile.TemporaryDirectory() as tmp:
            memory = {}
            for i in range(1, args.uploads + 1):
                path = Path(tmp) / f"upload_{i:03d}.png"
                buffer = io.BytesIO()
                Image.fromarray(rng.integers(0, 255, (256, 256, 3), dtype=np.uint8)).save(buffer, "PNG")
                path.write_bytes(buffer.getvalue())
                uploader.set_input_files(str(path))
                page.get_by_text(f"Current image: {path.name}").wait_for(timeout=120_000)
                if i in (10, args.uploads):
                    wait_until_rendered(page, settle_ms=100)
                    memory[i] = rss_mb(pid)
        print(f"server memory after 10 uploads: {memory[10]:.0f} MB; after {args.uploads}: "
              f"{memory[args.uploads]:.0f} MB; ratio {memory[args.uploads] / memory[10]:.2f}x")


if __name__ == "__main__":
    main()
