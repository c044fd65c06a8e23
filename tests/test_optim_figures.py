"""Animated figures: light frames over a static background, paths cut at divergence."""

from __future__ import annotations

import numpy as np
import plotly.io as pio
import pytest

from udl_viz.figures import animation, descent, landscape, minibatch
from udl_viz.optim.descent import race
from udl_viz.optim.landscape import DIRECTIONS, Landscape
from udl_viz.optim.minibatch import compare
from udl_viz.optim.optimizers import OPTIMIZERS, config
from udl_viz.optim.surfaces import CURVES, SURFACES, surface_view


@pytest.fixture(scope="module")
def rosenbrock_race():
    surface = SURFACES["rosenbrock"]
    return surface, race(surface, [config(n, surface.lr[n]) for n in OPTIMIZERS], surface.start, 500)


def test_frame_steps_and_thinning():
    assert animation.frame_steps(500, 60).tolist()[:3] == [0, 8, 17] and animation.frame_steps(500, 60)[-1] == 500
    assert animation.frame_steps(5, 60).tolist() == [0, 1, 2, 3, 4, 5]
    idx = animation.thin(499, 300)
    assert idx[0] == 0 and idx[-1] == 499 and len(idx) <= 301
    assert (idx[1] - idx[0]) % 2 == 1  # odd stride keeps a step-by-step zigzag visible
    assert animation.thin(10, 300).tolist() == list(range(11))


def test_seven_optimizers_500_steps_figure_is_light(rosenbrock_race):
    surface, runs = rosenbrock_race
    view = surface_view(surface)
    fig = descent.contour_figure(view, runs, descent.race_title(view, runs))
    n_static = len(fig.data) - len(runs) - 1
    assert len(fig.frames) == 61 and fig.frames[-1].name == "500"
    for frame in fig.frames:
        assert list(frame.traces) == list(range(n_static, len(fig.data)))  # only the paths move
        assert {t.type for t in frame.data} == {"scatter"}
    assert max(len(t.x) for f in fig.frames for t in f.data) <= 301
    assert all(t.type == "scatter" for t in fig.data)  # no contour trace: it would vanish while animating
    assert fig.layout.images[0].source.startswith("data:image/png;base64,")
    assert len(pio.to_json(fig, validate=False)) < 2_000_000
    assert fig.layout.title.text.startswith("Rosenbrock") and fig.layout.xaxis.title.text == "w₁"
    buttons = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert buttons == ["▶ Replay", "Pause", "Continue"] and len(fig.layout.sliders[0].steps) == 61
    np.testing.assert_allclose(fig.data[n_static].x[-1], runs[0].positions[-1, 0], rtol=1e-6)


def test_diverged_paths_stop_and_say_so():
    surface = SURFACES["quadratic"]
    runs = race(surface, [config("sgd", 1.0), config("sgd", 0.05)], (1.0, 1.0), 100)
    view = surface_view(surface)
    fig = descent.contour_figure(view, runs, descent.race_title(view, runs), clickable=False)
    names = [t.name for t in fig.data]
    assert "SGD · lr 1 · diverged at step 4" in names
    last = fig.frames[-1].data[0]
    assert len(last.x) == 4 and np.isfinite(np.asarray(last.y)).all()
    loss = descent.loss_figure(runs, view.min_value, "Loss per step")
    assert any(t.text and "diverged at step 4" in t.text[0] for t in loss.data)


def test_1d_tangent_has_the_gradients_slope():
    curve = CURVES["two-valleys"]
    runs = race(curve, [config("sgd", 0.03), config("adam", 0.1)], [2.0], 20)
    view = surface_view(curve)
    fig = descent.curve_figure(view, runs, descent.race_title(view, runs))
    tangent = fig.frames[3].data[-1]
    k = int(fig.frames[3].name)
    for i, r in enumerate(runs):
        (x0, x1), (y0, y1) = tangent.x[3 * i:3 * i + 2], tangent.y[3 * i:3 * i + 2]
        assert (y1 - y0) / (x1 - x0) == pytest.approx(r.grads[k, 0])
        assert (x0 + x1) / 2 == pytest.approx(r.positions[k, 0])
    assert fig.layout.yaxis.title.text == "loss L(w)"


def test_3d_view_and_state_chart(rosenbrock_race):
    surface, runs = rosenbrock_race
    fig = descent.surface_figure(surface_view(surface), runs[:2], "Rosenbrock in 3D")
    assert fig.data[0].type == "surface" and {t.type for t in fig.frames[0].data} == {"scatter3d"}
    assert fig.layout.updatemenus[0].buttons[0].args[1]["frame"]["redraw"] is True
    state = descent.state_figure(runs[4], surface.axis_labels, "Adam's memory")  # Adam
    assert [a.text for a in state.layout.annotations] == ["gradient", "1st moment m", "2nd moment v"]


def test_minibatch_figures():
    surface = SURFACES["diabetes"]
    runs = compare(16, 0.1, 2, surface.start)
    fig = minibatch.batch_figure(surface_view(surface), runs, "Same examples seen")
    assert fig.layout.sliders[0].steps[-1].label == "2.00" and fig.layout.sliders[0].currentvalue.prefix == "epoch "
    assert [t.name for t in fig.data if t.name and "update" in t.name] == [
        "Full batch (442): gradient descent · 1 update/epoch", "Mini-batch of 16 · 28 updates/epoch",
        "SGD: one example at a time · 442 updates/epoch"]
    epochs = minibatch.epoch_loss_figure(runs, surface.min_value, "Loss per epoch")
    assert epochs.layout.yaxis.type == "log"
    assert epochs.data[1].x.tolist() == [0, 1, 2]


def test_landscape_figures():
    a = np.linspace(-1, 1, 5)
    land = Landscape(a, a, np.add.outer(a**2, a**2) + 0.1, np.array([[0.8, 0.6], [0.3, 0.2], [0.0, 0.0]]),
                     np.array([2.3, 0.5, 0.1]), 0.9, "pca", 100)
    fig = landscape.landscape_figure(land, f"Loss on a slice along {DIRECTIONS[land.directions]}")
    assert fig.data[0].type == "contour" and fig.data[1].customdata[0].tolist() == [0, 2.3]
    assert "principal components" in fig.layout.title.text
    surf = landscape.landscape_surface_figure(land, "The slice in 3D")
    assert surf.data[1].z[-1] == pytest.approx(np.log10(0.1) + 0.01 * np.ptp(np.log10(land.loss)))
