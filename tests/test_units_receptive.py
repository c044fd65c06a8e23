"""Receptive fields from the network's structure: hand-worked answers and gradient checks."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from udl_viz.models import get_spec, load_model
from udl_viz.models.efficientnet_lite import Conv2dSame
from udl_viz.units.receptive import (
    OUTPUT,
    Axis,
    ReceptiveFieldError,
    gradient_extent,
    gradient_extents,
    receptive_field,
    receptive_fields,
)


class Stack(nn.Module):
    """conv3 p1 → maxpool2 → conv3 s2 dilation 2 → avgpool3 s1 p1 → global pool → linear."""

    def __init__(self, pool: type[nn.Module] = nn.MaxPool2d) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.pool1 = pool(2)
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2, dilation=2)
        self.pool2 = nn.AvgPool2d(3, stride=1, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        x = self.pool2(self.conv2(self.pool1(torch.tanh(self.conv1(x)))))
        return self.fc(self.gap(x).flatten(1))


class Residual(nn.Module):
    """Two 3×3 convs with a skip around the second, then a TF-"same" 4×4 stride-2 conv."""

    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv2d(1, 3, 3, padding=1)
        self.b = nn.Conv2d(3, 3, 3, padding=1)
        self.same = Conv2dSame(3, 2, 4, 2)

    def forward(self, x):
        y = self.a(x)
        z = self.b(torch.tanh(y)) + y
        return self.same(z)


def test_stack_matches_the_hand_worked_answer():
    # in: (start 0, jump 1, size 1); conv3 p1 → (-1, 1, 3); pool2 → (-1, 2, 4);
    # conv3 s2 d2 (span 5) → (-1, 4, 4 + 4·2 = 12); avgpool3 p1 → (-1 - 4, 4, 12 + 2·4 = 20).
    fields = receptive_fields(Stack(), ["conv1", "pool1", "conv2", "pool2", "fc", OUTPUT], 32, channels=1)
    assert fields["conv1"].rows.nominal == Axis(-1, 1, 3)
    assert fields["pool1"].rows.nominal == Axis(-1, 2, 4)
    assert fields["conv2"].rows.nominal == Axis(-1, 4, 12) and fields["conv2"].feature_shape == (6, 6)
    assert fields["pool2"].rows.nominal == fields["pool2"].cols.nominal == Axis(-5, 4, 20)
    assert fields["pool2"].size == (20, 20)
    assert fields["pool2"].box(2, 3) == (7, 3, 27, 23)
    assert fields["pool2"].box(0, 0) == (0, 0, 15, 15)  # clipped to the input
    assert fields["pool2"].box(0, 0, clip=False) == (-5, -5, 15, 15)
    assert fields["fc"].whole and fields[OUTPUT].whole and fields[OUTPUT].box(0, 0) == (0, 0, 32, 32)


def test_residual_takes_the_union_and_same_padding_puts_the_smaller_half_first():
    # a: (-1, 1, 3); b on top: (-2, 1, 5); union with the skip (-1, 1, 3) is (-2, 1, 5).
    # Conv2dSame k4 s2 on 9 pixels pads (ceil(9/2) - 1)·2 + 4 - 9 = 3 in total: 1 before, 2 after.
    fields = receptive_fields(Residual(), ["a", "b", "same"], 9, channels=1)
    assert fields["b"].rows.nominal == Axis(-2, 1, 5)
    assert fields["same"].rows.nominal == Axis(-2 - 1, 2, 5 + 3)
    assert fields["same"].feature_shape == (5, 5)
    assert receptive_field(Residual(), "same", 8, channels=1).rows.nominal == Axis(-2 - 1, 2, 8)  # total 2: 1 before


def probes(h: int, w: int) -> list[tuple[int, int]]:
    """Every position of a small map; corners, edges and the middle of a larger one."""
    if h * w <= 36:
        return [(y, x) for y in range(h) for x in range(w)]
    return sorted({(y, x) for y in (0, 1, h // 2, h - 1) for x in (0, w // 3, w - 2, w - 1)})


@pytest.mark.parametrize(("net", "layers", "size"), [
    (Stack(nn.AvgPool2d), ["conv1", "pool1", "conv2", "pool2"], 32),
    (Residual(), ["b", "same"], 9),
    (Residual(), ["same"], 10),
])
def test_boxes_are_exactly_the_pixels_with_gradient(net, layers, size):
    torch.manual_seed(0)
    net = net.eval()
    for layer, rf in receptive_fields(net, layers, size, channels=1).items():
        positions = probes(*rf.feature_shape)
        assert gradient_extents(net, layer, positions, size, channels=1) == [rf.box(y, x) for y, x in positions]


def test_border_boxes_are_tighter_than_the_formula():
    # pool2's last column reads conv2 columns 4, 5 and padding; conv2 (valid, stride 2) never
    # reads input column 31, so the box stops at 31 although the formula says 35.
    rf = receptive_field(Stack(nn.AvgPool2d), "pool2", 32, channels=1)
    assert rf.box(0, 5, clip=False) == (15, -5, 35, 15)
    assert rf.box(0, 5) == (15, 0, 31, 15)


def test_max_pooling_boxes_cover_every_pixel_with_gradient():
    torch.manual_seed(0)
    net = Stack(nn.MaxPool2d).eval()
    rf = receptive_field(net, "pool2", 32, channels=1)
    for y, x in [(0, 0), (2, 3), (5, 5)]:
        x0, y0, x1, y1 = rf.box(y, x)
        g = gradient_extent(net, "pool2", y, x, 32, channels=1, trials=4)
        assert x0 <= g[0] and y0 <= g[1] and g[2] <= x1 and g[3] <= y1


def test_digits_cnn_fields_pass_the_gradient_check():
    model = load_model("digits_cnn")
    fields = receptive_fields(model, ["relu1", "relu2", "relu3"], 8, channels=1)
    assert [fields[p].size for p in ("relu1", "relu2", "relu3")] == [(3, 3), (5, 5), (10, 10)]
    for layer, rf in fields.items():
        positions = probes(*rf.feature_shape)
        expected = [rf.box(y, x) for y, x in positions]
        assert gradient_extents(model, layer, positions, 8, channels=1, trials=3) == expected
    assert not any(p.grad is not None for p in model.parameters())


@pytest.mark.parametrize("size", [64, 57])
def test_efficientnet_fields_pass_the_gradient_check(size):
    """TF-"same" padding depends on the input size; 57 pixels makes every stride-2 conv pad unevenly."""
    model = load_model("efficientnet_lite0").requires_grad_(False)
    fields = receptive_fields(model, ["_stem_act", "_blocks.1", "_blocks.3"], size)
    assert fields["_blocks.3"].rows.nominal.jump == 8 and fields["_blocks.3"].size == (35, 35)
    for layer, rf in fields.items():
        positions = probes(*rf.feature_shape)
        assert gradient_extents(model, layer, positions, size, trials=1) == [rf.box(y, x) for y, x in positions]
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_efficientnet_known_fields_at_224():
    fields = receptive_fields(load_model("efficientnet_lite0"), ["_stem_act", "_blocks.3", "_blocks.5"], 224)
    assert fields["_stem_act"].rows.nominal == Axis(0, 2, 3)  # 224 even: TF pads (0, 1)
    assert fields["_blocks.3"].rows.nominal == Axis(-10, 8, 35)
    assert fields["_blocks.5"].rows.nominal == Axis(-26, 16, 83) and fields["_blocks.5"].feature_shape == (14, 14)


def test_an_op_that_resizes_outside_a_conv_or_pool_is_refused():
    class Upsampler(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(1, 1, 3)

        def forward(self, x):
            return F.interpolate(self.conv(x), scale_factor=2)

    with pytest.raises(ReceptiveFieldError, match="interpolate|upsample"):
        receptive_field(Upsampler(), "", 8, channels=1)


@pytest.mark.parametrize(("arch", "size"), [("resnet18", 96), ("alexnet", 127)])
def test_torchvision_architectures_pass_the_gradient_check(arch, size):
    """Residual downsampling branches and in-place ReLUs (random weights: nothing to download)."""
    torch.manual_seed(0)
    model = torchvision.models.get_model(arch, weights=None).eval()
    layers = [entry.path for entry in get_spec(arch).layers]
    for layer, rf in receptive_fields(model, layers, size).items():
        h, w = rf.feature_shape
        positions = [(0, 0), (h // 2, w // 2), (h - 1, w - 1)]
        assert gradient_extents(model, layer, positions, size, trials=1) == [rf.box(y, x) for y, x in positions]


def test_squeeze_excite_gates_are_left_out_of_the_box():
    """MobileNetV3's gates rescale a unit from the whole image; the box is its local window."""
    torch.manual_seed(0)
    model = torchvision.models.get_model("mobilenet_v3_large", weights=None).eval()
    rf = receptive_field(model, "features.5", 128)
    assert rf.size == (67, 67) and rf.box(8, 8) == (31, 31, 98, 98)
    assert gradient_extent(model, "features.5", 8, 8, 128, trials=1) == (0, 0, 128, 128)
