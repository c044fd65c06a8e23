"""heap_batch: batches whose activations the allocator reuses, measured without counting as the caller's work."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from udl_viz.allocator import MMAP_THRESHOLD
from udl_viz.attribution.counting import PassCounter
from udl_viz.batching import heap_batch, largest_activation


def wide_conv() -> nn.Module:
    """3 -> 32 channels at 256 × 256: the largest activation is 32 × 256 × 256 floats = 8 MiB per input."""
    return nn.Sequential(nn.Conv2d(3, 32, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))


def test_largest_activation_and_batch_are_known_answers():
    model, x = wide_conv(), torch.zeros(1, 3, 256, 256)
    assert largest_activation(model, x) == 32 * 256 * 256 * 4
    assert heap_batch(model, x, cap=16) == 3  # 3 × 8 MiB fits under 32 MiB, 4 × 8 MiB does not
    assert heap_batch(model, x, cap=2) == 2
    small = torch.zeros(1, 3, 8, 8)
    assert heap_batch(model, small, cap=16) == 16  # 8 KiB per input: the cap decides
    assert (MMAP_THRESHOLD - 1) // (32 * 256 * 256 * 4) == 3


def test_the_probe_is_not_counted_and_leaves_no_hooks():
    model, x = wide_conv(), torch.zeros(1, 3, 64, 64)
    with PassCounter(model, target=0) as counter:
        heap_batch(model, x, cap=16)
    assert counter.forward == 0
    assert all(not m._forward_hooks for m in model.modules())


def test_efficientnet_lite0_batches_of_six():
    from udl_viz.models import get_spec, load_model

    spec = get_spec("efficientnet_lite0")
    x = torch.zeros(1, 3, spec.input_size, spec.input_size)
    model = load_model(spec.name)
    assert largest_activation(model, x) == 96 * 112 * 112 * 4
    assert heap_batch(model, x, cap=16) == 6


@pytest.mark.parametrize("method, settings", [("occlusion", {"window": 32, "stride": 32}),
                                              ("smoothgrad", {"samples": 12}), ("ig", {"steps": 12})])
def test_lite0_methods_never_make_a_tensor_glibc_would_map_fresh(method, settings):
    from udl_viz.attribution import get_method
    from udl_viz.models import get_spec, load_model

    spec = get_spec("efficientnet_lite0")
    # a copy: its weights are not the registry's, so occlusion stays in torch too (test_accelerate.py)
    model, seen = copy.deepcopy(load_model(spec.name)), []

    def record(_module, _inputs, output):
        if isinstance(output, torch.Tensor):
            seen.append((output.shape[0], output.numel() * output.element_size()))

    handles = [m.register_forward_hook(record) for m in model.modules()]  # private views copy them
    try:
        get_method(method).attribute(model, torch.rand(1, 3, 224, 224), 0, spec=spec, **settings)
    finally:
        for handle in handles:
            handle.remove()
    assert max(size for _, size in seen) < MMAP_THRESHOLD
    assert max(batch for batch, _ in seen) == 6  # the heap batch, not one image at a time
