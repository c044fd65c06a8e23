"""Figures of full-batch, mini-batch and SGD runs on the diabetes line: paths by examples seen, loss by epoch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from udl_viz.figures.animation import F32, animated_figure, colour, thin
from udl_viz.figures.lossmap import LANDMARK, landmark_traces, loss_map, map_layout

if TYPE_CHECKING:
    from udl_viz.optim.minibatch import BatchRun
    from udl_viz.optim.surfaces import SurfaceView


def _batch_name(r: BatchRun) -> str:
    name = f"{r.label} · {r.updates_per_epoch} update{'s' * (r.updates_per_epoch > 1)}/epoch"
    return name if r.diverged_at is None else f"{name} · diverged at update {r.diverged_at}"


def batch_figure(view: SurfaceView, runs: Sequence[BatchRun], title: str, *, max_frames: int = 60,
                 max_points: int = 300) -> go.Figure:
    """Paths of full-batch, mini-batch and SGD on the loss map, animated by examples seen."""
    image, static = loss_map(view, clickable=False)
    static += landmark_traces(view)
    styles = [go.Scatter(mode="lines", name=_batch_name(r), line={"color": colour(i), "width": 1.5},
                         hovertemplate=f"(%{{x:.3g}}, %{{y:.3g}})<extra>{r.label}</extra>")
              for i, r in enumerate(runs)]
    n = runs[0].n_examples
    keys = np.unique(np.linspace(0, max(int(r.seen[r.last]) for r in runs), max_frames + 1).round().astype(int))

    def payload(seen: int) -> list[dict]:
        ends = [min(int(np.searchsorted(r.seen, seen, side="right")) - 1, r.last) for r in runs]
        paths = [{"type": "scatter", "x": r.positions[idx, 0].astype(F32), "y": r.positions[idx, 1].astype(F32)}
                 for r, idx in ((r, thin(e, max_points)) for r, e in zip(runs, ends, strict=True))]
        return paths + [{"type": "scatter", "x": [float(r.positions[e, 0]) for r, e in zip(runs, ends, strict=True)],
                         "y": [float(r.positions[e, 1]) for r, e in zip(runs, ends, strict=True)]}]

    heads = go.Scatter(mode="markers", showlegend=False, hoverinfo="skip",
                       marker={"color": [colour(i) for i in range(len(runs))], "size": 15,
                               "line": {"color": "#000000", "width": 1.5}})
    fig = animated_figure(static, styles + [heads], keys, payload, labels=[f"{k / n:.2f}" for k in keys],
                          prefix="epoch ", title=title)
    return map_layout(fig, view, image)


def epoch_loss_figure(runs: Sequence[BatchRun], best: float, title: str) -> go.Figure:
    """Loss on the whole dataset against epochs: every update as a line, epoch ends as dots."""
    fig = go.Figure()
    for i, r in enumerate(runs):
        k = r.last + 1
        fig.add_trace(go.Scatter(x=r.epochs[:k], y=r.losses[:k], mode="lines", name=_batch_name(r),
                                 legendgroup=r.label, line={"color": colour(i), "width": 1.5}))
        ends = r.epoch_losses()
        fig.add_trace(go.Scatter(x=np.arange(len(ends)), y=ends, mode="markers", legendgroup=r.label,
                                 showlegend=False, name=f"{r.label}: end of epoch",
                                 marker={"color": colour(i), "size": 10, "line": {"color": "#000000", "width": 1}}))
    span = [0.0, max(float(r.epochs[-1]) for r in runs)]
    fig.add_trace(go.Scatter(x=span, y=[best, best], mode="lines", name="lowest possible loss (least squares)",
                             line={"dash": "dash", "color": LANDMARK, "width": 1.5}))
    fig.update_layout(title=title,
                      xaxis={"title": {"text": "epochs (full passes over the data)"}},
                      yaxis={"title": {"text": "mean squared error (log scale)"}, "type": "log"},
                      legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
                      margin={"t": 60, "b": 190}, height=600)
    return fig
