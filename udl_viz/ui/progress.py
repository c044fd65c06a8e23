"""The one progress widget: a ``st.progress`` bar that speaks the ``(done, total)`` protocol."""

from __future__ import annotations

import time

import streamlit as st


class ProgressBar:
    """A progress bar with the expected time left; call it as ``bar(done, total)``, then ``bar.done()``.

    ``label`` may be changed between calls (e.g. to name the item being worked on). The bar is redrawn
    only when it moves by a whole percent or the label changes: each redraw is a message to the browser.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.perf_counter()
        self.bar = st.progress(0.0, text=label)
        self.shown: tuple[int, str] | None = None

    def __call__(self, done: int, total: int) -> None:
        fraction = min(1.0, done / total) if total else 1.0
        if self.shown == (state := (int(fraction * 100), self.label)):
            return
        self.shown = state
        text = self.label
        elapsed = time.perf_counter() - self.started
        if 0 < fraction < 1 and elapsed > 1:
            text += f" {done}/{total}, about {elapsed * (1 - fraction) / fraction:.0f} s left"
        self.bar.progress(fraction, text=text)

    def done(self) -> None:
        """Remove the bar."""
        self.bar.empty()


def progress_bar(label: str) -> ProgressBar:
    """A new progress bar under the current element; pass it as an engine's ``progress``."""
    return ProgressBar(label)


__all__ = ["ProgressBar", "progress_bar"]
