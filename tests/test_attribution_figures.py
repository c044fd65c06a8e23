"""Saliency figures: clipping for display, the method grid, faithfulness and sanity charts."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from udl_viz.attribution.faithfulness import Curve
from udl_viz.figures.saliency import (
    MAGNITUDE_LEGEND,
    RANDOM_LABEL,
    SIGNED_LEGEND,
    auc_scatter_figure,
    display_map,
    faithfulness_figure,
    map_grid_figure,
    map_tile_figure,
    saliency_figure,
    sanity_correlation_figure,
)

PIXELS = np.zeros((10, 10, 3), dtype=np.uint8)


def test_display_map_clips_the_few_extreme_pixels():
    heat = np.linspace(-1, 1, 400).reshape(20, 20)
    heat[0, 0] = -1000.0
    shown = display_map(heat, absolute=False, clip=99)
    assert -1 <= shown.min() < -0.9 and shown.max() <= 1 and shown[10, 10] == heat[10, 10]
    assert (display_map(heat, absolute=True) >= 0).all()
    assert np.array_equal(display_map(np.zeros((3, 3)), absolute=False), np.zeros((3, 3)))


def test_saliency_figure_is_signed_only_for_signed_maps():
    heat = np.linspace(-1, 1, 100).reshape(10, 10)
    signed = saliency_figure(PIXELS, heat, "signed")
    absolute = saliency_figure(PIXELS, heat, "absolute", absolute=True, opacity=0.3)
    assert signed.data[1].zmin == -signed.data[1].zmax
    assert absolute.data[1].zmin >= 0 and absolute.data[1].opacity == 0.3
    assert absolute.data[1].colorbar.title.text == MAGNITUDE_LEGEND  # words that match the colours
    assert signed.data[1].colorbar.title.text == SIGNED_LEGEND
    assert "rgba" in absolute.data[1].colorscale[0][1] and absolute.data[1].colorscale[0][1].endswith(",0)")


def test_map_grid_has_one_photo_and_one_map_per_tile_on_a_shared_scale():
    tiles = [(f"method {i}", np.random.default_rng(i).normal(size=(10, 10))) for i in range(5)]
    fig = map_grid_figure(PIXELS, tiles, "grid", columns=3)
    assert [t.type for t in fig.data].count("image") == 5 and [t.type for t in fig.data].count("heatmap") == 5
    assert fig.layout.coloraxis.cmin == -1 and fig.layout.coloraxis.cmax == 1
    assert max(float(np.abs(t.z).max()) for t in fig.data if t.type == "heatmap") <= 1
    assert [a.text for a in fig.layout.annotations] == [t for t, _ in tiles]


def test_faithfulness_figure_names_each_auc_and_dashes_the_random_baseline():
    f = np.linspace(0, 1, 3)
    fig = faithfulness_figure({"IG": Curve(f, np.array([1.0, 0.2, 0.0])),
                               RANDOM_LABEL: Curve(f, np.array([1.0, 0.8, 0.0]))}, "deletion",
                              "Deletion (lower area is better)")
    assert [t.name for t in fig.data] == ["IG (AUC 0.350)", "random map (AUC 0.650)"]
    assert fig.data[1].line.dash == "dash" and "lower area is better" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "fraction of pixels deleted"


def test_auc_scatter_and_sanity_chart():
    fig = auc_scatter_figure([{"method": "IG", "deletion_auc": 0.1, "insertion_auc": 0.9}], "Faithfulness")
    assert fig.data[0].x == (0.1,) and fig.layout.xaxis.title.text.startswith("deletion AUC")
    fig = sanity_correlation_figure({"Grad-CAM": (["output layer", "conv3"], [0.2, 0.1])}, "Sanity")
    assert list(fig.data[0].x) == ["trained model", "output layer", "conv3"] and fig.data[0].y[0] == 1.0


def test_photos_under_maps_are_pngs_the_browser_decodes_pixel_for_pixel():
    pixels = np.random.default_rng(0).integers(0, 256, (12, 10, 3), dtype=np.uint8)
    tile = map_tile_figure(pixels, np.ones((12, 10)), "Occlusion<br>1 fwd")
    photo = tile.data[0]
    assert photo.type == "image" and photo.z is None and photo.hoverinfo == "skip"
    assert photo.source.startswith("data:image/png;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(photo.source.split(",", 1)[1])))
    assert decoded.mode == "RGB" and np.array_equal(np.asarray(decoded), pixels)
    assert tile.data[1].z.shape == (12, 10)  # the map over it, pixel for pixel
