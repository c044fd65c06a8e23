"""The CNN, unit and image figures: their traces, titles, axis ranges and colours."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz import style
from udl_viz.figures.cnn import (
    channel_strength_figure,
    feature_grid_figure,
    filter_tiles_figure,
    layer_stats_figure,
    mosaic,
    top_k_figure,
)
from udl_viz.figures.images import image_figure, overlay_figure
from udl_viz.figures.units import ascent_figure, patch_grid_figure, source_figure, synthesis_figure
from udl_viz.inference import Prediction


def test_top_k_puts_the_most_likely_class_on_top_on_a_0_to_1_axis():
    fig = top_k_figure([Prediction(3, "cat", 0.7), Prediction(5, "dog", 0.2)], "Top-2")
    (bar,) = fig.data
    assert list(bar.y) == ["dog", "cat"] and list(bar.x) == [0.2, 0.7]  # plotly draws the last bar on top
    assert list(bar.text) == ["20.0%", "70.0%"] and bar.marker.color == style.PALETTE[0]
    assert fig.layout.title.text == "Top-2" and list(fig.layout.xaxis.range) == [0, 1]


def test_feature_grid_shares_one_colour_scale_centred_on_zero_or_scales_each_tile():
    maps = np.stack([np.full((2, 2), v) for v in (1.0, 5.0, -3.0)])
    fig = feature_grid_figure(maps, [0, 2], "Two channels", columns=8)
    (heat,) = fig.data  # one heatmap: a browser draws it much faster than a subplot per tile
    assert heat.coloraxis == "coloraxis" and heat.hoverongaps is False
    (y0, x0), (y2, x2) = mosaic(maps[[0, 2]], 8, gap=1, label_room=1)[1]
    np.testing.assert_array_equal(heat.z[y2: y2 + 2, x2: x2 + 2], maps[2])
    assert np.isnan(heat.z[:, x0 + 2]).all()  # the gap between the tiles is drawn transparent
    assert heat.customdata.dtype == np.int16 and "%{z" in heat.hovertemplate  # the colour is the value itself
    np.testing.assert_array_equal(heat.customdata[y2: y2 + 2, x2: x2 + 2], np.full((2, 2), 2))  # the hover's channel
    assert [a.text for a in fig.layout.annotations] == ["ch 0", "ch 2"]
    assert [a.x for a in fig.layout.annotations] == [x0 + 0.5, x2 + 0.5]  # each label over the middle of its tile
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (-3.0, 3.0)  # channel 1 is not shown
    assert fig.layout.title.text == "Two channels"
    own = feature_grid_figure(maps, [0, 2], "Each to its own max", per_channel=True)
    assert (own.layout.coloraxis.cmin, own.layout.coloraxis.cmax) == (-1.0, 1.0)
    np.testing.assert_array_equal(own.data[0].z[y2: y2 + 2, x2: x2 + 2], -np.ones((2, 2)))
    np.testing.assert_array_equal(own.data[0].customdata[y2: y2 + 2, x2: x2 + 2, 1], maps[2])  # hover: real value


def test_mosaic_lays_tiles_out_in_rows_with_gaps_and_label_room():
    tiles = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    canvas, origins = mosaic(tiles, columns=2, gap=1, label_room=2)
    assert origins == [(2, 0), (2, 4), (7, 0), (7, 4), (12, 0)]
    assert canvas.shape == (3 * 5 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(canvas[7:9, 4:7], tiles[3])
    assert np.isnan(canvas[:2]).all() and np.isnan(canvas[12:14, 4:]).all()  # label room, the empty last slot


def test_filter_tiles_map_a_weight_of_one_half_to_mid_gray():
    filters = np.full((3, 2, 2, 1), 0.5)
    fig = filter_tiles_figure(filters, "Filters", columns=2)
    (image,) = fig.data
    (y, x) = mosaic(filters, 2, gap=1, label_room=1)[1][2]
    tile = np.asarray(image.z)[y: y + 2, x: x + 2]
    assert (tile[..., :3] == 128).all() and (tile[..., 3] == 255).all()
    assert (np.asarray(image.z)[0, :, 3] == 0).all()  # the label row is transparent
    assert [a.text for a in fig.layout.annotations] == ["0", "1", "2"]


def test_channel_strength_sorts_strongest_first_and_keeps_the_channel_ids():
    means = np.array([0.1, 0.9, 0.5])
    order = np.argsort(-means)
    (bar,) = channel_strength_figure(means, order, "Channels").data
    assert list(bar.y) == [0.9, 0.5, 0.1] and list(bar.customdata) == [1, 2, 0]


def test_layer_stats_plot_sparsity_as_a_percentage_on_the_second_axis():
    rows = [{"layer": "conv1", "mean": 0.5, "fraction_zero": 0.25},
            {"layer": "conv2", "mean": 0.2, "fraction_zero": 0.75}]
    fig = layer_stats_figure(rows, "Activation statistics per layer")
    bars, line = fig.data
    assert list(bars.y) == [0.5, 0.2] and list(line.y) == [0.25, 0.75] and line.yaxis == "y2"
    assert list(fig.layout.yaxis2.range) == [0, 1] and fig.layout.yaxis2.tickformat == ".0%"
    assert fig.layout.title.text == "Activation statistics per layer"


def test_image_figure_hides_its_axes_and_keeps_the_pixels():
    pixels = np.zeros((4, 6, 3), np.uint8)
    fig = image_figure(pixels, "A photo")
    assert fig.data[0].z.shape == (4, 6, 3) and fig.layout.title.text == "A photo"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.autorange == "reversed"


def test_signed_overlay_is_centred_on_zero_and_plain_overlay_spans_the_heat():
    pixels = np.zeros((2, 2, 3), np.uint8)
    heat = np.array([[-1.0, 0.0], [0.5, 2.0]])
    signed = overlay_figure(pixels, heat, "Signed", signed=True, opacity=0.3).data[1]
    assert (signed.zmin, signed.zmax, signed.opacity) == (-2.0, 2.0, 0.3)
    plain = overlay_figure(pixels, heat, "Plain", colorbar_title="score").data[1]
    assert (plain.zmin, plain.zmax) == (-1.0, 2.0) and plain.colorbar.title.text == "score"
    with pytest.raises(ValueError, match="does not match"):
        overlay_figure(pixels, np.zeros((3, 3)), "Wrong size")
    with pytest.raises(ValueError, match="does not match"):
        overlay_figure(np.zeros((8, 4, 3), np.uint8), heat, "Wrong shape")


def test_a_coarse_overlay_goes_out_at_its_own_size_centred_on_its_blocks_and_smoothed():
    heat = np.arange(4.0).reshape(2, 2)
    full = overlay_figure(np.zeros((2, 2, 3), np.uint8), heat, "Same size").data[1]
    assert (full.x0, full.dx, full.zsmooth) == (0, 1, False)
    coarse = overlay_figure(np.zeros((8, 8, 3), np.uint8), heat, "Feature map").data[1]
    assert coarse.z.shape == (2, 2) and coarse.zsmooth == "best"
    assert (coarse.x0, coarse.dx, coarse.y0, coarse.dy) == (1.5, 4, 1.5, 4)  # value (0, 0) covers pixels 0-3


def test_patch_grid_turns_gray_patches_into_rgb_tiles_with_titles():
    fig = patch_grid_figure([np.zeros((3, 3), np.uint8), np.zeros((5, 4, 3), np.uint8)], ["a", "b"], "Top patches",
                            hovers=["first", "second"])
    assert [t.z.shape for t in fig.data] == [(3, 3, 3), (5, 4, 3)]
    assert [a.text for a in fig.layout.annotations] == ["a", "b"] and "second" in fig.data[1].hovertemplate
    assert fig.layout.title.text == "Top patches"


def test_source_figure_outlines_the_box_in_orange_on_a_dark_halo():
    fig = source_figure(np.zeros((10, 10, 3), np.uint8), (2, 3, 6, 8), "Where it comes from")
    halo, box = fig.layout.shapes
    assert (halo.line.color, box.line.color) == ("#000000", style.POSITIVE)
    assert (box.x0, box.y0, box.x1, box.y1) == (1.5, 2.5, 5.5, 7.5)  # pixel edges, not centres
    assert fig.layout.yaxis.autorange == "reversed"


def test_synthesis_and_ascent_figures():
    fig = synthesis_figure(np.zeros((8, 8, 1), np.uint8), "Synthesized")
    assert fig.data[0].z.shape == (8, 8, 3) and fig.layout.title.text == "Synthesized"
    (line,) = ascent_figure(np.array([0.1, 0.4, 0.9]), "Ascent", ylabel="logit").data
    assert list(line.x) == [1, 2, 3] and list(line.y) == [0.1, 0.4, 0.9] and line.line.color == style.PALETTE[0]
    assert ascent_figure(np.ones(2), "Ascent", ylabel="logit").layout.yaxis.title.text == "logit"
