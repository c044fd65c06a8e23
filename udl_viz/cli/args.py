"""Argument types shared by every subcommand: checked at parse time, before any work.

Each returns an ``argparse`` ``type=`` callable; a bad value becomes argparse's
``PROG: error: argument --x: …`` on stderr (one line, see ``Parser``) and exit code 2. They import nothing heavy.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path


class Parser(argparse.ArgumentParser):
    """argparse's parser, but a usage error is one line: ``PROG: error: MESSAGE (see PROG --help)``."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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
def output_stems(paths: list[str]) -> list[str]:
    """A file stem per image: its own, or ``stem-2``, ``stem-3``, … where different images share one.

    The same image given twice keeps one stem. Stems never hold a path separator, so every file
    is written inside the output folder.
    """
    seen: dict[str, str] = {}  # resolved path -> stem
    taken: set[str] = set()
    stems = []
    for path in paths:
        key = str(Path(path).resolve())
        if key not in seen:
            base = Path(path).stem or "image"
            stem, n = base, 1
            while stem in taken:
                n += 1
                stem = f"{base}-{n}"
            seen[key] = stem
            taken.add(stem)
        stems.append(seen[key])
    return stems


def input_dir(text: str) -> Path:
    """An existing folder to read from."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a folder" if path.exists() else f"{text!r} does not exist")
    if not os.access(path, os.R_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot read the folder {text!r}")
    return path


def text(max_chars: int) -> Callable[[str], str]:
    """A string of at most ``max_chars`` characters."""
    def parse(value: str) -> str:
        if len(value) > max_chars:
            raise argparse.ArgumentTypeError(f"must be at most {max_chars:,} characters, got {len(value):,}")
        return value
    return parse


def point(low: float, high: float, max_dims: int = 2) -> Callable[[str], tuple[float, ...]]:
    """Comma-separated finite numbers in ``[low, high]``, e.g. ``-1.5,2`` (at most ``max_dims``)."""
    single = number(low, high)

    def parse(value: str) -> tuple[float, ...]:
        parts = value.split(",")
        if len(parts) > max_dims:
            raise argparse.ArgumentTypeError(f"takes at most {max_dims} numbers, got {len(parts)}")
        return tuple(single(part) for part in parts)
    return parse


def setting(value: str) -> tuple[str, str]:
    """``NAME=VALUE``; a value that reads as NaN or infinity is refused."""
    name, sep, raw = value.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    try:
        finite = math.isfinite(float(raw))
    except ValueError:
        finite = True  # not a number: a choice such as baseline=blurred, checked by its owner
    if not finite:
        raise argparse.ArgumentTypeError(f"{name} must be a finite number, got {raw!r}")
    return name, raw


def shard(value: str) -> tuple[int, int]:
    """``i/n``: slice ``i`` (0-based) of ``n``, with ``n`` from 1 to 10,000."""
    try:
        i, n = (int(part) for part in value.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must look like i/n (e.g. 0/4), got {value!r}") from None
    if not 1 <= n <= 10_000 or not 0 <= i < n:
        raise argparse.ArgumentTypeError(f"needs 1 <= n <= 10,000 and 0 <= i < n, got {value!r}")
    return i, n


SEED = count(0, 2**32 - 1)


def after_parse(parser: argparse.ArgumentParser, check: Callable[[argparse.Namespace], None]) -> None:
    """Run ``check(args)`` once every argument is parsed, still before any work.

    For rules that join several arguments (a setting name valid for the chosen method). ``check``
    raises ``ValueError("--flag …")``, shown as this parser's one-line usage error with exit 2.
    """
    parser.set_defaults(_check=check, _parser=parser)


def run_checks(args: argparse.Namespace) -> None:
    """Apply the check registered by ``after_parse``, if any (``parser.error`` exits 2)."""
    check = getattr(args, "_check", None)
    if check is not None:
        try:
            check(args)
        except ValueError as exc:
            args._parser.error(str(exc))


class Refused(Exception):
    """A bad argument found in a run function, before any work: ``main`` prints it as one line, exit 2."""
