"""What the attribution benchmarks share: their command line, and running as a streamlit page runs (a worker thread)."""

from __future__ import annotations

import argparse
import statistics
import threading
from collections.abc import Callable


def photo_arguments(description: str, photos: int) -> argparse.Namespace:
    """``--photos`` (held-out photos, each done by both contestants) and ``--threads`` (torch threads)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--photos", type=int, default=photos, help="held-out photos, each done by both contestants")
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    return parser.parse_args()


def in_script_thread(run: Callable[[], None]) -> None:
    """``run()`` in a worker thread, where streamlit runs every page (its allocator arena differs from the main one)."""
    worker = threading.Thread(target=run, name="like-a-streamlit-script-thread")
    worker.start()
    worker.join()


def median_line(ratios: dict[str, list[float]]) -> str:
    """``median: a 1.23x, b 2.00x``: each contestant pair's median ratio."""
    return "median: " + ", ".join(f"{name} {statistics.median(r):.2f}x" for name, r in ratios.items())
