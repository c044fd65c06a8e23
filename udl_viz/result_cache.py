"""Results shared by every udl_viz process: computed once per content and settings, kept on disk.

Lives in ``$UDL_VIZ_CACHE/results`` (default ``~/.cache/udl_viz/results``). One file per entry,
written under a temporary name and renamed into place, so several processes can write the same
key and readers never see half a file. ``$UDL_VIZ_CACHE_MB`` (default 1024; ``0`` turns this
layer off) bounds the whole cache folder, these results together with the unit indexes and
feature visualizations next to them: a file lock serialises eviction, least recently used first.
A file that cannot be read back is deleted and treated as a miss.

We write this instead of using ``diskcache``: its SQLite index is not safe on network file
systems, and a classroom deployment shares this folder between machines on one volume.
Entries are ``.npz`` files read with ``allow_pickle=False`` plus JSON: reading the cache never
runs code, even from a shared volume others can write to.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import io
import json
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from filelock import FileLock, Timeout

from udl_viz.singleflight import SingleFlight

T = TypeVar("T")
FORMAT = 1
DEFAULT_MB = 1024
_MISSING = object()
_LOG = logging.getLogger(__name__)


def cache_dir() -> Path:
    """The udl_viz cache folder: ``$UDL_VIZ_CACHE``, else ``$XDG_CACHE_HOME/udl_viz`` (``~/.cache/udl_viz``)."""
    env = os.environ.get("UDL_VIZ_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "udl_viz"


def cache_key(*parts: Any) -> str:
    """A stable hash of strings, numbers, booleans, ``None`` and (nested) tuples of them."""
    def check(part: Any) -> None:
        if isinstance(part, tuple):
            for p in part:
                check(p)
        elif not (part is None or isinstance(part, (str, int, float, bool))):
            raise TypeError(f"cache key parts must be plain values, got {type(part).__name__}")

    check(parts)
    return hashlib.sha256(repr((FORMAT, parts)).encode()).hexdigest()[:40]


# -- encoding: dataclasses, arrays, dicts, lists, tuples and scalars as JSON plus .npz arrays ----

def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, np.ndarray):
        name = f"a{len(arrays)}"
        arrays[name] = value
        return {"__array__": name}
    if isinstance(value, np.generic):
        return value.item()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if not cls.__module__.startswith("udl_viz."):
            raise TypeError(f"only udl_viz dataclasses can be cached, not {cls.__qualname__}")
        fields = {f.name: _encode(getattr(value, f.name), arrays) for f in dataclasses.fields(value) if f.init}
        return {"__dataclass__": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: Any, arrays: Any) -> Any:
    if isinstance(obj, list):
        return [_decode(v, arrays) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__array__" in obj:
        return arrays[obj["__array__"]]
    if "__tuple__" in obj:
        return tuple(_decode(v, arrays) for v in obj["__tuple__"])
    if "__dict__" in obj:
        return {_decode(k, arrays): _decode(v, arrays) for k, v in obj["__dict__"]}
    module, _, name = obj["__dataclass__"].partition(":")
    if not module.startswith("udl_viz."):
        raise ValueError(f"refusing to build {obj['__dataclass__']}")
    cls = importlib.import_module(module)
    for part in name.split("."):
        cls = getattr(cls, part)
    if not dataclasses.is_dataclass(cls):
        raise ValueError(f"{obj['__dataclass__']} is not a dataclass")
    return cls(**{k: _decode(v, arrays) for k, v in obj["fields"].items()})


def encode(value: Any) -> bytes:
    """``value`` as the bytes of one ``.npz`` file."""
    arrays: dict[str, np.ndarray] = {}
    meta = json.dumps({"format": FORMAT, "value": _encode(value, arrays)}, allow_nan=True).encode()
    buffer = io.BytesIO()
    np.savez(buffer, __meta__=np.frombuffer(meta, np.uint8), **arrays)
    return buffer.getvalue()


def decode(data: bytes | Path) -> Any:
    """The value ``encode`` wrote (raises ``ValueError``/``OSError`` on a damaged file)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with np.load(source, allow_pickle=False) as npz:
            meta = json.loads(npz["__meta__"].tobytes())
            if meta.get("format") != FORMAT:
                raise ValueError("written by another version of udl_viz")
            arrays = {name: npz[name] for name in npz.files if name != "__meta__"}
    except (KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ValueError(f"damaged cache entry: {exc}") from exc
    try:
        return _decode(meta["value"], arrays)
    except (KeyError, TypeError, AttributeError, ImportError) as exc:
        raise ValueError(f"damaged cache entry: {exc}") from exc


#: What eviction counts, relative to the cache folder: results, unit indexes (``.npz`` + ``.json``
#: pairs, removed together), feature visualizations.
EVICTABLE = ("results/??/*.npz", "index/*.npz", "index/*.json", "featurevis/*.npz")


class ResultCache:
    """Entries by key under ``root/results``; everything in ``root`` at most ``max_bytes`` (LRU)."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.root / "results" / key[:2] / f"{key}.npz"

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value, or ``default`` when it is missing or damaged (a damaged file is removed)."""
        path = self.path(key)
        try:
            value = decode(path)
        except FileNotFoundError:
            return default
        except (OSError, ValueError) as exc:
            _LOG.warning("udl_viz cache: dropping unreadable %s (%s)", path, exc)
            path.unlink(missing_ok=True)
            return default
        with contextlib.suppress(OSError):
            os.utime(path)  # mark as recently used, for eviction
        return value

    def put(self, key: str, value: Any) -> bool:
        """Store ``value`` (atomically); False when the disk refused (a cache is never required)."""
        data = encode(value)
        if len(data) > self.max_bytes:
            return False
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            _LOG.warning("udl_viz cache: could not write %s (%s)", path, exc)
            return False
        self.evict(wait=False)
        return True

    def entries(self) -> list[tuple[float, int, list[Path]]]:
        """(last use, size, files) of every entry; the files of one index count as one entry."""
        groups: dict[Path, list] = {}
        for pattern in EVICTABLE:
            for path in self.root.glob(pattern):
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                group = groups.setdefault(path.with_suffix(""), [0.0, 0, []])
                group[0] = max(group[0], stat.st_mtime)
                group[1] += stat.st_size
                group[2].append(path)
        return [tuple(group) for group in groups.values()]

    def size(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def evict(self, wait: bool = True) -> int:
        """Remove the least recently used entries until the total is at most 80% of the bound.

        One process evicts at a time (a file lock); with ``wait=False`` a writer that finds
        another one evicting leaves it to them. Also removes temporary files a crashed writer
        left behind. Returns how many entries were removed.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(self.root / ".evict.lock", timeout=30 if wait else 0):
                rows = sorted(self.entries())
                total = sum(size for _, size, _ in rows)
                removed = 0
                if total > self.max_bytes:
                    target = self.max_bytes * 0.8
                    for _, size, paths in rows:
                        if total <= target:
                            break
                        for path in paths:
                            path.unlink(missing_ok=True)
                        total -= size
                        removed += 1
                stale = time.time() - 3600
                for tmp in self.root.glob("results/??/.tmp-*"):
                    with contextlib.suppress(FileNotFoundError):
                        if tmp.stat().st_mtime < stale:
                            tmp.unlink()
                return removed
        except Timeout:
            return 0


_FLIGHTS = SingleFlight()


def default_cache() -> ResultCache | None:
    """The cache in ``cache_dir()`` bounded by ``$UDL_VIZ_CACHE_MB``; None when that is 0."""
    try:
        megabytes = float(os.environ.get("UDL_VIZ_CACHE_MB", DEFAULT_MB))
    except ValueError:
        megabytes = DEFAULT_MB
    if megabytes <= 0:
        return None
    return ResultCache(cache_dir(), int(megabytes * 2**20))


def shared_result(parts: tuple, compute: Callable[[], T], *, persist: bool = True,
                  cache: ResultCache | None = None) -> T:
    """``compute()`` once for everyone asking for the same ``parts`` (content hash and settings).

    Identical calls running at the same time in this process wait for the first one
    (single-flight); with ``persist`` the result is also read from, and written to, the disk
    cache other processes share. Keys must include everything the result depends on: the
    model's weights fingerprint, the input's content hash, every setting.
    """
    key = cache_key(*parts)

    def load_or_compute() -> T:
        disk = (cache or default_cache()) if persist else None
        if disk is not None:
            found = disk.get(key, _MISSING)
            if found is not _MISSING:
                return found
        value = compute()
        if disk is not None:
            try:
                disk.put(key, value)
            except TypeError as exc:  # a result type the cache cannot hold: keep it in memory only
                _LOG.warning("udl_viz cache: not storing %s (%s)", parts[0], exc)
        return value

    return _FLIGHTS.do(key, load_or_compute)
