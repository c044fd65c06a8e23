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


def feature_grid_figure(maps: np.ndarray, channels: list[int], title: str, columns: int = 6,
                        per_channel: bool = False) -> go.Figure:
    """Feature maps of the given channels as a grid of heatmaps, blue below zero and orange above.

    One colour scale centred on zero is shared by all tiles, so they can be compared; with
    ``per_channel`` each tile is divided by its own largest |activation| instead, to show faint channels.
    """
    n = len(channels)
    columns = max(1, min(columns, n))
    rows = max(1, math.ceil(n / columns))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[f"ch {c}" for c in channels],
                        horizontal_spacing=0.015, vertical_spacing=0.25 / rows if rows > 1 else 0.02)
    selected = maps[channels] if n else maps[:0]
    limit = 1.0 if per_channel or not n else float(np.abs(selected).max()) or 1.0
    for i, c in enumerate(channels):
        z = maps[c] / (float(np.abs(maps[c]).max()) or 1.0) if per_channel else maps[c]
        fig.add_trace(go.Heatmap(z=z, coloraxis="coloraxis", customdata=maps[c],
                                 hovertemplate=f"channel {c}<br>x=%{{x}} y=%{{y}}<br>"
                                               "activation=%{customdata:.3g}<extra></extra>"),
                      row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    legend = ("orange: fires<br>blue: below zero<br>(each tile to its own max)" if per_channel
              else "orange: fires<br>blue: below zero")
    fig.update_layout(title=title, coloraxis={"colorscale": style.DIVERGING, "cmin": -limit, "cmax": limit,
                                              "colorbar": {"title": {"text": legend}}},
                      height=60 + 200 * rows)
    return fig


def filter_tiles_figure(filters: np.ndarray, title: str, columns: int = 8) -> go.Figure:
    """First-layer filters (N, k, k, C) as RGB (or gray) tiles; mid-gray is a zero weight."""
    n = len(filters)
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[f"filter {i}" for i in range(n)],
                        horizontal_spacing=0.01, vertical_spacing=0.05)
    for i, f in enumerate(filters):
        tile = (np.repeat(f, 3, axis=2) if f.shape[2] == 1 else f[..., :3]) * 255
        fig.add_trace(go.Image(z=tile.round().astype(np.uint8), hovertemplate="weight tile<extra></extra>"),
                      row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(title=title, height=90 + 110 * rows)
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
