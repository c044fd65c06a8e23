"""Receptive fields: which input pixels a unit of a layer can see, from the network's structure.

Along each axis a feature map position ``i`` nominally sees the input pixels ``[start + i*jump,
start + i*jump + size)``. Conv and pool modules update ``(start, jump, size)`` from their kernel,
stride, padding and dilation (``Conv2dSame`` pads ``total // 2`` on the left, as TensorFlow
does). Next to that formula each axis keeps the exact span of every position: a window that
reaches into padding, or past the last column a strided conv dropped, sees nothing there, so
border boxes are tighter than the formula. Every other op (batch norm, activations, residual sums,
concatenation) passes fields through, taking the union where branches meet.

One forward pass of a zero image on a ``private_view`` finds the structure: module hooks see the
geometric layers, a thread-local ``TorchFunctionMode`` sees the glue between them. (``torch.fx``
tracing would patch ``nn.Module.__call__`` for every thread and break other sessions' passes.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from udl_viz.hooks import capture, private_view
from udl_viz.models.efficientnet_lite import Conv2dSame

#: The model's output (class scores), indexed like a layer whose units see the whole input.
OUTPUT = "output"
_EMPTY = (np.iinfo(np.int64).max // 4, np.iinfo(np.int64).min // 4)  # a span that sees nothing


class ReceptiveFieldError(ValueError):
    """The receptive field cannot be followed through some operation of the network."""


@dataclass(frozen=True)
class Axis:
    """The nominal field along one axis: position ``i`` sees ``[start + i*jump, start + i*jump + size)``."""

    start: int
    jump: int
    size: int

    def through(self, kernel: int, stride: int, pad_before: int, dilation: int = 1) -> Axis:
        """The field after a conv or pool with these settings."""
        extent = dilation * (kernel - 1) + 1
        return Axis(self.start - pad_before * self.jump, self.jump * stride,
                    self.size + (extent - 1) * self.jump)

    def union(self, other: Axis | None) -> Axis | None:
        if other is None or other.jump != self.jump:
            return None
        start = min(self.start, other.start)
        return Axis(start, self.jump, max(self.start + self.size, other.start + other.size) - start)


@dataclass(frozen=True, eq=False)
class Track:
    """One axis of a feature map: the nominal field (None when irregular) and each position's exact span."""

    nominal: Axis | None
    spans: np.ndarray  # (n, 2) int64: [lo, hi) in input pixels

    @classmethod
    def identity(cls, n: int) -> Track:
        i = np.arange(n, dtype=np.int64)
        return cls(Axis(0, 1, 1), np.stack([i, i + 1], axis=1))

    def gather(self, taps: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Spans of output positions that read the input positions ``taps`` (n_out, t) where ``valid``."""
        idx = np.clip(taps, 0, len(self.spans) - 1)
        valid = valid & (taps >= 0) & (taps < len(self.spans))
        lo = np.where(valid, self.spans[idx, 0], _EMPTY[0]).min(axis=1)
        hi = np.where(valid, self.spans[idx, 1], _EMPTY[1]).max(axis=1)
        return np.stack([lo, hi], axis=1)

    def through(self, kernel: int, stride: int, pad_before: int, dilation: int, n_out: int) -> Track:
        """After a conv or pool: taps in the padding see nothing."""
        taps = (np.arange(n_out, dtype=np.int64) * stride - pad_before)[:, None] + dilation * np.arange(kernel)
        nominal = self.nominal.through(kernel, stride, pad_before, dilation) if self.nominal else None
        return Track(nominal, self.gather(taps, np.ones_like(taps, bool)))

    def adaptive(self, n_out: int) -> Track:
        """After adaptive pooling: window i reads ``[floor(i*n/m), ceil((i+1)*n/m))``."""
        n = len(self.spans)
        i = np.arange(n_out, dtype=np.int64)
        starts, ends = (i * n) // n_out, -((-(i + 1) * n) // n_out)
        taps = starts[:, None] + np.arange(int((ends - starts).max()))
        nominal = self.nominal.through(n // n_out, n // n_out, 0) if self.nominal and n % n_out == 0 else None
        return Track(nominal, self.gather(taps, taps < ends[:, None]))

    def padded(self, before: int, after: int) -> Track:
        spans = np.concatenate([np.tile(_EMPTY, (before, 1)), self.spans, np.tile(_EMPTY, (after, 1))])
        nominal = Axis(self.nominal.start - before * self.nominal.jump, self.nominal.jump,
                       self.nominal.size) if self.nominal else None
        return Track(nominal, spans)

    def union(self, other: Track) -> Track:
        spans = np.stack([np.minimum(self.spans[:, 0], other.spans[:, 0]),
                          np.maximum(self.spans[:, 1], other.spans[:, 1])], axis=1)
        return Track(self.nominal.union(other.nominal) if self.nominal else None, spans)


#: A whole-input field: every unit sees every pixel (after flatten, linear or global pooling).
WHOLE = None
Field = tuple[Track, Track] | None


@dataclass(frozen=True, eq=False)
class ReceptiveField:
    """The receptive field of every unit of one layer, for square inputs of ``input_size`` pixels."""

    layer: str
    input_size: int
    feature_shape: tuple[int, int]  # (h, w) of the layer's maps; (1, 1) for whole-input layers
    rows: Track | None = None  # None: every unit sees the whole input
    cols: Track | None = None

    @property
    def whole(self) -> bool:
        return self.rows is None

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the nominal field, which may exceed the input; else the largest box."""
        if self.whole:
            return (self.input_size, self.input_size)
        return tuple(int(t.nominal.size) if t.nominal else int((t.spans[:, 1] - t.spans[:, 0]).max())
                     for t in (self.rows, self.cols))

    def box(self, y: int, x: int, clip: bool = True) -> tuple[int, int, int, int]:
        """``(x0, y0, x1, y1)`` in input pixels (exclusive ends) that position ``(y, x)`` sees.

        ``clip=False`` gives the nominal box, which may reach outside the input.
        """
        if not clip and not self.whole and self.rows.nominal and self.cols.nominal:
            r, c = self.rows.nominal, self.cols.nominal
            return (c.start + x * c.jump, r.start + y * r.jump,
                    c.start + x * c.jump + c.size, r.start + y * r.jump + r.size)
        return tuple(int(v) for v in self.boxes(np.array([y, x]))) if not self.whole else (
            0, 0, self.input_size, self.input_size)

    def boxes(self, positions: np.ndarray) -> np.ndarray:
        """Exact boxes (..., 4) for an array (..., 2) of (y, x) positions; empty boxes are all zero."""
        y, x = positions[..., 0].astype(np.int64), positions[..., 1].astype(np.int64)
        if self.whole:
            n = self.input_size
            return np.broadcast_to(np.array([0, 0, n, n]), (*y.shape, 4)).copy()
        boxes = np.stack([self.cols.spans[x, 0], self.rows.spans[y, 0], self.cols.spans[x, 1],
                          self.rows.spans[y, 1]], axis=-1)
        boxes[(boxes[..., 2] <= boxes[..., 0]) | (boxes[..., 3] <= boxes[..., 1])] = 0
        return boxes

    def as_dict(self) -> dict:
        def track(t: Track) -> dict:
            nominal = None if t.nominal is None else [t.nominal.start, t.nominal.jump, t.nominal.size]
            return {"nominal": nominal, "spans": t.spans.tolist()}

        axes = None if self.whole else {"rows": track(self.rows), "cols": track(self.cols)}
        return {"layer": self.layer, "input_size": self.input_size,
                "feature_shape": list(self.feature_shape), "axes": axes}

    @classmethod
    def from_dict(cls, data: dict) -> ReceptiveField:
        def track(d: dict) -> Track:
            return Track(None if d["nominal"] is None else Axis(*d["nominal"]), np.array(d["spans"], np.int64))

        axes = data["axes"]
        rows, cols = (None, None) if axes is None else (track(axes["rows"]), track(axes["cols"]))
        return cls(data["layer"], int(data["input_size"]), tuple(data["feature_shape"]), rows, cols)


def _pair(value) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def _conv_field(module: nn.Conv2d, field: Field, shape: tuple[int, int], out: tuple[int, int]) -> Field:
    if field is WHOLE:
        return WHOLE
    kernel, stride, dilation = _pair(module.kernel_size), _pair(module.stride), _pair(module.dilation)
    if isinstance(module, Conv2dSame):
        # Mirrors Conv2dSame.forward: TensorFlow "same" puts the smaller half of the padding first.
        before = [max((math.ceil(n / s) - 1) * s + k - n, 0) // 2
                  for n, k, s in zip(shape, kernel, stride, strict=True)]
    elif module.padding == "same":
        before = [d * (k - 1) // 2 for k, d in zip(kernel, dilation, strict=True)]
    elif module.padding == "valid":
        before = [0, 0]
    else:
        before = list(_pair(module.padding))
    return tuple(t.through(k, s, p, d, m) for t, k, s, p, d, m
                 in zip(field, kernel, stride, before, dilation, out, strict=True))


def _pool_field(module: nn.Module, field: Field, out: tuple[int, int]) -> Field:
    if field is WHOLE:
        return WHOLE
    if isinstance(module, nn.AdaptiveAvgPool2d | nn.AdaptiveMaxPool2d):
        return WHOLE if out == (1, 1) else tuple(t.adaptive(m) for t, m in zip(field, out, strict=True))
    kernel = _pair(module.kernel_size)
    stride = _pair(module.stride or module.kernel_size)
    padding = _pair(module.padding)
    dilation = _pair(getattr(module, "dilation", 1))
    return tuple(t.through(k, s, p, d, m) for t, k, s, p, d, m
                 in zip(field, kernel, stride, padding, dilation, out, strict=True))


def _pad_field(module: nn.Module, field: Field) -> Field:
    if field is WHOLE:
        return WHOLE
    left, right, top, bottom = module.padding
    rows, cols = field
    return (rows.padded(top, bottom), cols.padded(left, right))


GEOMETRIC = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d,
             nn.ZeroPad2d, nn.ConstantPad2d, nn.ReflectionPad2d, nn.ReplicationPad2d)


def _expected_size(module: nn.Module, n: int, axis: int) -> int | None:
    """Output length a standard conv or pool gives for input length ``n`` (None: not checked)."""
    if isinstance(module, Conv2dSame):
        return math.ceil(n / _pair(module.stride)[axis])
    if isinstance(module, nn.Conv2d | nn.MaxPool2d | nn.AvgPool2d) and not isinstance(module.padding, str):
        k = _pair(module.kernel_size)[axis]
        s = _pair(getattr(module, "stride", None) or module.kernel_size)[axis]
        p = _pair(module.padding)[axis]
        d = _pair(getattr(module, "dilation", 1))[axis]
        size = (n + 2 * p - d * (k - 1) - 1) / s + 1
        return math.ceil(size) if getattr(module, "ceil_mode", False) else math.floor(size)
    return None


class _Tracer(TorchFunctionMode):
    """Follows the receptive field of every tensor through one forward pass (this thread only)."""

    def __init__(self, x: torch.Tensor) -> None:
        super().__init__()
        n = x.shape[-1]
        self.fields: dict[int, tuple[torch.Tensor, Field]] = {}  # id -> (tensor kept alive, field)
        self.inside = 0  # > 0 while a geometric module computes its own output
        self.set(x, (Track.identity(x.shape[-2]), Track.identity(n)))

    def set(self, tensor: torch.Tensor, field: Field) -> None:
        self.fields[id(tensor)] = (tensor, field)

    def get(self, tensor: torch.Tensor) -> tuple[bool, Field]:
        entry = self.fields.get(id(tensor))
        return (False, WHOLE) if entry is None or entry[0] is not tensor else (True, entry[1])

    def pre_hook(self, _module, _inputs) -> None:
        self.inside += 1

    def hook(self, module: nn.Module, inputs, output) -> None:
        self.inside -= 1
        known, field = self.get(inputs[0])
        if not known:
            return
        shape = tuple(inputs[0].shape[-2:])
        out = tuple(output.shape[-2:])
        for axis in range(2):
            expected = _expected_size(module, shape[axis], axis)
            if expected is not None and expected != out[axis]:
                raise ReceptiveFieldError(f"{type(module).__name__} gives {out} from {shape}, "
                                          "not what its kernel, stride and padding say")
        if isinstance(module, nn.Conv2d):
            field = _conv_field(module, field, shape, out)
        elif isinstance(module, nn.ZeroPad2d | nn.ConstantPad2d | nn.ReflectionPad2d | nn.ReplicationPad2d):
            field = _pad_field(module, field)
        else:
            field = _pool_field(module, field, out)
        self.set(output, field)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if not self.inside:
            self._follow(func, [*_tensors(args), *_tensors(kwargs)], result)
        return result

    def _follow(self, func, inputs: list[torch.Tensor], result) -> None:
        known = [(t, f) for t in inputs for ok, f in [self.get(t)] if ok]
        if not known:
            return
        if all(f is WHOLE for _, f in known):
            for out in _tensors(result):
                self.set(out, WHOLE)
            return
        for out in _tensors(result):
            if out.dim() != 4:
                self.set(out, WHOLE)
                continue
            size = tuple(out.shape[-2:])
            spatial = [f for t, f in known if t.dim() == 4 and tuple(t.shape[-2:]) == size]
            if not spatial:
                name = getattr(func, "__name__", str(func))
                raise ReceptiveFieldError(f"cannot follow the receptive field through {name} "
                                          f"(spatial size changes to {size} outside a conv or pool module)")
            local = [f for f in spatial if f is not WHOLE]
            # A squeeze-excite gate multiplies a local map by a global vector: report the local
            # window, which is what the unit's pattern is about (the gate only rescales it).
            field = WHOLE
            if local:
                field = local[0]
                for other in local[1:]:
                    field = (field[0].union(other[0]), field[1].union(other[1]))
            self.set(out, field)


def _tensors(value) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v)]
    return []


