"""The on-disk cache of unit indexes and feature visualizations.

Lives in ``$UDL_VIZ_CACHE`` if set, else ``$XDG_CACHE_HOME/udl_viz`` (``~/.cache/udl_viz``).
Entries are keyed by the model's weights, the layer and the collection's content, so a
retrained model or a changed folder never reuses a stale index.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from torch import nn

from udl_viz.fingerprint import model_fingerprint
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress
from udl_viz.result_cache import cache_dir
from udl_viz.units.collections import Collection
from udl_viz.units.index import DEFAULT_K, UnitIndex, build_indexes


def slug(text: str) -> str:
    """A file-name-safe form of a model or layer name."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text)[:60] or "model"


def index_path(model_name: str, fingerprint: str, layer: str, collection_key: str, k: int = DEFAULT_K) -> Path:
    """Where the index of one layer over one collection lives (without suffix)."""
    key = hashlib.sha1(f"{model_name}|{fingerprint}|{layer}|{collection_key}|{k}".encode()).hexdigest()[:20]
    return cache_dir() / "index" / f"{slug(model_name)}-{slug(layer)}-{key}"


def load_cached(model_name: str, fingerprint: str, layer: str, collection_key: str,
                k: int = DEFAULT_K) -> UnitIndex | None:
    """The cached index, or None when it is missing or unreadable."""
    path = index_path(model_name, fingerprint, layer, collection_key, k)
    try:
        return UnitIndex.load(path)
    except (OSError, ValueError, KeyError):
        return None


def store(index: UnitIndex) -> Path:
    """Save a complete index in the cache; returns its path (without suffix)."""
    meta = index.meta
    path = index_path(meta["model"], meta["fingerprint"], meta["layer"], meta["collection"]["key"], meta["k"])
    index.save(path)
    return path


def unit_indexes(model: nn.Module, spec: ModelSpec, collection: Collection, layers: Sequence[str], *,
                 k: int = DEFAULT_K, batch_size: int | None = 16, progress: Progress | None = None,
                 use_cache: bool = True, persist: bool = True, on_error=None, onnx: bool = False
                 ) -> dict[str, UnitIndex]:
    """The index of each layer: from the cache when there, else one pass for all missing layers.

    ``use_cache=False`` rebuilds every layer; ``persist=False`` neither reads nor writes the cache.
    ``onnx`` and ``batch_size`` are passed to ``build_indexes``.
    """
    fingerprint = model_fingerprint(model)
    found = {}
    if use_cache and persist:
        for layer in layers:
            cached = load_cached(spec.name, fingerprint, layer, collection.key, k)
            if cached is not None:
                found[layer] = cached
    missing = [layer for layer in layers if layer not in found]
    if missing:
        built = build_indexes(model, spec, collection, missing, k=k, fingerprint=fingerprint,
                              batch_size=batch_size, progress=progress, on_error=on_error, onnx=onnx)
        if persist:
            for index in built.values():
                store(index)
        found.update(built)
    return {layer: found[layer] for layer in layers}


_SUMMARIES: dict[tuple[str, int], dict | None] = {}  # (json path, mtime) -> summary row


def _summary(path: Path) -> dict | None:
    """The few fields ``folder_indexes`` needs from an index's JSON, read once per file version."""
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if key not in _SUMMARIES:
        try:
            meta = json.loads(path.read_text())
            _SUMMARIES[key] = {"path": str(path.with_name(path.name.removesuffix(".json"))),
                               "model": meta["model"], "fingerprint": meta["fingerprint"],
                               "kind": meta["collection"]["kind"], "layer": meta["layer"], "k": meta["k"],
                               "root": meta["collection"]["root"], "images": meta["collection"]["images"],
                               "samples": meta["samples"], "mtime": key[1]}
        except (OSError, ValueError, KeyError):
            _SUMMARIES[key] = None
    return _SUMMARIES[key]


def folder_indexes(model_name: str, fingerprint: str) -> list[dict]:
    """Indexes of folders (built by the CLI) for this model: summaries, newest first."""
    rows = [row for path in (cache_dir() / "index").glob(f"{slug(model_name)}-*.json")
            if (row := _summary(path)) and row["model"] == model_name and row["fingerprint"] == fingerprint
            and row["kind"] == "folder"]
    return sorted(rows, key=lambda r: -r["mtime"])
