"""The one progress widget: a ``st.progress`` bar that speaks the ``(done, total)`` protocol."""

from __future__ import annotations

import time

import streamlit as st


class ProgressBar:
    """A progress bar with the expected time left; call it as ``bar(done, total)``, then ``bar.done()``.

    ``label`` may be changed between calls (e.g. to name the item being worked on). The bar is redrawn
    when the label changes, and otherwise at most every ``interval`` seconds: each redraw is a message to
    the browser and a repaint there, which on a laptop running both takes CPU from the work itself
    (a redraw every percent slowed the LIME page by a third).
    """

    interval = 0.25

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.perf_counter()
        self.bar = st.progress(0.0, text=label)
        self.shown: tuple[float, str] = (self.started, label)

    def __call__(self, done: int, total: int) -> None:
        fraction = min(1.0, done / total) if total else 1.0
        now = time.perf_counter()
        if self.shown[1] == self.label and now - self.shown[0] < self.interval:
            return
        self.shown = (now, self.label)
        text = self.label
        elapsed = now - self.started
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
