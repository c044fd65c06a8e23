"""The background of the optimizer figures: a loss surface as a shaded PNG with isolines and landmarks.

Plotly.js drops contour and heatmap traces from view while a ``redraw: false`` animation plays,
so the map is a shaded PNG (a layout image survives animation) with isolines drawn as scatter lines.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from udl_viz.figures.animation import F32

if TYPE_CHECKING:
    from udl_viz.optim.surfaces import SurfaceView

#: A light grey ramp under the coloured paths: low loss light, high loss darker.
BACKGROUND = [[0.0, "#FFFFFF"], [1.0, "#8C8C8C"]]
LANDMARK = "#333333"
LOG_FLOOR = 1e-3


def display_transform(view: SurfaceView) -> tuple[Callable[[np.ndarray], np.ndarray], str]:
    """What the colours show (loss, or log10 of loss above the minimum) and its colourbar title."""
    if view.log_scale:
        floor = view.min_value
        return (lambda v: np.log10(np.maximum(v - floor, 0) + LOG_FLOOR)), "log₁₀(loss − min)"
    return (lambda v: v), "loss"


def landmark_traces(view: SurfaceView, transform: Callable | None = None) -> list[go.BaseTraceType]:
    """Minima, saddles and hilltops: one trace per kind (3D when ``transform`` is given)."""
    traces = []
    for label, points, loss in view.landmarks:
        symbol = "star" if "global" in label else "x" if "local" in label else "diamond"
        marker = {"symbol": symbol, "size": 14, "color": LANDMARK, "line": {"color": "#FFFFFF", "width": 1}}
        if view.dim == 1:
            traces.append(go.Scatter(x=points[:, 0], y=loss, mode="markers", name=label, marker=marker))
        elif transform is not None:
            traces.append(go.Scatter3d(x=points[:, 0], y=points[:, 1], z=transform(loss),
                                       mode="markers", name=label,
                                       marker={"symbol": "diamond", "size": 5, "color": LANDMARK}))
        else:
            traces.append(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", name=label, marker=marker))
    return traces


def _ramp(t: np.ndarray) -> np.ndarray:
    """Values in [0, 1] -> RGB uint8 along :data:`BACKGROUND`."""
    lo, hi = (np.array([int(c[1][i:i + 2], 16) for i in (1, 3, 5)], dtype=float) for c in BACKGROUND)
    return (lo + np.clip(t, 0, 1)[..., None] * (hi - lo)).round().astype(np.uint8)


def loss_map(view: SurfaceView, *, levels: int = 14, clickable: bool = True) -> tuple[dict, list[go.BaseTraceType]]:
    """The loss of a 2D surface as a background: a layout image and static traces to go over it.

    ``clickable`` adds the view's invisible grid of points that shows the loss on hover and makes
    a click anywhere on the map select a point (streamlit reports points).
    """
    from skimage.measure import find_contours

    x, y, loss = view.grid("map")
    transform, ztitle = display_transform(view)
    z = transform(loss)
    zmin, zmax = float(z.min()), float(z.max())
    shade = Image.fromarray(_ramp((z[::-1] - zmin) / max(zmax - zmin, 1e-12)))
    buffer = io.BytesIO()
    shade.save(buffer, format="PNG", optimize=True)
    (x0, x1), (y0, y1) = view.bounds
    image = {"source": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
             "xref": "x", "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0, "sizey": y1 - y0,
             "sizing": "stretch", "layer": "below"}
    lx, ly = [], []
    for level in np.linspace(zmin, zmax, levels + 2)[1:-1]:
        for line in find_contours(z, level):
            lx += np.interp(line[:, 1], np.arange(len(x)), x).round(4).tolist() + [None]
            ly += np.interp(line[:, 0], np.arange(len(y)), y).round(4).tolist() + [None]
    traces = [go.Scatter(x=lx, y=ly, mode="lines", name="contour lines: equal loss", hoverinfo="skip",
                         showlegend=False, line={"color": "#8A8A8A", "width": 0.8}),
              go.Scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
                         marker={"colorscale": BACKGROUND, "cmin": zmin, "cmax": zmax, "color": [zmin],
                                 "showscale": True,
                                 "colorbar": {"title": {"text": ztitle}, "thickness": 14}})]
    if clickable and len(view.click_points):
        points = view.click_points
        traces.append(go.Scatter(x=points[:, 0].astype(F32), y=points[:, 1].astype(F32), mode="markers",
                                 name="click to start here", showlegend=False,
                                 customdata=view.click_loss.astype(F32),
                                 hovertemplate="(%{x:.3g}, %{y:.3g})<br>loss %{customdata:.4g}"
                                               "<extra>click to start here</extra>",
                                 marker={"size": 12, "opacity": 0}))
    return image, traces


def map_layout(fig: go.Figure, view: SurfaceView, image: dict) -> go.Figure:
    """Put the shaded ``image`` under ``fig`` and fit its axes to the view's window."""
    fig.update_layout(images=[image],
                      xaxis={"title": {"text": view.axis_labels[0]}, "range": list(view.bounds[0]),
                             "showgrid": False, "zeroline": False},
                      yaxis={"title": {"text": view.axis_labels[1]}, "range": list(view.bounds[1]),
                             "showgrid": False, "zeroline": False})
    return fig
