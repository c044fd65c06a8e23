"""Vectorised torch.optim stepping: same paths as plain loops, state readouts, divergence reported."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from udl_viz.optim.descent import BLOWUP, descend, race, readouts
from udl_viz.optim.optimizers import OPTIMIZERS, STATE_LABELS, config
from udl_viz.optim.surfaces import ALL, CURVES, SURFACES

ALL_SEVEN = [config(name, 0.01) for name in OPTIMIZERS]


def plain_loop(surface, cfg, start, steps):
    """One optimizer, one start, gradients from the same analytic function: the reference."""
    p = torch.tensor(start, dtype=torch.float64)
    opt = cfg.build([p])
    path = [p.clone()]
    for _ in range(steps):
        p.grad = surface.grad(p)
        opt.step()
        path.append(p.clone())
    return torch.stack(path).numpy(), opt.state[p]


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "camel", "two-valleys"])
def test_vectorised_paths_equal_one_optimizer_at_a_time(name):
    surface = ALL[name]
    configs = [config(n, surface.lr[n]) for n in OPTIMIZERS]
    starts = [surface.start, [0.5 * (lo + hi) + 0.1 for lo, hi in surface.bounds]]
    runs = descend(surface, configs, starts, 60)
    for cfg, row in zip(configs, runs, strict=True):
        for start, run in zip(starts, row, strict=True):
            path, state = plain_loop(surface, cfg, start, 60)
            np.testing.assert_array_equal(run.positions, path)
            for key, value in state.items():
                if torch.is_tensor(value) and value.shape == path.shape[1:]:
                    np.testing.assert_array_equal(run.state[STATE_LABELS[key]][-1], value.numpy())


def test_autograd_mode_matches_loss_backward_exactly():
    surface = SURFACES["beale"]
    cfg = config("adadelta", 10.0)
    (run,) = race(surface, [cfg], (0.7, 1.4), 150, autograd=True)
    p = torch.tensor([0.7, 1.4], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adadelta([p], lr=10.0)
    for _ in range(150):
        opt.zero_grad()
        surface.value(p).backward()
        opt.step()
    assert run.positions[-1].tolist() == p.detach().tolist()


def test_gradient_descent_on_a_quadratic_has_the_textbook_answer():
    surface = SURFACES["quadratic"]  # L = (x² + 20 y²) / 2, so each step multiplies x by 1-lr and y by 1-20·lr
    lr, start, steps = 0.04, (-4.0, 2.0), 25
    (run,) = race(surface, [config("sgd", lr)], start, steps)
    k = np.arange(steps + 1)
    np.testing.assert_allclose(run.positions[:, 0], start[0] * (1 - lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(run.positions[:, 1], start[1] * (1 - 20 * lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(run.step_sizes()[1], lr * np.hypot(start[0], 20 * start[1]))


def test_momentum_buffer_and_adam_moments_are_read_out():
    surface = CURVES["two-valleys"]
    runs = race(surface, [config("momentum", 0.01, momentum=0.5), config("adam", 0.1)], [2.0], 3)
    g0 = surface.grad(torch.tensor([[2.0]], dtype=torch.float64)).item()
    assert runs[0].state["momentum buffer"][1, 0] == pytest.approx(g0)  # the first buffer is the gradient
    assert np.isnan(runs[0].state["momentum buffer"][0, 0])
    assert runs[1].state["1st moment m"][1, 0] == pytest.approx(0.1 * g0)
    assert runs[1].state["2nd moment v"][1, 0] == pytest.approx(0.001 * g0**2)
    rows = readouts(runs, 1)
    assert rows[0]["optimizer"] == "Momentum · lr 0.01" and rows[0]["status"] == "running"
    assert rows[0]["momentum buffer"] == f"{g0:.4g}" and rows[0]["1st moment m"] == "–"
    assert rows[1]["|gradient|"] == f"{abs(runs[1].grads[1, 0]):.4g}"


def test_divergence_is_reported_not_raised():
    surface = SURFACES["quadratic"]
    # lr 1: x jumps to 0 and y is multiplied by -19 every step; the loss 10·361^k passes 1e10 at k = 4.
    runs = race(surface, [config("sgd", 1.0), config("sgd", 0.05)], (1.0, 1.0), 200)
    wild, tame = runs
    assert wild.diverged_at == 4 and wild.last == 3
    assert wild.status == "diverged at step 4"
    assert np.isfinite(wild.positions[: wild.diverged_at]).all()
    assert tame.diverged_at is None and tame.losses[-1] < 1e-6
    rows = readouts(runs, 100)
    assert rows[0]["status"] == "diverged at step 4" and rows[0]["step"] == "3"
    assert rows[1]["status"] == "running"


def test_overflow_to_inf_and_nan_is_divergence_too():
    surface = SURFACES["rosenbrock"]
    (run,) = race(surface, [config("sgd", 1e150)], (-1.5, 2.0), 300)
    assert run.diverged_at == 1
    assert not np.isfinite(run.losses[-1]) or abs(run.losses[-1]) > BLOWUP
    (zero_eps,) = race(surface, [config("adam", 0.1, eps=0.0)], (1.0, 1.0), 5)  # 0/0 at the minimum: NaN
    assert zero_eps.diverged_at == 1


def test_bad_settings_raise_clear_errors_before_stepping():
    with pytest.raises(KeyError, match="unknown optimizer"):
        race(SURFACES["quadratic"], [config("lbfgs", 0.1)], (1.0, 1.0), 5)
    with pytest.raises(KeyError, match="has no hyperparameter beta1"):
        race(SURFACES["quadratic"], [config("sgd", 0.1, beta1=0.9)], (1.0, 1.0), 5)
    with pytest.raises(ValueError, match="momentum must be between 0 and 0.999"):
        config("sgd", 0.1, momentum=1.5)
    with pytest.raises(ValueError):
        race(SURFACES["quadratic"], [config("adam", -0.1)], (1.0, 1.0), 5)


def test_zero_steps_and_many_starts():
    surface = SURFACES["himmelblau"]
    rows = descend(surface, ALL_SEVEN, np.zeros((5, 2)), 0)
    assert len(rows) == 7 and all(len(row) == 5 for row in rows)
    assert rows[0][0].positions.shape == (1, 2) and rows[0][0].state == {}
    assert rows[0][3].label == "SGD · lr 0.01 · start 4"


def test_every_optimizer_takes_its_torch_optim_hyperparameters_by_their_torch_names():
    assert {h.name for h in OPTIMIZERS["sgd"].hypers} == {"momentum", "dampening", "weight_decay", "nesterov"}
    assert OPTIMIZERS["sgd"].defaults()["momentum"] == 0.0  # torch.optim.SGD's own default
    assert OPTIMIZERS["momentum"].defaults()["momentum"] == 0.9  # the lesson's
    assert "nesterov" not in OPTIMIZERS["nesterov"].defaults()  # fixed: it is what makes the variant
    assert config("adam", 0.1, betas=(0.5, 0.9)) == config("adam", 0.1, beta1=0.5, beta2=0.9)
    optimizer = config("sgd", 0.1, momentum="0.9", nesterov="true").build([torch.zeros(2, requires_grad=True)])
    group = optimizer.param_groups[0]
    assert isinstance(optimizer, torch.optim.SGD) and group["momentum"] == 0.9 and group["nesterov"] is True
