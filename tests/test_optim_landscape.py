"""Loss landscapes: filter normalisation, projections, and the digits CNN's slice."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from udl_viz.optim.landscape import (
    filter_normalized_direction,
    loss_landscape,
    pca_directions,
    project,
)


def tiny_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 2))


def test_filter_normalised_directions_match_each_filters_norm_and_skip_biases():
    model = tiny_model()
    d = filter_normalized_direction(model, torch.Generator().manual_seed(1))
    assert d.shape == (nn.utils.parameters_to_vector(model.parameters()).numel(),)
    offset = 0
    for p in model.parameters():
        part = d[offset:offset + p.numel()].view_as(p)
        offset += p.numel()
        if p.dim() <= 1:
            assert torch.count_nonzero(part) == 0
        else:
            torch.testing.assert_close(part.flatten(1).norm(dim=1), p.detach().flatten(1).norm(dim=1))


def test_projection_recovers_coordinates_in_the_plane():
    g = torch.Generator().manual_seed(0)
    center, basis = torch.randn(50, generator=g), torch.randn(2, 50, generator=g)
    coords = torch.tensor([[0.5, -1.0], [2.0, 0.25], [0.0, 0.0]])
    got, share = project(center + coords @ basis, center, basis)
    np.testing.assert_allclose(got, coords.numpy(), atol=1e-5)
    assert share == pytest.approx(1.0)
    _, share_off = project(center + torch.randn(4, 50, generator=g), center, basis)
    assert share_off < 0.6


def test_pca_directions_span_a_planar_trajectory():
    g = torch.Generator().manual_seed(0)
    center, basis = torch.randn(40, generator=g), torch.linalg.qr(torch.randn(40, 2, generator=g)).Q.T
    t = torch.linspace(0, 1, 12)[:, None]
    trajectory = center + torch.cat((3 * (1 - t), (1 - t) ** 2), dim=1) @ basis
    found = pca_directions(trajectory, center)
    _, share = project(trajectory, center, found)
    assert share == pytest.approx(1.0, abs=1e-5)


def test_landscape_grid_centre_is_the_models_own_loss():
    model = tiny_model().eval()
    x, y = torch.rand(20, 1, 4, 4), torch.randint(0, 2, (20,))
    weights = nn.utils.parameters_to_vector(model.parameters()).detach()
    trajectory = [weights + 0.1 * k * torch.ones_like(weights) for k in (3, 2, 1, 0)]
    seen = []
    land = loss_landscape(model, x, y, trajectory, resolution=5, span=0.5, progress=lambda d, t: seen.append((d, t)))
    with torch.no_grad():
        own = nn.functional.cross_entropy(model(x), y).item()
    assert land.loss.shape == (5, 5) and land.alphas.tolist() == [-0.5, -0.25, 0.0, 0.25, 0.5]
    assert land.loss[2, 2] == pytest.approx(own, rel=1e-5)
    assert land.center_loss == pytest.approx(own, rel=1e-5)
    assert seen[-1] == (29, 29) and len(seen) == 29
    np.testing.assert_allclose(land.path[-1], [0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="must be one of random, pca"):
        loss_landscape(model, x, y, trajectory, directions="sideways")


def test_digits_cnn_training_path_lies_mostly_in_its_pca_plane():
    from udl_viz.datasets.digits import digits_split
    from udl_viz.models.digits import TRAJECTORY, load_digits_cnn, load_trajectory

    if not TRAJECTORY.exists():
        pytest.skip("digits_cnn trajectory not trained here")
    model, trajectory = load_digits_cnn(), load_trajectory()
    x, y, _, _ = digits_split()
    pca = loss_landscape(model, x[:100], y[:100], trajectory, directions="pca", resolution=3)
    rand = loss_landscape(model, x[:100], y[:100], trajectory, directions="random", resolution=3)
    assert pca.in_plane > 0.5 > 0.1 > rand.in_plane
    assert pca.path_loss[0] > 2.0 > 0.1 > pca.center_loss  # random start near log(10), trained near 0
    assert rand.loss[1, 1] == pytest.approx(rand.center_loss, rel=1e-5)
    assert rand.loss.max() > 10 * rand.center_loss  # one filter-norm step away the loss is far higher
