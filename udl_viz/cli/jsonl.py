"""Strict JSON lines on stdout, and nothing else there.

``main`` sends everything else a library prints (progress lines, "Downloading …") to stderr
while a command runs, so stdout stays a clean JSON-lines stream for pipelines.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from udl_viz.strict_json import strict

_out: TextIO | None = None  # the real stdout while a command runs


def emit(record: dict[str, Any]) -> None:
    """Print one strict JSON object on its own line and flush, so pipelines see it at once."""
    # ASCII with \u escapes: valid UTF-8 whatever the terminal's encoding
    line = json.dumps(strict(record), allow_nan=False)
    out = _out or sys.stdout
    out.write(line + "\n")
    out.flush()


def echo(text: str) -> None:
    """Print a line of plain text on stdout (for human-readable listings)."""
    out = _out or sys.stdout
    out.write(strict(text).encode(out.encoding or "utf-8", "replace").decode(out.encoding or "utf-8") + "\n")
    out.flush()


@contextlib.contextmanager
def json_only_stdout() -> Iterator[None]:
    """While inside, ``print`` and library chatter go to stderr; ``emit``/``echo`` keep the real stdout."""
    global _out
    saved = _out
    _out = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        _out = saved