def receptive_fields(model: nn.Module, layers: Sequence[str], input_size: int,
                     channels: int = 3) -> dict[str, ReceptiveField]:
    """The receptive field of each layer (module path, or ``OUTPUT``) for square inputs.

    Runs one forward pass of a zero image on a private view; safe on a shared model.
    """
    view = private_view(model)
    x = torch.zeros(1, channels, input_size, input_size)
    tracer = _Tracer(x)
    handles = []
    paths = [p for p in layers if p != OUTPUT]
    try:
        for module in view.modules():
            if isinstance(module, GEOMETRIC):
                handles.append(module.register_forward_pre_hook(tracer.pre_hook))
                handles.append(module.register_forward_hook(tracer.hook))
        with torch.no_grad(), capture(view, paths) as store, tracer:
            view(x)
    finally:
        for handle in handles:
            handle.remove()
    fields = {}
    for layer in layers:
        if layer == OUTPUT:
            fields[layer] = ReceptiveField(layer, input_size, (1, 1))
            continue
        out = store[layer]
        known, field = tracer.get(out)
        if not known:
            raise ReceptiveFieldError(f"layer {layer} does not depend on the input in a way udl_viz can follow")
        if out.dim() != 4 or field is WHOLE:
            fields[layer] = ReceptiveField(layer, input_size, (1, 1))
        else:
            fields[layer] = ReceptiveField(layer, input_size, tuple(out.shape[-2:]), *field)
    return fields


