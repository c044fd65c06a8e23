"""The top-k index: for every unit of a layer, the k samples of a collection that excite it most.

One pass over a collection updates the index of every chosen layer at once. A unit's score on a
sample is its largest activation over all positions of its feature map (so each sample appears
once per unit), and the position of that maximum gives the receptive-field box. Ties go to the
lower sample id, which makes the result independent of batch size and of sharding.
Indexes are stored as ``.npz`` (no pickles) plus a JSON sidecar.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report
from udl_viz.runtime import Forward, prefetched
from udl_viz.units.collections import Collection, Crop, batches, to_original
from udl_viz.units.receptive import OUTPUT, ReceptiveField, receptive_fields

#: How many samples the index keeps per unit.
DEFAULT_K = 16
FORMAT_VERSION = 1
#: Keep the crops of at most about this many samples in memory while indexing.
PRUNE_AT = 50_000


@dataclass(frozen=True)
class Hit:
    """One of a unit's top samples."""

    rank: int
    activation: float
    image: int  # index into the collection
    name: str  # the image's label or path
    box: tuple[float, float, float, float]  # receptive field in original-image pixels
    flip: bool  # the sample was mirrored before the model saw it
    sample: int
    position: tuple[int, int]  # (y, x) in the feature map


@dataclass
class UnitIndex:
    """Top-k samples of every unit of one layer (arrays are (C, k); fewer columns when few samples)."""

    meta: dict  # model, fingerprint, layer, k, collection, receptive_field, shard, samples
    values: np.ndarray  # float32 activations, highest first
    samples: np.ndarray  # int64 sample ids
    positions: np.ndarray  # int32 (C, k, 2): (y, x) of the maximum
    images: np.ndarray  # int64 image indices
    boxes: np.ndarray  # float32 (C, k, 4): receptive field in original-image pixels
    flips: np.ndarray  # bool
    names: dict[int, str] = field(default_factory=dict)  # image index -> name, for referenced images

    @property
    def layer(self) -> str:
        return self.meta["layer"]

    @property
    def units(self) -> int:
        return self.values.shape[0]

    @property
    def receptive_field(self) -> ReceptiveField:
        return ReceptiveField.from_dict(self.meta["receptive_field"])

    def strongest(self) -> int:
        """The unit with the highest activation of all."""
        return int(np.argmax(self.values[:, 0]))

    def top(self, unit: int, k: int | None = None) -> list[Hit]:
        """The unit's top samples, highest activation first."""
        if not 0 <= unit < self.units:
            raise IndexError(f"unit {unit} is out of range: {self.layer} has units 0..{self.units - 1}")
        hits = []
        for r in range(self.values.shape[1] if k is None else min(k, self.values.shape[1])):
            image = int(self.images[unit, r])
            hits.append(Hit(r + 1, float(self.values[unit, r]), image, self.names[image],
                            tuple(float(v) for v in self.boxes[unit, r]), bool(self.flips[unit, r]),
                            int(self.samples[unit, r]),
                            (int(self.positions[unit, r, 0]), int(self.positions[unit, r, 1]))))
        return hits

    def save(self, path: str | Path) -> None:
        """Write ``path.npz`` and ``path.json`` atomically (readers never see half a file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"values": self.values, "samples": self.samples, "positions": self.positions,
                  "images": self.images, "boxes": self.boxes, "flips": self.flips}
        meta = {**self.meta, "format": FORMAT_VERSION, "names": {str(i): n for i, n in self.names.items()}}
        atomic_write(_with(path, ".npz"), lambda f: np.savez(f, **arrays))
        atomic_write(_with(path, ".json"), lambda f: f.write(json.dumps(meta, indent=1).encode()))

    @classmethod
    def load(cls, path: str | Path) -> UnitIndex:
        """Read an index written by ``save`` (never unpickles anything)."""
        path = Path(path)
        meta = json.loads(_with(path, ".json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} was written by another version of udl_viz")
        names = {int(i): n for i, n in meta.pop("names").items()}
        with np.load(_with(path, ".npz"), allow_pickle=False) as data:
            arrays = {k: data[k] for k in ("values", "samples", "positions", "images", "boxes", "flips")}
        return cls(meta, names=names, **arrays)


def _with(path: Path, suffix: str) -> Path:
    """``path`` plus a suffix (``with_suffix`` would eat a dotted layer name such as ``_blocks.5``)."""
    return path.with_name(path.name + suffix)


def atomic_write(path: Path, write: Callable) -> None:
    """Write a file through ``write(binary_file)`` under a temporary name, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _TopK:
    """Running top-k of (value, sample id, position) per unit."""

    def __init__(self, units: int, k: int) -> None:
        self.k = k
        self.values = np.zeros((units, 0), np.float32)
        self.samples = np.zeros((units, 0), np.int64)
        self.positions = np.zeros((units, 0, 2), np.int32)

    def update(self, values: np.ndarray, samples: np.ndarray, positions: np.ndarray) -> None:
        """Add candidates (units, n) and keep the k best: highest value, then lowest sample id."""
        values = np.concatenate([self.values, values], axis=1)
        samples = np.concatenate([self.samples, samples], axis=1)
        positions = np.concatenate([self.positions, positions], axis=1)
        order = np.lexsort((samples, -values), axis=-1)[:, : self.k]
        self.values = np.take_along_axis(values, order, axis=1)
        self.samples = np.take_along_axis(samples, order, axis=1)
        self.positions = np.take_along_axis(positions, order[..., None], axis=1)


