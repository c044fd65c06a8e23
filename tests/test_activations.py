"""Feature maps with known answers, hook hygiene, and thread safety on one shared model."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from udl_viz.activations import first_layer_filters, layer_activations, relative_map
from udl_viz.hooks import activations, capture, private_view
from udl_viz.models import get_spec, load_model
from udl_viz.models.spec import Layer, ModelSpec, Preprocess
from udl_viz.samples import load_sample


class EdgeNet(nn.Module):
    """One hand-built conv: channel 0 detects vertical edges, channel 1 sums a 3×3 window."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, bias=True)
        with torch.no_grad():
            self.conv.weight.zero_()
            self.conv.weight[0, 0] = torch.tensor([[-1.0, 0, 1], [-1, 0, 1], [-1, 0, 1]])
            self.conv.weight[1, 0] = 1.0
            self.conv.bias[:] = torch.tensor([0.0, -1.0])
        self.relu = nn.ReLU()
        self.head = nn.Linear(2, 2)

    def forward(self, x):
        return self.head(self.relu(self.conv(x)).mean(dim=(2, 3)))


def edge_spec() -> ModelSpec:
    return ModelSpec(name="edge", title="edge", description="", weights_source="hand-built",
                     builder=EdgeNet, class_names=lambda: ["a", "b"],
                     preprocess=Preprocess(resize=5, crop=5, scale=lambda x: x / 255,
                                           unscale=lambda x: x * 255, grayscale=True,
                                           resample=Image.Resampling.NEAREST),
                     layers=(Layer("conv", "conv"), Layer("relu", "relu")), first_conv="conv", cam_layer="relu")


def step_image() -> Image.Image:
    """A 5×5 image: black left two columns, white right three."""
    pixels = np.zeros((5, 5), dtype=np.uint8)
    pixels[:, 2:] = 255
    return Image.fromarray(pixels, "L")


def test_hand_built_conv_activations_are_exact():
    model, spec = EdgeNet().eval(), edge_spec()
    result = layer_activations(model, spec, step_image(), "conv")
    # Vertical-edge kernel [-1, 0, 1] over columns 0 0 1 1 1: windows at x=0, 1 see a rise (3 rows), x=2 none.
    assert result.maps.shape == (2, 3, 3)
    np.testing.assert_allclose(result.maps[0], [[3, 3, 0]] * 3)
    # Box filter minus 1: 3×3 windows hold 3, 6, 9 white pixels.
    np.testing.assert_allclose(result.maps[1], [[2, 5, 8]] * 3)
    assert result.order.tolist() == [1, 0]
    stats = result.stats()
    assert stats["channels"] == 2 and stats["max"] == 8 and stats["dead_channels"] == 0


def test_first_layer_filters_are_scaled_around_gray():
    filters = first_layer_filters(EdgeNet(), edge_spec())
    assert filters.shape == (2, 3, 3, 1)
    np.testing.assert_allclose(filters[0, :, :, 0], [[0, 0.5, 1]] * 3)
    np.testing.assert_allclose(filters[1], 1.0)


def test_relative_map_scales_to_0_1_and_a_flat_map_to_zeros():
    np.testing.assert_allclose(relative_map(np.array([[0.0, 2.0], [4.0, 6.0]])), [[0, 1 / 3], [2 / 3, 1]], rtol=1e-6)
    assert not relative_map(np.full((2, 2), 5.0)).any()


def test_private_view_shares_weights_but_not_modules():
    model = EdgeNet()
    view = private_view(model)
    assert view.conv is not model.conv
    assert view.conv.weight is model.conv.weight


def test_hooks_are_removed_even_when_the_forward_fails():
    model = EdgeNet()
    with pytest.raises(RuntimeError), capture(model, ["conv", "relu"]):
        model(torch.zeros(1, 3, 5, 5))  # wrong channel count
    assert not model.conv._forward_hooks and not model.relu._forward_hooks
    activations(model, torch.zeros(1, 1, 5, 5), ["conv"])
    assert not model.conv._forward_hooks


def test_concurrent_calls_on_one_shared_model_match_serial_results():
    model, spec = load_model("efficientnet_lite0"), get_spec("efficientnet_lite0")
    images = [load_sample("Chelsea the cat"), load_sample("Rocket")]
    layer = "_blocks.5"
    serial = [layer_activations(model, spec, image, layer) for image in images]
    results: dict[int, list] = {0: [], 1: []}
    barrier = threading.Barrier(2)

    def work(i: int) -> None:
        barrier.wait()
        for _ in range(3):
            results[i].append(layer_activations(model, spec, images[i], layer))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(2):
        assert len(results[i]) == 3
        for result in results[i]:
            np.testing.assert_allclose(result.maps, serial[i].maps, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(result.logits, serial[i].logits, rtol=1e-5, atol=1e-4)
    assert not np.allclose(serial[0].maps, serial[1].maps)
    assert all(not m._forward_hooks for m in model.modules())
