"""Figures for the CNN pages: predictions, feature-map grids, filters, layer statistics."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style

if TYPE_CHECKING:
    from udl_viz.inference import Prediction


def top_k_figure(predictions: list[Prediction], title: str, compact: bool = False) -> go.Figure:
    """Horizontal bars of class probabilities, most likely on top.

    ``compact`` drops the probability axis (each bar carries its percentage) and packs the bars,
    for the short panel above a page's main figure.
    """
    labels = [p.label for p in predictions][::-1]
    probs = [p.prob for p in predictions][::-1]
    fig = go.Figure(go.Bar(x=probs, y=labels, orientation="h", marker_color=style.PALETTE[0],
                           text=[f"{p:.1%}" for p in probs], textposition="auto",
                           hovertemplate="%{y}: %{x:.2%}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="probability",
                      xaxis_range=[0, 1], xaxis_tickformat=".0%", height=80 + 45 * len(labels))
    if compact:  # percentages outside the bars: inside, plotly would shrink them to fit
        fig.update_traces(textposition="outside", cliponaxis=False)
        fig.update_layout(xaxis_visible=False, height=8 + 30 * len(labels), margin={"t": 4, "b": 4}, bargap=0.15,
                          xaxis_range=[0, 1.25])  # room for "100.0%" after the longest bar
    return fig


def mosaic(tiles: np.ndarray, columns: int, gap: int = 1,
           label_room: int = 0) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Tiles (N, h, w, ...) laid out left to right, top to bottom on one NaN canvas.

    ``gap`` NaN pixels separate the tiles (drawn transparent), ``label_room`` more above each row
    leaves space for a label. Returns the canvas and each tile's top-left (row, column) pixel.
    """
    n, h, w = tiles.shape[:3]
    columns = max(1, min(columns, n))
    rows = max(1, math.ceil(n / columns))
    step_y, step_x = h + gap + label_room, w + gap
    canvas = np.full((rows * step_y - gap, columns * step_x - gap, *tiles.shape[3:]), np.nan)
    origins = [(i // columns * step_y + label_room, i % columns * step_x) for i in range(n)]
    for tile, (y, x) in zip(tiles, origins, strict=True):
        canvas[y: y + h, x: x + w] = tile
    return canvas, origins


def _tile_labels(fig: go.Figure, labels: list[str], origins: list[tuple[int, int]], width: int) -> None:
    """One label centred above each mosaic tile (set in one update: ``add_annotation`` copies the list each time)."""
    fig.update_layout(annotations=[{"text": label, "x": x + (width - 1) / 2, "y": y - 0.5, "yanchor": "bottom",
                                    "showarrow": False} for label, (y, x) in zip(labels, origins, strict=True)])


def feature_grid_figure(maps: np.ndarray, channels: list[int], title: str, columns: int = 6,
                        per_channel: bool = False) -> go.Figure:
    """Feature maps of the given channels as a grid of heatmaps, blue below zero and orange above.

    One colour scale centred on zero is shared by all tiles, so they can be compared; with
    ``per_channel`` each tile is divided by its own largest |activation| instead, to show faint channels.
    The tiles are one heatmap on one canvas: a browser draws that several times faster than a
    subplot per channel, which is most of the time the page takes to appear.
    """
    n = len(channels)
    h, w = maps.shape[1:]
    selected = maps[channels] if n else np.zeros((1, h, w))
    limit = 1.0 if per_channel or not n else float(np.abs(selected).max()) or 1.0
    scales = np.abs(selected).max(axis=(1, 2), keepdims=True) if per_channel else np.ones((len(selected), 1, 1))
    gap, room = max(1, round(0.06 * max(h, w))), round(0.2 * h) + 1
    ids = np.broadcast_to(np.asarray(channels or [np.nan], float)[:, None, None], selected.shape)
    # One canvas of (shown value, channel, activation) per pixel: the colour and the hover laid out together.
    canvas, origins = mosaic(np.stack([selected / np.where(scales == 0, 1.0, scales), ids, selected], axis=-1),
                             columns, gap, room)
    # The bytes every browser decodes before the page appears: float32 values (the hover shows 3 digits), and
    # the channel as 2-byte integers unless the colour is scaled per tile and the real value must go along too.
    canvas = canvas.astype(np.float32)
    if per_channel:
        hover = {"customdata": canvas[..., 1:],
                 "hovertemplate": "channel %{customdata[0]}<br>activation=%{customdata[1]:.3g}<extra></extra>"}
    else:
        hover = {"customdata": np.nan_to_num(canvas[..., 1], nan=0).astype(np.int16),  # gaps show no hover
                 "hovertemplate": "channel %{customdata}<br>activation=%{z:.3g}<extra></extra>"}
    fig = go.Figure(go.Heatmap(z=canvas[..., 0], coloraxis="coloraxis", hoverongaps=False, **hover))
    _tile_labels(fig, [f"ch {c}" for c in channels], origins, w)
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    legend = ("orange: fires<br>blue: below zero<br>(each tile to its own max)" if per_channel
              else "orange: fires<br>blue: below zero")
    rows = max(1, math.ceil(n / max(1, min(columns, n))))
    fig.update_layout(title=title, coloraxis={"colorscale": style.DIVERGING, "cmin": -limit, "cmax": limit,
                                              "colorbar": {"title": {"text": legend}}},
                      height=60 + 200 * rows)
    return fig


def filter_tiles_figure(filters: np.ndarray, title: str, columns: int = 8) -> go.Figure:
    """First-layer filters (N, k, k, C) as numbered RGB (or gray) tiles on one image; mid-gray is a zero weight."""
    n, k = len(filters), filters.shape[1]
    tiles = (np.repeat(filters, 3, axis=3) if filters.shape[3] == 1 else filters[..., :3]) * 255
    canvas, origins = mosaic(tiles, columns, gap=1, label_room=1)
    rgba = np.dstack([np.nan_to_num(canvas, nan=255.0), np.where(np.isnan(canvas[..., :1]), 0.0, 255.0)])
    fig = go.Figure(go.Image(z=rgba.round().astype(np.uint8), colormodel="rgba", hoverinfo="skip"))
    _tile_labels(fig, [str(i) for i in range(n)], origins, k)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    rows = math.ceil(n / max(1, min(columns, n)))
    fig.update_layout(title=title, height=90 + 130 * rows)
    return fig


def channel_strength_figure(means: np.ndarray, order: np.ndarray, title: str) -> go.Figure:
    """Mean activation of every channel, sorted strongest first."""
    fig = go.Figure(go.Bar(x=list(range(len(order))), y=means[order], marker_color=style.PALETTE[0],
                           customdata=order, hovertemplate="channel %{customdata}<br>mean %{y:.3g}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="channel rank (strongest first)",
                      yaxis_title="mean activation", yaxis_tickformat=".2~g", yaxis_nticks=6, height=320)
    return fig


def layer_stats_figure(rows: list[dict], title: str) -> go.Figure:
    """Mean and max activation and the fraction of zeros (sparsity) for each layer."""
    labels = [r["layer"] for r in rows]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=labels, y=[r["mean"] for r in rows], name="mean activation",
                         marker_color=style.PALETTE[0]))
    fig.add_trace(go.Scatter(x=labels, y=[r["fraction_zero"] for r in rows], name="share switched off (≤ 0)",
                             mode="lines+markers", line={"color": style.PALETTE[1]}), secondary_y=True)
    fig.update_layout(title=title, xaxis_title="layer (input → output)", height=380)
    fig.update_yaxes(title_text="mean activation", tickformat=".2~g", nticks=6, secondary_y=False)
    fig.update_yaxes(title_text="share of activations ≤ 0", range=[0, 1], tickformat=".0%", dtick=0.25,
                     showgrid=False, secondary_y=True)
    return fig