def receptive_field(model: nn.Module, layer: str, input_size: int, channels: int = 3) -> ReceptiveField:
    """The receptive field of one layer; see ``receptive_fields``."""
    return receptive_fields(model, [layer], input_size, channels)[layer]


class _Stop(Exception):
    """Raised by a hook to end a forward pass once the layer of interest has run."""


def run_to(view: nn.Module, x: torch.Tensor, layer: str, before: bool = False) -> torch.Tensor:
    """The output of ``layer`` (its input if ``before``) for ``x``, skipping the rest of the network.

    Registers a hook, so call it on a ``private_view``.
    """
    if layer == OUTPUT:
        return view(x)
    store: list[torch.Tensor] = []

    def grab(_module, inputs, output=None):
        store.append(inputs[0] if before else output)
        raise _Stop

    module = view.get_submodule(layer)
    handle = module.register_forward_pre_hook(grab) if before else module.register_forward_hook(grab)
    try:
        view(x)
    except _Stop:
        pass
    finally:
        handle.remove()
    return store[0]


def gradient_extents(model: nn.Module, layer: str, positions: Sequence[tuple[int, int]], input_size: int,
                     channels: int = 3, trials: int = 2, seed: int = 0) -> list[tuple[int, int, int, int] | None]:
    """For each (y, x), the bounding box ``(x0, y0, x1, y1)`` of input pixels whose gradient reaches it.

    Sums all channels at the position over a few random inputs, so no pixel that can influence
    the unit is missed by a dead ReLU; ``None`` when no pixel does. The check for ``receptive_field``.
    """
    view = private_view(model)
    generator = torch.Generator().manual_seed(seed)
    reach = torch.zeros(len(positions), input_size, input_size, dtype=torch.bool)
    for _ in range(trials):
        image = torch.randn(1, channels, input_size, input_size, generator=generator).requires_grad_(True)
        out = run_to(view, image, layer)
        for i, (y, x) in enumerate(positions):
            target = out[0, :, y, x].sum() if out.dim() == 4 else out[0].sum()
            # autograd.grad leaves the weights' .grad untouched
            (grad,) = torch.autograd.grad(target, image, retain_graph=True)
            reach[i] |= grad[0].abs().sum(0) > 0
    boxes = []
    for mask in reach.numpy():
        rows, cols = np.nonzero(mask)
        boxes.append((int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1)
                     if len(rows) else None)
    return boxes


def gradient_extent(model: nn.Module, layer: str, y: int, x: int, input_size: int, channels: int = 3,
                    trials: int = 2, seed: int = 0) -> tuple[int, int, int, int] | None:
    """``gradient_extents`` for one position."""
    return gradient_extents(model, layer, [(y, x)], input_size, channels, trials, seed)[0]
