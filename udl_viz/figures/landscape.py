"""Figures of a network's loss landscape: a 2D slice through its weights and the training path on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from udl_viz import style
from udl_viz.figures.lossmap import BACKGROUND

if TYPE_CHECKING:
    from udl_viz.optim.landscape import Landscape


def _trajectory_hover(land: Landscape) -> dict:
    return {"customdata": np.stack((np.arange(len(land.path)), land.path_loss), axis=1),
            "hovertemplate": "epoch %{customdata[0]}<br>true loss %{customdata[1]:.4f}<br>"
                             "(α, β) = (%{x:.3g}, %{y:.3g})<extra>training path</extra>"}


def landscape_figure(land: Landscape, title: str) -> go.Figure:
    """Contours of log10 loss over the slice, with the training path projected onto it."""
    z = np.log10(np.maximum(land.loss, 1e-12))
    fig = go.Figure(go.Contour(x=land.alphas, y=land.betas, z=z, colorscale=BACKGROUND, ncontours=20,
                               name="loss", contours={"coloring": "heatmap", "showlines": True},
                               line={"color": "#FFFFFF", "width": 0.6},
                               colorbar={"title": {"text": "log₁₀ loss"}, "thickness": 14},
                               hovertemplate="(α, β) = (%{x:.3g}, %{y:.3g})<br>log₁₀ loss %{z:.3g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=land.path[:, 0], y=land.path[:, 1], mode="lines+markers",
                             name="training path, one dot per epoch",
                             line={"color": style.POSITIVE, "width": 2.5},
                             marker={"color": style.POSITIVE, "size": 7, "line": {"color": "#000000", "width": 0.5}},
                             **_trajectory_hover(land)))
    for k, label, symbol in ((0, "start: random initial weights", "circle-open"), (-1, "trained weights θ*", "star")):
        fig.add_trace(go.Scatter(x=[land.path[k, 0]], y=[land.path[k, 1]], mode="markers", name=label,
                                 marker={"symbol": symbol, "size": 16, "color": "#000000", "line": {"width": 2}}))
    fig.update_layout(title=title,
                      xaxis={"title": {"text": "α: step along direction 1"},
                             "range": [land.alphas[0], land.alphas[-1]]},
                      yaxis={"title": {"text": "β: step along direction 2"}, "range": [land.betas[0], land.betas[-1]]},
                      legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
                      margin={"t": 60, "b": 160}, height=680)
    return fig


def landscape_surface_figure(land: Landscape, title: str) -> go.Figure:
    """The same slice in 3D (height: log10 loss), with the projected path laid on the surface."""
    from scipy.interpolate import RegularGridInterpolator

    z = np.log10(np.maximum(land.loss, 1e-12))
    on_surface = RegularGridInterpolator((land.betas, land.alphas), z)
    pts = np.stack((np.clip(land.path[:, 1], land.betas[0], land.betas[-1]),
                    np.clip(land.path[:, 0], land.alphas[0], land.alphas[-1])), axis=1)
    lift = 0.01 * float(np.ptp(z))
    fig = go.Figure([go.Surface(x=land.alphas, y=land.betas, z=z, colorscale=style.SEQUENTIAL, opacity=0.9,
                                name="loss", colorbar={"title": {"text": "log₁₀ loss"}, "thickness": 14},
                                hovertemplate="(α, β) = (%{x:.3g}, %{y:.3g})<br>log₁₀ loss %{z:.3g}<extra></extra>"),
                     go.Scatter3d(x=land.path[:, 0], y=land.path[:, 1], z=on_surface(pts) + lift, mode="lines+markers",
                                  name="training path (projected)", line={"color": style.POSITIVE, "width": 6},
                                  marker={"size": 3, "color": style.POSITIVE}, **_trajectory_hover(land))])
    fig.update_layout(title=title,
                      scene={"xaxis": {"title": {"text": "α"}}, "yaxis": {"title": {"text": "β"}},
                             "zaxis": {"title": {"text": "log₁₀ loss"}}},
                      height=620)
    return fig