def unit_maxima(acts: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Per sample and unit, the largest activation and its (y, x): (B, C) and (B, C, 2).

    Takes (B, C, H, W) maps or (B, C) outputs; the first maximum in raster order wins ties.
    """
    if acts.dim() == 2:
        acts = acts[:, :, None, None]
    width = acts.shape[-1]
    values, flat = acts.flatten(2).float().max(dim=2)
    flat = flat.numpy()
    return values.numpy(), np.stack([flat // width, flat % width], axis=-1).astype(np.int32)


def build_indexes(model: nn.Module, spec: ModelSpec, collection: Collection, layers: Sequence[str],
                  *, k: int = DEFAULT_K, fingerprint: str = "", shard: tuple[int, int] = (0, 1),
                  batch_size: int | None = 16, progress: Progress | None = None,
                  on_error: Callable[[int, Exception], None] | None = None, onnx: bool = False) -> dict[str, UnitIndex]:
    """Index every layer in ``layers`` (module paths or ``OUTPUT``) in one pass over the collection.

    ``shard=(i, n)`` indexes only the i-th of n slices of the images; ``merge`` joins the slices.
    ``progress(done, total)`` is called after each batch, counting samples. Safe on a shared model.
    ``onnx=True`` runs the forward pass in ONNX Runtime when it gives torch's outputs (exported
    once per ``fingerprint``, see ``udl_viz.runtime``); ``batch_size=None`` picks the engine's
    fastest. Images are decoded in a background thread while the model runs.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    images = collection.shard(*shard)
    if not images:
        raise ValueError(f"shard {shard[0]}/{shard[1]} is empty: {collection.name} has only "
                         f"{len(collection)} images")
    fields = receptive_fields(model, layers, spec.input_size, spec.channels)
    total = len(images) * collection.samples_per_image
    paths = [p for p in layers if p != OUTPUT]
    forward = Forward(model, spec, paths, fingerprint=fingerprint if onnx else "")
    tops: dict[str, _TopK] = {}
    crops: dict[int, tuple[int, Crop]] = {}  # sample id -> (image, crop), for the final boxes
    seen = 0
    failures: list[int] = []

    def failed(i: int, exc: Exception) -> None:
        failures.append(i)  # runs in the decoding thread; a skipped image still counts towards the progress
        on_error(i, exc)

    report(progress, 0, total)
    decoded = batches(collection, spec, images, batch_size or forward.batch_size, on_error and failed)
    with torch.inference_mode():
        for batch in prefetched(decoded):
            logits, *maps = (torch.from_numpy(a) for a in forward(batch.x))
            store = dict(zip(paths, maps, strict=True))
            for layer in layers:
                values, positions = unit_maxima(logits if layer == OUTPUT else store[layer])
                top = tops.get(layer) or tops.setdefault(layer, _TopK(values.shape[1], k))
                top.update(values.T, np.broadcast_to(batch.samples, values.T.shape), positions.transpose(1, 0, 2))
            crops.update(zip(batch.samples.tolist(), zip(batch.images.tolist(), batch.crops, strict=True), strict=True))
            if len(crops) > PRUNE_AT:  # forget samples that no unit ranks any more
                alive = set(np.unique(np.concatenate([t.samples.ravel() for t in tops.values()])).tolist())
                crops = {s: c for s, c in crops.items() if s in alive}
            seen += len(batch.samples)
            report(progress, seen + len(failures) * collection.samples_per_image, total)
    done = seen + len(failures) * collection.samples_per_image
    if total and done == total:
        report(progress, done, total)  # when the last images failed to load, no batch reported them
    return {layer: _finish(tops.get(layer), fields[layer], crops, collection, spec, layer, k,
                           fingerprint, shard, seen) for layer in layers}


