"""Attribution methods: known answers on tiny models, real pass counts, hooks always removed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from tests.browser import ROOT
from udl_viz.attribution import METHODS, get_method
from udl_viz.attribution import base as attribution_base
from udl_viz.attribution.guided_backprop import GuidedReLU6, guide_relu6
from udl_viz.hooks import private_view
from udl_viz.models import get_spec, load_model

C, H, W, K = 3, 4, 4, 2


@pytest.fixture
def linear() -> nn.Module:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(C * H * W, K)).eval()
    return model.requires_grad_(False)


@pytest.fixture
def x() -> torch.Tensor:
    return torch.randn(1, C, H, W, generator=torch.Generator().manual_seed(1))


def _weights(model: nn.Module, target: int) -> torch.Tensor:
    return model[1].weight[target].reshape(C, H, W)


def test_gradient_of_a_linear_model_is_its_weights(linear, x):
    result = get_method("saliency").attribute(linear, x, 1)
    np.testing.assert_allclose(result.map, _weights(linear, 1).sum(0).numpy(), rtol=1e-5, atol=1e-6)
    assert (result.forward_passes, result.backward_passes) == (1, 1)
    assert result.map.dtype == np.float32 and result.map.shape == (H, W)


def test_smoothgrad_of_a_linear_model_is_its_weights_and_costs_one_pass_per_sample(linear, x):
    result = get_method("smoothgrad").attribute(linear, x, 0, samples=7, noise=0.3)
    np.testing.assert_allclose(result.map, _weights(linear, 0).sum(0).numpy(), rtol=1e-4, atol=1e-5)
    assert (result.forward_passes, result.backward_passes) == (7, 7)


def test_integrated_gradients_of_a_linear_model_is_weight_times_input(linear, x):
    result = get_method("ig").attribute(linear, x, 1, steps=8)  # no spec: the black baseline is 0
    expected = (_weights(linear, 1) * x[0]).sum(0).numpy()
    np.testing.assert_allclose(result.map, expected, rtol=1e-4, atol=1e-5)
    assert result.extras["convergence_delta"] == pytest.approx(0, abs=1e-4)
    assert result.extras["score_change"] == pytest.approx(float((_weights(linear, 1) * x[0]).sum()), rel=1e-4)
    # n_steps forward+backward, plus captum's two forwards for the convergence delta
    assert (result.forward_passes, result.backward_passes) == (8 + 2, 8)


def test_occlusion_of_a_linear_model_is_each_pixels_contribution(linear, x):
    result = get_method("occlusion").attribute(linear, x, 0, window=1, stride=1)
    np.testing.assert_allclose(result.map, (_weights(linear, 0) * x[0]).sum(0).numpy(), rtol=1e-4, atol=1e-5)
    assert (result.forward_passes, result.backward_passes) == (H * W + 1, 0)
    assert result.extras["patches"] == H * W


def test_occlusion_refuses_a_stride_past_its_patch_with_a_message(linear, x):
    """Patches 1 px wide every 2 px would leave pixels uncovered (captum asserts; a student gets a sentence)."""
    with pytest.raises(ValueError, match=r"stride \(2 px\) is larger than the patch \(1 px\)"):
        get_method("occlusion").attribute(linear, x, 0, window=1, stride=2)


class TinyCam(nn.Module):
    """conv 1×1 (2 channels) → ReLU → global average pool → linear: Grad-CAM by hand is easy."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 1, bias=False)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(2, 2, bias=False)
        with torch.no_grad():
            self.conv.weight.copy_(torch.tensor([1.0, -1.0]).view(2, 1, 1, 1))
            self.fc.weight.copy_(torch.tensor([[2.0, 1.0], [-1.0, 3.0]]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.relu(self.conv(x)).mean((2, 3)))


def test_gradcam_on_a_hand_built_conv():
    model = TinyCam().eval().requires_grad_(False)
    x = torch.tensor([[1.0, -2.0], [3.0, -1.0]]).view(1, 1, 2, 2)
    acts = torch.stack([x[0, 0].clamp(min=0), (-x[0, 0]).clamp(min=0)])  # relu(conv(x))
    for target in (0, 1):
        alpha = model.fc.weight[target] / 4  # d score / d A_k, averaged over the 2×2 positions
        expected = (alpha.view(2, 1, 1) * acts).sum(0).clamp(min=0)
        result = get_method("gradcam").attribute(model, x, target, layer="relu")
        np.testing.assert_allclose(result.map, expected.numpy(), rtol=1e-5, atol=1e-6)
        assert result.extras["layer_size"] == (2, 2)
        assert (result.forward_passes, result.backward_passes) == (1, 1)


def test_gradcam_without_a_layer_says_so(linear, x):
    with pytest.raises(ValueError, match="needs a layer"):
        get_method("gradcam").attribute(linear, x, 0)


def test_guided_backprop_handles_relu6():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 5), nn.ReLU6(), nn.Linear(5, 2)).eval().requires_grad_(False)
    x = torch.tensor([[[[0.5, -1.0], [2.0, 8.0]]]])
    target = 1
    z = model[1](x.flatten(1))[0]
    gate = ((z > 0) & (z < 6)).float()
    expected = model[1].weight.T @ (model[3].weight[target] * gate).clamp(min=0)
    result = get_method("guided_backprop").attribute(model, x, target)
    np.testing.assert_allclose(result.map, expected.view(2, 2).numpy(), rtol=1e-5, atol=1e-6)
    assert result.extras["relu6_swapped"] == 1
    assert type(model[2]) is nn.ReLU6  # the swap happened on a private view only
    plain = get_method("saliency").attribute(model, x, target).map
    assert not np.allclose(plain, result.map)  # guided differs from the plain gradient here


