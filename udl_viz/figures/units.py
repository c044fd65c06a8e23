"""Figures for what a unit has learned: its top patches, where they come from, its synthesized image."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style


def _as_rgb(pixels: np.ndarray) -> np.ndarray:
    pixels = np.asarray(pixels)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    return np.repeat(pixels, 3, axis=2) if pixels.shape[2] == 1 else pixels[..., :3]


def patch_grid_figure(patches: Sequence[np.ndarray], titles: Sequence[str], title: str,
                      hovers: Sequence[str] | None = None, columns: int = 4) -> go.Figure:
    """Image patches (H, W, 3 uint8; sizes may differ) in a grid, each with a short title."""
    n = len(patches)
    columns = max(1, min(columns, n))
    rows = max(1, math.ceil(n / columns))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=list(titles) or None,
                        horizontal_spacing=0.02, vertical_spacing=0.08 if rows > 1 else 0.02)
    for i, patch in enumerate(patches):
        hover = hovers[i] if hovers else titles[i]
        fig.add_trace(go.Image(z=_as_rgb(patch), hovertemplate=f"{hover}<extra></extra>"),
                      row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False)
    fig.update_annotations(font_size=12)
    fig.update_layout(title=title, height=100 + 190 * rows, margin={"l": 10, "r": 10, "t": 80, "b": 10})
    return fig


def source_figure(pixels: np.ndarray, box: Sequence[float], title: str) -> go.Figure:
    """A whole original image with the receptive-field box (original pixels) outlined."""
    fig = go.Figure(go.Image(z=_as_rgb(pixels), hovertemplate="x=%{x} y=%{y}<extra></extra>"))
    x0, y0, x1, y1 = box
    for color, width in (("#000000", 5), (style.POSITIVE, 3)):  # orange on a dark halo shows on any photo
        fig.add_shape(type="rect", x0=x0 - 0.5, y0=y0 - 0.5, x1=x1 - 0.5, y1=y1 - 0.5,
                      line={"color": color, "width": width})
    fig.update_xaxes(title_text="x (pixels)", showgrid=False)
    fig.update_yaxes(title_text="y (pixels)", showgrid=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(title=title, height=460)
    return fig


def synthesis_figure(pixels: np.ndarray, title: str) -> go.Figure:
    """The image synthesized for a unit."""
    fig = go.Figure(go.Image(z=_as_rgb(pixels), hovertemplate="x=%{x} y=%{y}<extra></extra>"))
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, scaleanchor="x")
    fig.update_layout(title=title, height=380, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def ascent_figure(trace: np.ndarray, title: str, ylabel: str = "activation of the unit") -> go.Figure:
    """The objective at each gradient-ascent step."""
    fig = go.Figure(go.Scatter(x=np.arange(1, len(trace) + 1), y=trace, mode="lines",
                               line={"color": style.PALETTE[0]},
                               hovertemplate="step %{x}: %{y:.3g}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="gradient-ascent step",
                      yaxis_title=ylabel, height=300)
    return fig
