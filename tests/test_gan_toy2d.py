"""The 2-D GAN playground: losses and gradient arrows against hand computation, bounded runs, mode collapse."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from udl_viz.gan import toy2d
from udl_viz.gan.toy2d import (
    ToyGan,
    discriminator_loss,
    generator_loss,
    ring_modes_hit,
    sample_target,
)
from udl_viz.settings import resolve


def sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a))


def test_losses_match_the_formulas_by_hand():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    expected_d = (-math.log(sigmoid(2.0)) - math.log(sigmoid(-1.0))) / 2 \
        + (-math.log(1 - sigmoid(0.5)) - math.log(1 - sigmoid(-3.0))) / 2
    assert discriminator_loss(real, fake).item() == pytest.approx(expected_d, rel=1e-6)
    minimax = (math.log(1 - sigmoid(0.5)) + math.log(1 - sigmoid(-3.0))) / 2
    nonsaturating = (-math.log(sigmoid(0.5)) - math.log(sigmoid(-3.0))) / 2
    assert generator_loss(fake, "minimax").item() == pytest.approx(minimax, rel=1e-6)
    assert generator_loss(fake, "nonsaturating").item() == pytest.approx(nonsaturating, rel=1e-6)
    # When D says ½ everywhere: D loss 2 ln 2, generator ∓ln 2 (the figure's reference lines).
    zero = torch.zeros(3)
    assert discriminator_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    assert generator_loss(zero, "minimax").item() == pytest.approx(-math.log(2))
    with pytest.raises(ValueError, match="unknown loss"):
        generator_loss(zero, "wasserstein")


@pytest.mark.parametrize("loss", ["minimax", "nonsaturating"])
def test_arrows_are_minus_the_gradient_for_a_hand_built_linear_discriminator(loss):
    gan = ToyGan(loss=loss)
    w, b = torch.tensor([[1.5, -0.5]]), torch.tensor([0.2])
    linear = nn.Linear(2, 1)
    with torch.no_grad():
        linear.weight.copy_(w)
        linear.bias.copy_(b)
    gan.discriminator = linear
    view = gan.view()
    score = view.fake @ w.numpy()[0] + b.item()
    d = 1 / (1 + np.exp(-score))
    # −∂/∂x log(1 − D) = D·w (minimax); −∂/∂x (−log D) = (1 − D)·w (non-saturating)
    expected = (d if loss == "minimax" else 1 - d)[:, None] * w.numpy()
    np.testing.assert_allclose(view.arrows, expected, rtol=1e-5, atol=1e-6)
    assert view.surface.shape == (toy2d.GRID, toy2d.GRID)
    # the surface is P(real) on the grid: check one corner by hand
    corner = sigmoid(1.5 * view.grid[0] - 0.5 * view.grid[0] + 0.2)
    assert view.surface[0, 0] == pytest.approx(corner, rel=1e-5)


def test_targets_and_bad_names():
    rng = np.random.default_rng(0)
    for name in toy2d.TARGETS:
        points = sample_target(name, 500, rng)
        assert points.shape == (500, 2) and points.dtype == np.float32
        assert np.abs(points).max() < toy2d.BOUNDS[1]
    ring = sample_target("ring", 2000, rng)
    assert np.linalg.norm(ring, axis=1).mean() == pytest.approx(2, abs=0.02)
    assert ring_modes_hit(ring) == 8
    assert ring_modes_hit(np.tile([[2.0, 0.0]], (100, 1))) == 1
    with pytest.raises(ValueError, match="unknown target"):
        ToyGan(target="torus")
    with pytest.raises(ValueError, match="unknown optimizer"):
        ToyGan(optimizer="lbfgs")


def test_steps_record_losses_and_stop_at_the_limit(monkeypatch):
    gan = ToyGan(target="moons", optimizer="sgd", d_steps=2, batch=16)
    before = gan.view().fake.copy()
    gan.step(3)
    view = gan.view()
    assert view.step == 3 and view.losses.shape == (3, 2)
    assert not np.allclose(before, view.fake)  # the same noise, moved by the generator's updates
    monkeypatch.setattr(toy2d, "MAX_STEPS", 5)
    gan.step(10)
    assert gan.steps == 5 and gan.finished


def run(settings: dict, steps: int) -> int:
    gan = ToyGan(**settings)
    gan.step(steps)
    return ring_modes_hit(gan.view().fake)


def test_the_collapse_preset_collapses_and_the_defaults_cover_the_ring():
    torch.set_num_threads(1)
    assert run(resolve(toy2d.SETTINGS), 300) == 8
    assert run(toy2d.COLLAPSE, 150) <= 2
