"""Figures for saliency maps: overlays, the method grid, faithfulness curves, the sanity check."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.figures.images import overlay_figure, photo

if TYPE_CHECKING:
    from udl_viz.attribution.faithfulness import Curve

RANDOM_LABEL = "random map"
CLIP_PERCENTILE = 99.5
#: Colour-legend words, matching the overlay colours.
SIGNED_LEGEND = "orange: for the class<br>blue: against it"
MAGNITUDE_LEGEND = "bright: matters most<br>clear: matters little"


def display_map(heat: np.ndarray, absolute: bool, clip: float = CLIP_PERCENTILE) -> np.ndarray:
    """The map as drawn: its magnitude or signed values, clipped at the ``clip`` percentile of |value|.

    Gradient maps have a few extreme pixels; without clipping they wash out everything else.
    """
    heat = np.abs(heat) if absolute else heat
    limit = float(np.percentile(np.abs(heat), clip)) if heat.size else 0.0
    return np.clip(heat, -limit, limit) if limit > 0 else heat


def saliency_figure(pixels: np.ndarray, heat: np.ndarray, title: str, *, opacity: float = 0.6,
                    absolute: bool = False) -> go.Figure:
    """One attribution map over the model's input crop, signed (blue/orange) or as its magnitude."""
    signed = not absolute and bool((heat < 0).any())
    return overlay_figure(pixels, display_map(heat, absolute), title, opacity=opacity, signed=signed,
                          colorbar_title=SIGNED_LEGEND if signed else MAGNITUDE_LEGEND)


def _normalised(heat: np.ndarray) -> np.ndarray:
    limit = float(np.abs(heat).max())
    return heat / limit if limit > 0 else np.zeros_like(heat)


def map_grid_figure(pixels: np.ndarray, tiles: list[tuple[str, np.ndarray]], title: str, *,
                    opacity: float = 0.6, absolute: bool = False, columns: int = 3) -> go.Figure:
    """Several maps over the same photo, each scaled to its own largest magnitude (so ±1 share a colour)."""
    n = max(1, len(tiles))
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[t for t, _ in tiles],
                        horizontal_spacing=0.02, vertical_spacing=0.12 / rows)
    for i, (name, heat) in enumerate(tiles):
        for trace in _tile_traces(pixels, heat, name, opacity, absolute):
            fig.add_trace(trace, row=i // columns + 1, col=i % columns + 1)
    fig.update_annotations(font_size=12)
    fig.update_layout(title=title, height=90 + rows * (900 // columns + 60),
                      margin={"l": 10, "r": 10, "t": 90, "b": 10})
    return _tile_axes(fig, absolute)


def map_tile_figure(pixels: np.ndarray, heat: np.ndarray, title: str, *, opacity: float = 0.6,
                    absolute: bool = False) -> go.Figure:
    """One tile of ``map_grid_figure`` as its own figure (no colour bar), to show tiles as they come."""
    fig = go.Figure(_tile_traces(pixels, heat, title, opacity, absolute))
    fig.update_layout(title=title, height=360, margin={"l": 0, "r": 0, "t": 40, "b": 0})
    _tile_axes(fig, absolute)
    return fig.update_layout(coloraxis_showscale=False)


def _tile_traces(pixels: np.ndarray, heat: np.ndarray, name: str, opacity: float,
                 absolute: bool) -> tuple[go.Image, go.Heatmap]:
    return (photo(pixels),
            go.Heatmap(z=_normalised(display_map(heat, absolute)), coloraxis="coloraxis", opacity=opacity,
                       hovertemplate=f"{name.split('<br>')[0]}<br>x=%{{x}} y=%{{y}}"
                                     "<br>relative value=%{z:.2f}<extra></extra>"))


def _tile_axes(fig: go.Figure, absolute: bool) -> go.Figure:
    """Photo axes hidden and the shared colour axis: magnitude 0..1 or signed -1..1."""
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, autorange="reversed", scaleanchor="x")
    axis = ({"colorscale": style.HEAT_OVERLAY, "cmin": 0, "cmax": 1} if absolute
            else {"colorscale": style.DIVERGING_OVERLAY, "cmin": -1, "cmax": 1})
    return fig.update_layout(coloraxis={**axis, "colorbar": {"title": {"text": MAGNITUDE_LEGEND if absolute
                                                                       else SIGNED_LEGEND}}})


def faithfulness_figure(curves: dict[str, Curve], kind: str, title: str) -> go.Figure:
    """Deletion or insertion curves, one per method, the random-map baseline dashed."""
    verb = "deleted" if kind == "deletion" else "inserted"
    fig = go.Figure()
    for i, (name, curve) in enumerate(curves.items()):
        is_random = name == RANDOM_LABEL
        fig.add_trace(go.Scatter(
            x=curve.fractions, y=curve.probs, mode="lines", name=f"{name} (AUC {curve.auc:.3f})",
            line={"color": "#000000" if is_random else style.PALETTE[i % (len(style.PALETTE) - 1)],
                  "dash": "dash" if is_random else "solid"},
            hovertemplate=f"{name}<br>{verb} %{{x:.0%}}<br>probability %{{y:.3f}}<extra></extra>"))
    fig.update_layout(title=title,
                      xaxis_title=f"fraction of pixels {verb}", yaxis_title="probability of the target class",
                      xaxis_tickformat=".0%", yaxis_range=[0, 1.02], height=520,
                      legend={"font": {"size": 11}})
    return fig


def auc_scatter_figure(rows: list[dict], title: str) -> go.Figure:
    """Each method as a point (deletion AUC, insertion AUC): the top-left corner is most faithful."""
    fig = go.Figure()
    for i, row in enumerate(rows):
        is_random = row["method"] == RANDOM_LABEL
        fig.add_trace(go.Scatter(
            x=[row["deletion_auc"]], y=[row["insertion_auc"]], mode="markers+text", name=row["method"],
            text=[row["method"]], textposition="top center",
            marker={"size": 14, "symbol": "x" if is_random else "circle",
                    "color": "#000000" if is_random else style.PALETTE[i % (len(style.PALETTE) - 1)]},
            hovertemplate=f"{row['method']}<br>deletion AUC %{{x:.3f}}<br>insertion AUC %{{y:.3f}}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="deletion AUC (lower is better)",
                      yaxis_title="insertion AUC (higher is better)", showlegend=False, height=420)
    return fig


def sanity_correlation_figure(series: dict[str, tuple[list[str], list[float]]], title: str) -> go.Figure:
    """Spearman correlation with the original map as more and more layers are randomised."""
    fig = go.Figure()
    for i, (name, (labels, rhos)) in enumerate(series.items()):
        fig.add_trace(go.Scatter(x=["trained model", *labels], y=[1.0, *rhos], mode="lines+markers", name=name,
                                 line={"color": style.PALETTE[i % len(style.PALETTE)]},
                                 hovertemplate=f"{name}<br>%{{x}}<br>Spearman %{{y:.2f}}<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#888888", "width": 1})
    fig.update_layout(title=title,
                      xaxis_title="weights randomised from the output down to", yaxis_title="Spearman rank correlation",
                      yaxis_range=[-0.3, 1.05], height=400)
    return fig
