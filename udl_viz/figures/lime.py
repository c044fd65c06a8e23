"""LIME figures: superpixel outlines, the strongest superpixels, weight maps, convergence, stability."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from skimage.segmentation import find_boundaries

from udl_viz import style
from udl_viz.figures.images import image_figure, overlay_figure

OUTLINE = (240, 228, 66)  # Okabe-Ito yellow: visible on most photos


def _hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _centroids(segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = int(segments.max()) + 1
    ys, xs = np.indices(segments.shape)
    sizes = np.bincount(segments.ravel(), minlength=n)
    return (np.bincount(segments.ravel(), xs.ravel(), n) / sizes, np.bincount(segments.ravel(), ys.ravel(), n) / sizes)


def segmentation_figure(pixels: np.ndarray, segments: np.ndarray, title: str) -> go.Figure:
    """The photo (H, W, 3) with every superpixel outlined and numbered."""
    outlined = pixels.copy()
    outlined[find_boundaries(segments, mode="inner", background=-1)] = OUTLINE
    fig = image_figure(outlined, title)
    cx, cy = _centroids(segments)
    fig.add_trace(go.Scatter(x=cx, y=cy, mode="text", text=[str(i) for i in range(len(cx))],
                             textfont={"color": "white", "size": 10}, hoverinfo="text",
                             hovertext=[f"superpixel {i}" for i in range(len(cx))], showlegend=False))
    return fig


def top_superpixels_figure(pixels: np.ndarray, segments: np.ndarray, positive: list[int],
                           negative: list[int], title: str) -> go.Figure:
    """The photo with the ``positive`` superpixels tinted orange, ``negative`` ones blue, the rest dimmed."""
    shown = np.isin(segments, positive + negative)
    out = pixels.astype(float)
    out[~shown] = out[~shown] * 0.35 + 255 * 0.15
    for ids, colour in ((positive, style.POSITIVE), (negative, style.NEGATIVE)):
        mask = np.isin(segments, ids)
        out[mask] = out[mask] * 0.55 + _hex_rgb(colour) * 0.45
        edge = find_boundaries(np.where(mask, segments, -1), mode="inner", background=-1) & mask
        out[edge] = _hex_rgb(colour)
    fig = image_figure(out.round().astype(np.uint8), title)
    for name, colour in (("for the class", style.POSITIVE), ("against the class", style.NEGATIVE)):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker={"color": colour, "size": 14, "symbol": "square"}))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.02, "yanchor": "top"})
    return fig


def weight_map_figure(pixels: np.ndarray, segments: np.ndarray, weights: np.ndarray, title: str,
                      opacity: float = 0.7, colorbar_title: str = "LIME weight") -> go.Figure:
    """Every superpixel's weight over the photo (orange: for the class, blue: against)."""
    return overlay_figure(pixels, weights[segments], title, opacity=opacity, signed=True,
                          colorbar_title=colorbar_title)


def spread_map_figure(pixels: np.ndarray, segments: np.ndarray, std: np.ndarray, title: str,
                      opacity: float = 0.7) -> go.Figure:
    """Each superpixel's standard deviation over seeds, over the photo (bright: unstable)."""
    return overlay_figure(pixels, std[segments], title, opacity=opacity, colorbar_title="std over seeds")


def weights_bar_figure(weights: np.ndarray, title: str, std: np.ndarray | None = None,
                       top: int | None = None) -> go.Figure:
    """Superpixel weights sorted from most for to most against; ``std`` adds ± error bars."""
    order = np.argsort(-weights, kind="stable")
    if top is not None and len(order) > 2 * top:
        order = np.concatenate([order[:top], order[-top:]])
    colours = [style.POSITIVE if weights[i] >= 0 else style.NEGATIVE for i in order]
    error = None if std is None else {"type": "data", "array": std[order], "color": "#555555", "thickness": 1.5}
    fig = go.Figure(go.Bar(x=[f"#{i}" for i in order], y=weights[order], marker_color=colours, error_y=error,
                           hovertemplate="superpixel %{x}<br>weight %{y:.4f}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="superpixel (see the numbered outline)",
                      yaxis_title="weight (mean ± std over seeds)" if std is not None else "LIME weight",
                      xaxis={"type": "category"})
    return fig


def convergence_figure(trace: list[dict], title: str) -> go.Figure:
    """The stop rule's estimate of fidelity to the converged explanation, check by check, and where it stops.

    ``trace`` rows hold ``samples``, ``estimated_fidelity``, ``stop_at`` (the fidelity lime's own
    sampling would reach with the same budget) and ``top_stable``.
    """
    samples = [row["samples"] for row in trace]
    fidelity = [row["estimated_fidelity"] for row in trace]
    stop_at = [row["stop_at"] for row in trace]
    symbols = ["circle" if row["top_stable"] else "circle-open" for row in trace]
    fig = go.Figure(go.Scatter(x=samples, y=fidelity, mode="lines+markers", name="estimated fidelity",
                               marker={"symbol": symbols, "size": 10, "color": style.PALETTE[0]},
                               hovertemplate="%{x} samples: %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=samples, y=stop_at, mode="lines", name="as faithful as lime's sampling",
                             line={"dash": "dash", "color": style.PALETTE[1]},
                             hovertemplate="%{x} samples: stop at %{y:.3f}<extra></extra>"))
    low = min([*fidelity, *stop_at]) - 0.05
    fig.update_layout(title=title, xaxis_title="samples evaluated", yaxis_title="estimated fidelity",
                      yaxis_range=[max(0.0, low), 1.005])
    return fig
