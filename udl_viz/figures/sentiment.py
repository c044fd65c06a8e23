"""Sentiment model comparison figures: accuracies in, ``go.Figure`` out."""

from __future__ import annotations

import plotly.graph_objects as go

from udl_viz import style


def accuracy_comparison_figure(titles: list[str], dev: list[float], ood: list[float], title: str) -> go.Figure:
    """Grouped horizontal bars: SST-2 dev and out-of-domain accuracy per model, first model on top."""
    fig = go.Figure()
    for values, name, colour in ((dev, "SST-2 dev (movie reviews)", style.PALETTE[0]),
                                 (ood, "out-of-domain reviews", style.PALETTE[1])):
        fig.add_trace(go.Bar(x=values[::-1], y=titles[::-1], orientation="h", name=name, marker_color=colour,
                             text=[f"{v:.1%}" for v in values[::-1]], textposition="outside",
                             hovertemplate="%{y}: %{x:.1%}<extra>" + name + "</extra>"))
    low = min([*dev, *ood, 0.9]) - 0.05
    fig.update_layout(title=title, barmode="group", xaxis_title="accuracy", xaxis_tickformat=".0%",
                      xaxis_range=[max(0.0, low), 1.0], yaxis_title=None, yaxis_type="category",
                      yaxis_automargin=True, height=200 + 48 * len(titles))
    return fig
