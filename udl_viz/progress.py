"""The one progress protocol of udl_viz: long work calls ``progress(done, total)`` as it goes.

Engine functions take ``progress: Progress | None = None``; the page passes
``udl_viz.ui.progress.progress_bar(...)``, the CLI a stderr reporter, tests a list's ``append``.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called with the steps done so far and the steps in all (``done <= total``)."""

    def __call__(self, done: int, total: int) -> None: ...


def report(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(done, total)
