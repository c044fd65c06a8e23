"""Loss surfaces: analytic gradients against autograd, landmarks, the diabetes model."""

from __future__ import annotations

import pytest
import torch

from udl_viz.optim import diabetes
from udl_viz.optim.optimizers import OPTIMIZERS
from udl_viz.optim.surfaces import ALL, CURVES, SURFACES, get, grid


def random_points(surface, n: int = 64, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    lo = torch.tensor([b[0] for b in surface.bounds], dtype=torch.float64)
    hi = torch.tensor([b[1] for b in surface.bounds], dtype=torch.float64)
    return lo + (hi - lo) * torch.rand(n, surface.dim, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("name", list(ALL))
def test_analytic_gradient_agrees_with_autograd(name):
    surface = ALL[name]
    x = random_points(surface).requires_grad_()
    (auto,) = torch.autograd.grad(surface.value(x).sum(), x)
    torch.testing.assert_close(surface.grad(x.detach()), auto, rtol=1e-10, atol=1e-10)


def test_the_lecture_list_of_surfaces_and_curves_is_complete():
    assert set(SURFACES) == {"quadratic", "rosenbrock", "himmelblau", "beale", "saddle", "camel", "diabetes"}
    assert {"two-valleys", "bumpy"} <= set(CURVES)
    assert all(s.dim == 1 for s in CURVES.values()) and all(s.dim == 2 for s in SURFACES.values())
    for s in ALL.values():
        assert set(s.lr) == set(OPTIMIZERS), s.name
        assert all(lo <= v <= hi for v, (lo, hi) in zip(s.start, s.bounds, strict=True)), s.name


@pytest.mark.parametrize("name", list(ALL))
def test_landmarks_are_stationary_and_the_global_minimum_is_lowest(name):
    surface = ALL[name]
    points = torch.tensor([p for _, p in surface.landmarks], dtype=torch.float64)
    assert surface.grad(points).norm(dim=1).max() < 1e-3
    *_, loss = grid(surface, 301)
    assert surface.min_value <= float(loss.min()) + 1e-6


def test_known_values():
    rosen, himmel, beale, camel = (SURFACES[n] for n in ("rosenbrock", "himmelblau", "beale", "camel"))
    p = torch.tensor
    assert float(rosen.value(p([1.0, 1.0], dtype=torch.float64))) == 0.0
    assert float(rosen.value(p([-1.5, 2.0], dtype=torch.float64))) == pytest.approx(12.5)
    assert float(himmel.value(p([3.0, 2.0], dtype=torch.float64))) == 0.0
    assert float(beale.value(p([3.0, 0.5], dtype=torch.float64))) == 0.0
    assert camel.min_value == pytest.approx(-1.0316, abs=1e-4)
    assert CURVES["two-valleys"].min_value == pytest.approx(-5.4442, abs=1e-4)
    saddle = SURFACES["saddle"]
    hessian = torch.autograd.functional.hessian(lambda q: saddle.value(q), torch.zeros(2, dtype=torch.float64))
    assert torch.linalg.eigvalsh(hessian).tolist() == pytest.approx([-1.0, 2.0])


def test_diabetes_loss_is_the_mean_squared_error_of_a_line():
    x, y = diabetes.data()
    assert len(x) == 442
    w, b = torch.tensor([0.7, 1.3, -0.5], dtype=torch.float64), torch.tensor([0.2, -1.0, 2.0], dtype=torch.float64)
    direct = ((w[:, None] * x + b[:, None] - y) ** 2).mean(dim=1)
    torch.testing.assert_close(diabetes.loss(w, b), direct, rtol=1e-10, atol=1e-12)
    w_star, b_star = diabetes.least_squares()
    slope, intercept = torch.linalg.lstsq(torch.stack((x, torch.ones_like(x)), 1), y[:, None]).solution[:, 0].tolist()
    assert (w_star, b_star) == pytest.approx((slope, intercept), rel=1e-9)
    assert SURFACES["diabetes"].landmarks[0][1] == pytest.approx((w_star, b_star), abs=1e-6)


def test_diabetes_batch_gradient_agrees_with_autograd():
    x, y = diabetes.data()
    p = torch.tensor([0.4, -0.3], dtype=torch.float64, requires_grad=True)
    (auto,) = torch.autograd.grad(diabetes.batch_loss(p, x[:17], y[:17]), p)
    torch.testing.assert_close(diabetes.batch_grad(p.detach(), x[:17], y[:17]), auto)


def test_grid_shapes_and_unknown_names():
    x, y, loss = grid(SURFACES["beale"], 40)
    assert x.shape == (40,) and y.shape == (40,) and loss.shape == (40, 40)
    assert float(loss[0, 0]) == float(SURFACES["beale"].value(torch.stack((x[0], y[0]))))
    w, loss1 = grid(CURVES["bumpy"], 50)
    assert w.shape == loss1.shape == (50,)
    with pytest.raises(KeyError, match="unknown surface"):
        get("everest")
