"""Feature visualization: gradient ascent finds a unit's known favourite, never touches the model."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from udl_viz.models import get_spec, load_model
from udl_viz.models.spec import Layer, ModelSpec, Preprocess
from udl_viz.units import featurevis
from udl_viz.units.featurevis import (
    cached_visualize,
    load_visualization,
    pixels_to_input,
    visualize,
)
from udl_viz.units.receptive import OUTPUT

pytestmark = pytest.mark.usefixtures("private_cache")


class ColourNet(nn.Module):
    """Unit 0 of ``conv`` is 'red minus blue', unit 1 'blue minus red'; then a ReLU."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 1, bias=False)
        with torch.no_grad():
            self.conv.weight[:, :, 0, 0] = torch.tensor([[1.0, 0.0, -1.0], [-1.0, 0.0, 1.0]])
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.conv(x)).mean(dim=(2, 3))


def colour_spec() -> ModelSpec:
    return ModelSpec(name="colour", title="colour", description="", weights_source="hand-built",
                     builder=ColourNet, class_names=lambda: ["red", "blue"],
                     preprocess=Preprocess(resize=32, crop=32, scale=lambda x: x / 255, unscale=lambda x: x * 255,
                                           resample=Image.Resampling.BILINEAR),
                     layers=(Layer("relu", "relu"),), first_conv="conv", cam_layer="relu")


def test_a_colour_unit_paints_its_colour():
    model = ColourNet().eval()
    red = visualize(model, colour_spec(), "relu", 0, steps=40, size=32, lr=0.5)
    blue = visualize(model, colour_spec(), "relu", 1, steps=40, size=32, lr=0.5)
    assert red.pixels[..., 0].mean() - red.pixels[..., 2].mean() > 150
    assert blue.pixels[..., 2].mean() - blue.pixels[..., 0].mean() > 150
    assert red.end > red.start and red.peak > 0.7  # relu(r - b) with r, b in [0, 1]
    assert red.pixels.dtype == np.uint8 and red.pixels.shape == (32, 32, 3) and len(red.trace) == 40


def test_pixels_map_to_model_input_through_the_inverse_of_unscale():
    spec = get_spec("efficientnet_lite0")
    pixels = torch.tensor([0.0, 127.0, 255.0]).view(1, 3, 1, 1).expand(1, 3, 2, 2)
    np.testing.assert_allclose(pixels_to_input(spec, pixels)[0, :, 0, 0], [-127 / 128, 0, 1], rtol=1e-6)


def test_a_unit_that_starts_dead_still_gets_a_gradient_on_digits():
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    result = visualize(model, spec, "relu2", 3, steps=60)
    assert result.end > result.start and result.peak > 0
    assert result.pixels.shape == (8, 8, 3) and result.box is None and result.patch is result.pixels
    assert all(torch.equal(before[name], p) and p.grad is None for name, p in model.named_parameters())
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_the_neuron_objective_keeps_the_centre_units_receptive_field():
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    result = visualize(model, spec, "relu2", 25, objective="neuron", steps=30)
    assert result.box == (2, 2, 7, 7)  # relu2 at (4, 4) sees 5×5 pixels
    assert result.patch.shape == (5, 5, 3) and result.end > result.start
    assert result.peak >= result.end  # the peak is over all positions, after the ReLU
    with pytest.raises(ValueError, match="objective"):
        visualize(model, spec, "relu2", 25, objective="pixel", steps=1)


def test_efficientnet_ascent_raises_the_unit_and_the_class_score():
    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0").requires_grad_(False)
    unit = visualize(model, spec, "_blocks.2", 5, steps=6, size=64)
    assert unit.end > unit.start and unit.trace[-1] > unit.trace[0]
    score = visualize(model, spec, OUTPUT, 207, steps=4, size=64)
    assert score.end > score.start


def test_results_are_cached_on_disk(monkeypatch):
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    assert load_visualization(model, spec, "relu3", 2, objective="neuron", steps=5) is None
    first = cached_visualize(model, spec, "relu3", 2, objective="neuron", steps=5)

    def no_rerun(*args, **kwargs):
        raise AssertionError("should come from the cache")

    monkeypatch.setattr(featurevis, "visualize", no_rerun)
    again = cached_visualize(model, spec, "relu3", 2, objective="neuron", steps=5)
    np.testing.assert_array_equal(again.pixels, first.pixels)
    assert again.peak == pytest.approx(first.peak) and len(again.trace) == 5 and again.box == first.box
    with pytest.raises(AssertionError, match="cache"):
        cached_visualize(model, spec, "relu3", 2, objective="channel", steps=5)
