"""Figures for adversarial examples: original / perturbation / adversarial, robustness curves, Grad-CAM, transfer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.figures.images import photo

if TYPE_CHECKING:
    from udl_viz.adversarial.attack import AttackResult
    from udl_viz.adversarial.robustness import RobustnessCurve
    from udl_viz.inference import Prediction


def rgb(pixels: np.ndarray) -> np.ndarray:
    """(H, W, C) uint8 with C = 1 or 3 -> (H, W, 3)."""
    return np.repeat(pixels, 3, axis=2) if pixels.shape[-1] == 1 else pixels


def amplification(result: AttackResult) -> int:
    """How much the perturbation is multiplied to fill the grey range (1 when nothing changed)."""
    return max(1, 127 // result.linf) if result.linf else 1


def amplified(result: AttackResult) -> np.ndarray:
    """The perturbation as a picture: mid-grey is no change, brighter/darker is up/down, × ``amplification``."""
    return rgb(np.clip(128 + result.perturbation.astype(int) * amplification(result), 0, 255).astype(np.uint8))


def _bars(fig: go.Figure, predictions: Sequence[Prediction], row: int, col: int, colour: str,
          highlight: int | None = None) -> None:
    preds = list(predictions)[::-1]
    colours = [style.PALETTE[1] if p.index == highlight else colour for p in preds]
    fig.add_trace(go.Bar(x=[p.prob for p in preds], y=[p.label for p in preds], orientation="h",
                         marker_color=colours, text=[f"{p.prob:.0%}" for p in preds], textposition="auto",
                         hovertemplate="%{y}: %{x:.2%}<extra></extra>", showlegend=False), row=row, col=col)
    fig.update_xaxes(range=[0, 1], tickformat=".0%", title_text="probability", row=row, col=col)
    fig.update_yaxes(automargin=True, row=row, col=col)


def attack_figure(result: AttackResult, title: str) -> go.Figure:
    """Original, amplified perturbation and adversarial crop side by side, the scale in the middle title."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.03, subplot_titles=[
        f"original<br>{result.original_top[0].label} {result.original_top[0].prob:.0%}",
        f"change ×{amplification(result)}<br>(grey = none)",
        f"adversarial<br>{result.adversarial_top[0].label} {result.adv_prob:.0%}"])
    for col, pixels in ((1, rgb(result.original)), (2, amplified(result)), (3, rgb(result.adversarial))):
        fig.add_trace(photo(pixels), row=1, col=col)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(title=title, height=430, margin={"l": 10, "r": 10, "t": 130, "b": 10})
    return fig


def top5_pair_figure(before: Sequence[Prediction], after: Sequence[Prediction], titles: tuple[str, str],
                     title: str, *, highlight: int | None = None, colour: str = style.PALETTE[0]) -> go.Figure:
    """Two top-5 bar charts side by side (before / after); ``highlight`` marks a target class in orange."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.4, subplot_titles=list(titles))
    _bars(fig, before, 1, 1, colour, highlight)
    _bars(fig, after, 1, 2, colour, highlight)
    fig.update_layout(title=title, height=360, margin={"l": 20, "r": 20, "t": 100, "b": 50})
    return fig


def robustness_figure(curves: Sequence[RobustnessCurve], title: str) -> go.Figure:
    """Share of photos that keep their label against ε, one line per attack."""
    fig = go.Figure()
    for i, curve in enumerate(curves):
        fig.add_trace(go.Scatter(
            x=list(curve.epsilons), y=curve.accuracy, mode="lines+markers", name=curve.label,
            line={"color": style.PALETTE[i], "dash": "solid" if i == 0 else "dash"},
            marker={"symbol": ["circle", "square", "diamond"][i % 3], "size": 10},
            customdata=[", ".join(p for p, k in zip(curve.photos, kept, strict=True) if not k) or "none"
                        for kept in curve.kept],
            hovertemplate="ε = %{x}: %{y:.0%} keep their label<br>fooled: %{customdata}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="ε (largest change per pixel, levels of 255)",
                      yaxis_title="photos that keep their label", yaxis_range=[-0.02, 1.05],
                      yaxis_tickformat=".0%", height=400, legend={"orientation": "h", "y": -0.25})
    return fig


def gradcam_figure(result: AttackResult, maps: tuple[np.ndarray, np.ndarray], title: str, *,
                   opacity: float = 0.5) -> go.Figure:
    """Grad-CAM of the original (for its label) and of the adversarial crop (for its label), one colour scale."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.04, subplot_titles=[
        f"original<br>explains '{result.original_top[0].label}'",
        f"adversarial<br>explains '{result.adversarial_top[0].label}'"])
    for col, (pixels, cam) in enumerate(((result.original, maps[0]), (result.adversarial, maps[1])), start=1):
        fig.add_trace(photo(rgb(pixels)), row=1, col=col)
        fig.add_trace(go.Heatmap(z=cam / (float(cam.max()) or 1.0), coloraxis="coloraxis", opacity=opacity,
                                 hovertemplate="x=%{x} y=%{y}<br>Grad-CAM=%{z:.2f}<extra></extra>"), row=1, col=col)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(title=title, height=480, margin={"l": 10, "r": 10, "t": 130, "b": 10},
                      coloraxis={"colorscale": style.HEAT, "cmin": 0, "cmax": 1,
                                 "colorbar": {"title": {"text": "Grad-CAM (relative)"}}})
    return fig
