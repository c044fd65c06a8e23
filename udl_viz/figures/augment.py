"""Figures for data augmentation: variants with Grad-CAM, label stability, sweeps, the 6-vs-9 lesson."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.figures.images import photo

if TYPE_CHECKING:
    from udl_viz.augment.digits import DigitTransformReport
    from udl_viz.augment.stability import SweepResult, VariantResult

KEPT, CHANGED = "✓ same label", "✗ label changed"


def variant_title(r: VariantResult) -> str:
    """``Mirror: tabby 62% ✓`` — the variant, its prediction and whether the label survived."""
    return f"{r.name}: {r.label} {r.prob:.0%} {'✓' if r.stable else '✗'}"


def variant_grid_figure(results: Sequence[VariantResult], title: str, *, opacity: float = 0.45,
                        columns: int = 3) -> go.Figure:
    """Each variant as the model sees it, with its Grad-CAM (when computed) over it, on one colour scale."""
    n = len(results)
    columns = max(1, min(columns, n))
    rows = max(1, math.ceil(n / columns))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[variant_title(r) for r in results],
                        horizontal_spacing=0.02, vertical_spacing=0.08 if rows > 1 else 0.02)
    for i, r in enumerate(results):
        row, col = i // columns + 1, i % columns + 1
        fig.add_trace(photo(r.pixels), row=row, col=col)
        if r.cam is not None:
            cam = r.cam / (float(r.cam.max()) or 1.0)  # each map relative to its own peak
            fig.add_trace(go.Heatmap(z=cam, coloraxis="coloraxis", opacity=opacity,
                                     hovertemplate=f"{r.name}<br>x=%{{x}} y=%{{y}}<br>Grad-CAM=%{{z:.2f}}"
                                                   "<extra></extra>"), row=row, col=col)
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(title=title, height=70 + 300 * rows, margin={"l": 10, "r": 10, "t": 90, "b": 10},
                      coloraxis={"colorscale": style.HEAT, "cmin": 0, "cmax": 1,
                                 "colorbar": {"title": {"text": "Grad-CAM (relative)"}}})
    return fig


def stability_figure(results: Sequence[VariantResult], title: str) -> go.Figure:
    """Per variant, the probability of the original's predicted class; bars marked ✓ kept / ✗ changed."""
    fig = go.Figure()
    for stable, name, colour, pattern in ((True, KEPT, style.PALETTE[0], ""), (False, CHANGED, style.PALETTE[1], "/")):
        chosen = [r for r in results if r.stable == stable]
        fig.add_trace(go.Bar(
            x=[r.name for r in chosen], y=[r.original_prob for r in chosen], name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=[f"{r.original_prob:.0%} {'✓' if stable else '✗'}" for r in chosen],
            textposition="auto", customdata=[[r.detail, r.label, r.prob] for r in chosen],
            hovertemplate="%{x}: %{customdata[0]}<br>original class %{y:.1%}<br>"
                          "prediction %{customdata[1]} (%{customdata[2]:.1%})<extra></extra>"))
    original = results[0]
    fig.update_layout(title=title, xaxis_title="variant", yaxis_title=f"probability of '{original.label}'",
                      yaxis_range=[0, 1], yaxis_tickformat=".0%", height=380,
                      xaxis={"categoryorder": "array", "categoryarray": [r.name for r in results]})
    return fig


def sweep_figure(result: SweepResult, title: str) -> go.Figure:
    """Probability of the original class as the transformation gets stronger; ✗ marks a changed label."""
    values = np.asarray(result.values)
    fig = go.Figure(go.Scatter(
        x=values, y=result.original_prob, mode="lines", name=f"P('{result.original_label}')",
        line={"color": style.PALETTE[0]}, hoverinfo="skip"))
    for stable, name, colour, symbol in ((True, KEPT, style.PALETTE[0], "circle"),
                                         (False, CHANGED, style.PALETTE[1], "x")):
        mask = result.stable == stable
        fig.add_trace(go.Scatter(
            x=values[mask], y=result.original_prob[mask], mode="markers", name=name,
            marker={"color": colour, "symbol": symbol, "size": 11},
            customdata=np.array([[label, p] for label, p in zip(result.top_labels, result.top_probs, strict=True)],
                                dtype=object)[mask],
            hovertemplate=f"{result.axis} %{{x}}<br>P('{result.original_label}') %{{y:.1%}}<br>"
                          "prediction %{customdata[0]} (%{customdata[1]:.1%})<extra></extra>"))
    fig.update_layout(title=title, xaxis_title=result.axis, yaxis_title=f"probability of '{result.original_label}'",
                      yaxis_range=[0, 1.02], yaxis_tickformat=".0%", height=380)
    return fig


def digit_kept_figure(report: DigitTransformReport, title: str) -> go.Figure:
    """Digits × transformations: the fraction of each digit the model still reads as itself."""
    fig = go.Figure(go.Heatmap(
        z=report.kept, x=report.digits, y=report.transforms, colorscale=style.SEQUENTIAL, zmin=0, zmax=1,
        text=[[f"{v:.0%}" for v in row] for row in report.kept], texttemplate="%{text}",
        colorbar={"title": {"text": "label kept"}, "tickformat": ".0%"},
        hovertemplate="digit %{x}, %{y}<br>still read as %{x}: %{z:.1%}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="true digit", yaxis_title="transformation", height=360,
                      xaxis={"type": "category"}, yaxis={"type": "category", "autorange": "reversed"})
    return fig


def digit_confusion_figure(matrix: np.ndarray, digits: Sequence[str], title: str) -> go.Figure:
    """Rows: the true digit; columns: what the model reads after the transformation (share of the row)."""
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    fig = go.Figure(go.Heatmap(
        z=share, x=list(digits), y=list(digits), colorscale=style.SEQUENTIAL, zmin=0, zmax=1,
        customdata=matrix, text=[[f"{v:.0%}" if v >= 0.05 else "" for v in row] for row in share],
        texttemplate="%{text}", colorbar={"title": {"text": "share of row"}, "tickformat": ".0%"},
        hovertemplate="true %{y} → read as %{x}<br>%{customdata} images (%{z:.1%})<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="digit the model reads", yaxis_title="true digit", height=460,
                      xaxis={"type": "category"}, yaxis={"type": "category", "autorange": "reversed"})
    return fig


def paired_probs_figure(classes: Sequence[str], before: np.ndarray, after: np.ndarray, labels: tuple[str, str],
                        title: str) -> go.Figure:
    """Class probabilities of an image and of its transformed copy, side by side."""
    fig = go.Figure()
    for probs, label, colour, pattern in ((before, labels[0], style.PALETTE[0], ""),
                                          (after, labels[1], style.PALETTE[1], "/")):
        fig.add_trace(go.Bar(x=list(classes), y=probs, name=label,
                             marker={"color": colour, "pattern": {"shape": pattern}},
                             hovertemplate=f"{label}<br>class %{{x}}: %{{y:.1%}}<extra></extra>"))
    fig.update_layout(title=title, barmode="group", xaxis_title="class", yaxis_title="probability",
                      yaxis_range=[0, 1], yaxis_tickformat=".0%", xaxis={"type": "category"}, height=340)
    return fig