def _finish(top: _TopK | None, rf: ReceptiveField, crops: dict[int, tuple[int, Crop]], collection: Collection,
            spec: ModelSpec, layer: str, k: int, fingerprint: str, shard: tuple[int, int], seen: int) -> UnitIndex:
    if top is None:
        raise ValueError(f"no image of {collection.name} could be indexed")
    unique, inverse = np.unique(top.samples, return_inverse=True)
    owners = np.array([crops[int(s)][0] for s in unique], np.int64)
    crop_boxes = np.array([crops[int(s)][1].box for s in unique], np.float64).reshape(-1, 4)
    crop_flips = np.array([crops[int(s)][1].flip for s in unique], bool)
    inverse = inverse.reshape(top.samples.shape)
    boxes = to_original(rf.boxes(top.positions), crop_boxes[inverse], crop_flips[inverse], spec.input_size)
    images = owners[inverse]
    meta = {"model": spec.name, "fingerprint": fingerprint, "layer": layer, "k": k,
            "collection": collection.describe(), "receptive_field": rf.as_dict(),
            "shard": list(shard), "samples": seen}
    names = {int(i): collection.path(int(i)) for i in np.unique(images)}
    return UnitIndex(meta, top.values, top.samples, top.positions, images, boxes.astype(np.float32),
                     crop_flips[inverse], names)


def merge(indexes: Sequence[UnitIndex]) -> UnitIndex:
    """Join the shards of one index (same model, layer, collection and k) into the full index."""
    if not indexes:
        raise ValueError("nothing to merge")
    first = indexes[0].meta
    same = ("model", "fingerprint", "layer", "k")
    for other in indexes[1:]:
        for key in same:
            if other.meta[key] != first[key]:
                raise ValueError(f"shards disagree on {key}: {first[key]!r} and {other.meta[key]!r}")
        if other.meta["collection"]["key"] != first["collection"]["key"]:
            raise ValueError("shards come from different collections (or the folder changed in between)")
    counts = {tuple(ix.meta["shard"])[1] for ix in indexes}
    ids = sorted(ix.meta["shard"][0] for ix in indexes)
    if len(counts) != 1 or ids != sorted(set(ids)):
        raise ValueError(f"shards must be distinct slices of one split, got {[ix.meta['shard'] for ix in indexes]}")
    n = counts.pop()
    if ids != list(range(n)):
        missing = sorted(set(range(n)) - set(ids))
        raise ValueError(f"shards {', '.join(f'{i}/{n}' for i in missing)} are missing")
    cat = {name: np.concatenate([getattr(ix, name) for ix in indexes], axis=1)
           for name in ("values", "samples", "positions", "images", "boxes", "flips")}
    order = np.lexsort((cat["samples"], -cat["values"]), axis=-1)[:, : first["k"]]
    picked = {name: np.take_along_axis(a, order if a.ndim == 2 else order[..., None], axis=1)
              for name, a in cat.items()}
    names: dict[int, str] = {}
    for ix in indexes:
        names.update(ix.names)
    names = {i: names[i] for i in np.unique(picked["images"]).tolist()}
    meta = {**first, "shard": [0, 1], "samples": sum(ix.meta["samples"] for ix in indexes)}
    return UnitIndex(meta, names=names, **picked)
