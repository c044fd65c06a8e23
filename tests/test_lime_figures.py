"""LIME figures: pure functions from arrays to labelled, colour-blind-safe plotly figures."""

from __future__ import annotations

import numpy as np

from udl_viz import style
from udl_viz.figures.lime import (
    OUTLINE,
    convergence_figure,
    segmentation_figure,
    spread_map_figure,
    top_superpixels_figure,
    weight_map_figure,
    weights_bar_figure,
)

PIXELS = np.full((20, 30, 3), 100, np.uint8)
SEGMENTS = np.repeat(np.arange(3), 10)[None, :].repeat(20, axis=0)  # three vertical stripes
WEIGHTS = np.array([0.3, -0.2, 0.05])


def test_segmentation_outlines_and_numbers_every_superpixel():
    fig = segmentation_figure(PIXELS, SEGMENTS, "3 superpixels")
    image, labels = fig.data
    assert fig.layout.title.text == "3 superpixels"
    assert list(labels.text) == ["0", "1", "2"]
    np.testing.assert_allclose(labels.x, [4.5, 14.5, 24.5])
    outlined = np.asarray(image.z)
    assert (outlined[:, [9, 10, 19, 20]] == OUTLINE).all() and (outlined[:, [5, 15, 25]] == 100).all()


def test_top_superpixels_tint_for_orange_and_against_blue():
    fig = top_superpixels_figure(PIXELS, SEGMENTS, [0], [1], "top")
    z = np.asarray(fig.data[0].z).astype(int)
    for col, colour in ((5, style.POSITIVE), (15, style.NEGATIVE)):
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(z[10, col] - (100 * 0.55 + rgb * 0.45)).max() <= 1
    assert (z[10, 25] < 100).all()  # neither: dimmed
    assert [t.name for t in fig.data[1:]] == ["for the class", "against the class"]


def test_weight_and_spread_maps():
    fig = weight_map_figure(PIXELS, SEGMENTS, WEIGHTS, "weights")
    heat = fig.data[1]
    assert heat.zmin == -heat.zmax == -0.3  # signed: centred on zero
    np.testing.assert_allclose(np.asarray(heat.z)[0, [0, 10, 20]], WEIGHTS)
    spread = spread_map_figure(PIXELS, SEGMENTS, np.array([0.0, 0.1, 0.2]), "spread")
    assert spread.data[1].colorbar.title.text == "std over seeds"


def test_weights_bar_sorts_colours_by_sign_and_shows_error_bars():
    fig = weights_bar_figure(WEIGHTS, "bars", std=np.array([0.01, 0.02, 0.03]))
    bar = fig.data[0]
    assert list(bar.x) == ["#0", "#2", "#1"]
    assert list(bar.marker.color) == [style.POSITIVE, style.POSITIVE, style.NEGATIVE]
    np.testing.assert_allclose(bar.error_y.array, [0.01, 0.03, 0.02])
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert len(weights_bar_figure(np.arange(30.0), "top", top=5).data[0].x) == 10


def test_convergence_marks_where_the_rule_stops():
    trace = [{"samples": 256, "estimated_fidelity": 0.9, "stop_at": 0.95, "top_stable": False},
             {"samples": 320, "estimated_fidelity": 0.985, "stop_at": 0.97, "top_stable": True}]
    fig = convergence_figure(trace, "converged?")
    assert list(fig.data[0].x) == [256, 320]
    assert list(fig.data[0].marker.symbol) == ["circle-open", "circle"]
    assert list(fig.data[1].y) == [0.95, 0.97] and fig.data[1].line.dash == "dash"
    assert fig.layout.yaxis.title.text == "estimated fidelity"
