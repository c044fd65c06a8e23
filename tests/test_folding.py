"""speed_up: a view of published weights is folded from the remembered plan, with the model's outputs and gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from udl_viz import folding
from udl_viz.attribution import get_method, integrated_gradients, smoothgrad
from udl_viz.fingerprint import publish
from udl_viz.hooks import private_view

SHAPE = (3, 32, 32)


def conv_net() -> nn.Module:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU6(),
                        nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):  # statistics that are not the identity
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
    return net.eval().requires_grad_(False)


@pytest.fixture
def probes(monkeypatch) -> list:
    """Every probe batch ``folding`` makes (one per check it runs)."""
    made, probe = [], folding._probe
    monkeypatch.setattr(folding, "_probe", lambda shape: made.append(shape) or probe(shape))
    return made


def test_published_weights_are_folded_once_then_from_the_plan(probes, monkeypatch):
    monkeypatch.setattr(folding, "_PLANS", type(folding._PLANS)())
    net = conv_net()
    publish(net)
    x = torch.randn(4, *SHAPE)
    first, second = (folding.speed_up(private_view(net), SHAPE) for _ in range(2))
    assert len(probes) == 2  # the first view's two checks only
    assert not any(isinstance(m, nn.BatchNorm2d) for m in second.modules())
    assert [m.inplace for m in second.modules() if isinstance(m, nn.ReLU | nn.Hardtanh)] == [True, True]
    with torch.inference_mode():
        torch.testing.assert_close(second(x), net(x), rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(first(x), second(x), rtol=0, atol=0)
    assert any(isinstance(m, nn.BatchNorm2d) for m in net.modules())  # the shared model is untouched


def test_other_weights_are_checked_every_time(probes):
    net = conv_net()  # not published: e.g. the sanity check's randomised copy, changed between calls
    folding.speed_up(private_view(net), SHAPE)
    net[0].weight.add_(1.0)
    view = folding.speed_up(private_view(net), SHAPE)
    assert len(probes) == 4
    with torch.inference_mode():
        x = torch.randn(2, *SHAPE)
        torch.testing.assert_close(view(x), net(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("method, module", [("smoothgrad", smoothgrad), ("ig", integrated_gradients)])
def test_gradient_maps_of_the_folded_model_are_the_models(method, module, probes, monkeypatch):
    net = conv_net()
    assert folding.fold_batchnorm(private_view(net), SHAPE) == 2
    probes.clear()
    x = torch.rand(1, *SHAPE, generator=torch.Generator().manual_seed(5))
    folded = get_method(method).attribute(net, x, 3)
    assert probes  # it was folded
    monkeypatch.setattr(module, "speed_up", lambda view, shape, in_place=True: view)
    plain = get_method(method).attribute(net, x, 3)
    np.testing.assert_allclose(folded.map, plain.map, atol=1e-4 * float(np.abs(plain.map).max()))
    assert (folded.forward_passes, folded.backward_passes) == (plain.forward_passes, plain.backward_passes)
