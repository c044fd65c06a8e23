"""Photos and heatmaps drawn over photos."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from udl_viz import style


def image_figure(pixels: np.ndarray, title: str) -> go.Figure:
    """An RGB uint8 image (H, W, 3) as a figure with hidden axes."""
    fig = go.Figure(go.Image(z=pixels))
    fig.update_layout(title=title)
    _hide_axes(fig)
    return fig


def photo(pixels: np.ndarray) -> go.Image:
    """An RGB uint8 image (H, W, 3) as a trace the browser decodes itself (a PNG), without hover.

    As ``px.imshow(binary_string=True)`` does, with the fastest PNG level: with ``z``, plotly.js colours
    every pixel in JavaScript, which cost the browser 5.2-5.6 s of CPU for the seven saliency tiles
    against 2.9-3.0 s as PNGs, CPU the server's maps share on a 2-core machine.
    """
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8)).save(buffer, format="PNG", compress_level=1)
    return go.Image(source="data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(), hoverinfo="skip")


def overlay_figure(pixels: np.ndarray, heat: np.ndarray, title: str, *, opacity: float = 0.5,
                   signed: bool = False, colorbar_title: str = "value") -> go.Figure:
    """A heatmap (h, w) over an RGB photo (H, W, 3): of the same size, or coarser (a feature map).

    A coarser map is stretched over the photo and smoothed by the browser: a 56×56 map goes out as
    56×56 values, not 224×224. ``signed`` uses the blue/orange diverging scale centred on 0, else a
    sequential one; values near zero are see-through, so the photo shows where the map is quiet.
    """
    (height, width), (h, w) = pixels.shape[:2], heat.shape
    if h > height or w > width or abs(height / h - width / w) > 1:
        raise ValueError(f"heatmap {heat.shape} does not match image {pixels.shape[:2]}")
    sy, sx = height / h, width / w  # each value covers sy×sx pixels, centred on its block
    fig = go.Figure(photo(pixels))
    limit = float(np.abs(heat).max()) or 1.0
    fig.add_trace(go.Heatmap(
        z=heat, x0=(sx - 1) / 2, dx=sx, y0=(sy - 1) / 2, dy=sy, zsmooth="best" if (h, w) != (height, width) else False,
        opacity=opacity, colorscale=style.DIVERGING_OVERLAY if signed else style.HEAT_OVERLAY,
        zmin=-limit if signed else float(heat.min()), zmax=limit if signed else float(heat.max()),
        colorbar={"title": {"text": colorbar_title}},
        hovertemplate="x=%{x:.0f} y=%{y:.0f}<br>value=%{z:.3g}<extra></extra>",
    ))
    fig.update_layout(title=title)
    _hide_axes(fig)
    return fig


def _hide_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10})