def test_guided_relu6_computes_relu6():
    v = torch.linspace(-3, 9, 25)
    assert torch.equal(GuidedReLU6()(v), nn.ReLU6()(v))
    assert isinstance(GuidedReLU6(), nn.ReLU)


class Failing(nn.Module):
    """A conv model whose forward fails on demand, after every hook has had its chance to register."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(C, 4, 3, padding=1)
        self.relu = nn.ReLU6()
        self.fc = nn.Linear(4, K)
        self.fail = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.fc(self.relu(self.conv(x)).mean((2, 3)))
        if self.fail:
            raise RuntimeError("boom")
        return out


#: Settings a spec would otherwise supply for these 4×4 test models.
SETTINGS = {"gradcam": {"layer": "relu"}, "occlusion": {"window": 2, "stride": 1}}


def _hooks(model: nn.Module) -> list:
    return [h for m in model.modules() for h in (m._forward_hooks, m._forward_pre_hooks, m._backward_hooks,
                                                 m._backward_pre_hooks) if h]


#: The six methods of the saliency page (others, e.g. LIME, have their own known-answer tests).
CORE = ["saliency", "smoothgrad", "ig", "gradcam", "guided_backprop", "occlusion"]


@pytest.mark.parametrize("method", list(METHODS))
def test_hooks_are_removed_after_every_method_errors_included(method, x, monkeypatch):
    # Attach everything to the model we hold, not to a private view, so leftovers would show.
    monkeypatch.setattr(attribution_base, "private_view", lambda model: model)
    model = Failing().eval().requires_grad_(False)
    settings = SETTINGS.get(method, {})
    get_method(method).attribute(model, x, 0, **settings)
    assert _hooks(model) == []
    model.fail = True
    with pytest.raises(RuntimeError, match="boom"):
        get_method(method).attribute(model, x, 0, **settings)
    assert _hooks(model) == []
    model.fail = False
    with pytest.raises(ValueError, match="out of range"):
        get_method(method).attribute(model, x, K, **settings)
    assert _hooks(model) == []


@pytest.mark.parametrize("method", list(METHODS))
def test_methods_leave_the_shared_model_untouched(method, x):
    model = Failing().eval().requires_grad_(False)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    settings = SETTINGS.get(method, {})
    get_method(method).attribute(model, x, 1, **settings)
    assert _hooks(model) == []
    assert type(model.relu) is nn.ReLU6
    assert all(not p.requires_grad for p in model.parameters())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_registry_and_settings():
    assert list(METHODS)[:6] == CORE
    assert all(m.name == name and m.label and m.description for name, m in METHODS.items())
    with pytest.raises(KeyError, match="choose one of"):
        get_method("magic")
    ig = get_method("ig")
    assert ig.resolve(None) == {"baseline": "black", "steps": 50}
    with pytest.raises(ValueError, match="between"):
        ig.resolve(None, {"steps": 0})
    with pytest.raises(ValueError, match="one of"):
        ig.resolve(None, {"baseline": "white"})
    with pytest.raises(ValueError, match="no setting"):
        ig.resolve(None, {"window": 3})
    assert ig.resolve(None, {"steps": "12"})["steps"] == 12  # CLI strings are converted


def test_every_method_on_digits_cnn():
    spec = get_spec("digits_cnn")
    model = load_model("digits_cnn").requires_grad_(False)
    x = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    for name in CORE:
        result = get_method(name).attribute(model, x, 3, spec=spec)
        assert result.map.shape == (8, 8) and np.isfinite(result.map).all(), name
        assert result.map.any(), name
    assert get_method("gradcam").resolve(spec)["layer"] == spec.cam_layer
    assert get_method("occlusion").resolve(spec) == {"window": 2, "stride": 1}


def test_efficientnet_lite0_guided_backprop_swaps_every_relu6():
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name).requires_grad_(False)
    relu6 = sum(type(m) is nn.ReLU6 for m in model.modules())
    assert guide_relu6(private_view(model)) == relu6 > 30
    result = get_method("guided_backprop").attribute(model, torch.zeros(1, 3, 224, 224), 0, spec=spec)
    assert result.map.shape == (224, 224) and result.extras["relu6_swapped"] == relu6
    assert not any(isinstance(m, GuidedReLU6) for m in model.modules())  # swapped on a private view only


def test_efficientnet_lite0_gradcam_explains_the_7x7_head():
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name).requires_grad_(False)
    result = get_method("gradcam").attribute(model, torch.zeros(1, 3, 224, 224), 0, spec=spec)
    assert result.map.shape == (224, 224) and result.extras["layer_size"] == (7, 7)


def test_torchvision_is_imported_only_for_a_blurred_input():
    """torchvision takes over a second to import: the saliency methods' defaults do without it."""
    probe = ("import sys, torch\nfrom udl_viz.attribution import get_method, inputs\n"
             "x = torch.rand(1, 3, 32, 32)\nmodel = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3072, 2))\n"
             "get_method('ig').attribute(model, x, 0, steps=4)\nprint('torchvision' in sys.modules)\n"
             "inputs.blurred(x)\nprint('torchvision' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
