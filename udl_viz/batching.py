"""Batch sizes whose activations stay in the allocator's heaps instead of being mapped fresh each time.

torch's CPU tensors come from glibc's ``malloc``, which maps every block of 32 MiB or more (its
largest mmap threshold, see ``allocator``) fresh from the kernel and unmaps it when freed, so each
batch pays its page faults (the kernel zeroing every page) again. In a thread other than the main
one (every streamlit page runs in one) no threshold setting helps: its arena's heaps hold 64 MiB at
most. A batch whose largest activation stays under 32 MiB is served from the heaps instead.
EfficientNet-Lite0's largest activation is 4.8 MB per image (96 × 112 × 112 floats): batches of at
most 6, where occlusion, SmoothGrad and Integrated Gradients used 16, 16 and 10
(``benchmarks/bench_batching.py`` times both in a worker thread).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import torch
from torch import nn

from udl_viz.allocator import MMAP_THRESHOLD
from udl_viz.hooks import private_view

#: True while udl_viz measures a model for itself: pass counters ignore those forwards.
PROBING: ContextVar[bool] = ContextVar("udl_viz_probing", default=False)
#: Bytes per input of the largest tensor a forward makes, by (model class, first weight, input shape, dtype).
_LARGEST: dict[tuple, int] = {}


@contextmanager
def probing() -> Iterator[None]:
    """Mark the forwards inside the block as udl_viz's own measurements, not the caller's work."""
    token = PROBING.set(True)
    try:
        yield
    finally:
        PROBING.reset(token)


def largest_activation(model: nn.Module, x: torch.Tensor) -> int:
    """Bytes per input of the largest tensor one forward of ``model`` makes on inputs shaped like ``x``.

    Measured once per model and input shape with one input (on a private view, so hooks never touch
    the shared model), then remembered for the process.
    """
    first = next(model.parameters(), None)
    key = (type(model), None if first is None else first.data_ptr(), tuple(x.shape[1:]), x.dtype)
    if key not in _LARGEST:
        largest = [x[:1].numel() * x.element_size()]

        def record(_module: nn.Module, _inputs: tuple, output: object) -> None:
            outputs = output if isinstance(output, tuple | list) else (output,)
            largest.extend(t.numel() * t.element_size() for t in outputs if isinstance(t, torch.Tensor))

        view = private_view(model)
        handles = [m.register_forward_hook(record) for m in view.modules()]
        try:
            with probing(), torch.inference_mode():
                view(x[:1].detach())
        finally:
            for handle in handles:
                handle.remove()
        _LARGEST[key] = max(largest)
    return _LARGEST[key]


def heap_batch(model: nn.Module, x: torch.Tensor, cap: int) -> int:
    """The largest batch, at most ``cap``, whose every activation stays under the mmap threshold (see above)."""
    return max(1, min(cap, (MMAP_THRESHOLD - 1) // largest_activation(model, x)))
