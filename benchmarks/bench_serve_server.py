"""The class server's own share of the wait: 30 sessions over 3 processes against 1, with no browser.

``bench_serve.py`` drives 30 Chromium sessions, which on one 2-core machine spend most of their time
drawing pages on the same cores as the server. Here the same 30 sessions (the ten demos, three
times) are opened through nginx with ``session_client`` (the browser's protocol, no drawing), all at
once, on 1 process and then on 3, each warmed up and with its results already cached: the median and
p95 time from opening a page to its script finishing, and errors.

    python benchmarks/bench_serve_server.py [--sessions 30] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.session_client import open_all, page_of  # noqa: E402
from tests.test_browser_load import LINKS  # noqa: E402
from udl_viz.serving.server import ClassServer, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    pages = [page_of(link) for link in LINKS]
    sessions = [pages[i % len(pages)] for i in range(args.sessions)]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["UDL_VIZ_CACHE"] = str(Path(tmp) / "cache")  # shared by both servers, as in one class server
        for replicas in (1, 3):
            server = ClassServer(replicas, free_port())
            server.start()
            try:
                open_all(server.url, pages * replicas)  # every process has opened every demo once
                times, errors = [], 0
                for _ in range(args.repeats):
                    runs = open_all(server.url, sessions)
                    errors += sum(not r.finished or bool(r.exception) for r in runs)
                    times += [r.seconds for r in runs]
            finally:
                server.stop()
            times.sort()
            print(f"{replicas} process(es): {len(times)} sessions in {args.repeats} waves of {args.sessions}, "
                  f"errors {errors}, median {statistics.median(times):.2f} s, "
                  f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} s")


if __name__ == "__main__":
    main()
