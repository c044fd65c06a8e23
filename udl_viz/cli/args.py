"""Argument types shared by every subcommand: checked at parse time, before any work.

Each returns an ``argparse`` ``type=`` callable; a bad value becomes argparse's one-line
``error: argument --x: …`` on stderr and exit code 2. They import nothing heavy.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path


def number(low: float, high: float) -> Callable[[str], float]:
    """A finite float in ``[low, high]``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a finite number from {low:g} to {high:g}, got {text!r}")
        return value
    return parse


def count(low: int, high: int) -> Callable[[str], int]:
    """A whole number in ``[low, high]``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, got {text!r}")
        return value
    return parse


def output_dir(text: str) -> Path:
    """A folder to write into: created if missing; refused if it is a file or not writable."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a folder")
    parent = path if path.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write into {str(parent)!r}")
    return path


def output_file(text: str) -> Path:
    """A file to write: its folder must exist and be writable, and it must not be a folder."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}")
    return path


def vector_set(text: str) -> str:
    """A word-vector set that is known and installed here (``udl_viz.embeddings.catalog``)."""
    from udl_viz.embeddings.catalog import unavailable_reason

    reason = unavailable_reason(text)
    if reason:
        raise argparse.ArgumentTypeError(reason)
    return text


def word(text: str) -> str:
    """One non-empty word, lower-cased."""
    cleaned = text.strip().lower()
    if not cleaned or len(cleaned.split()) != 1:
        raise argparse.ArgumentTypeError(f"must be one word, got {text!r}")
    return cleaned


def host(text: str) -> str:
    """An IP address to listen on (``127.0.0.1`` for this computer only, ``0.0.0.0`` for the network)."""
    import ipaddress

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an IP address such as 127.0.0.1 or 0.0.0.0, got {text!r}") from None
