"""Figures of optimizer paths on a loss surface: the animated 1D curve, 2D map and 3D surface,
the loss per step and the optimizer's memory.

They take a ``SurfaceView`` (the surface already evaluated as arrays) and the runs; the
animation engine is in ``udl_viz.figures.animation``, the shaded map in ``udl_viz.figures.lossmap``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.figures.animation import F32, animated_figure, colour, frame_steps, thin
from udl_viz.figures.lossmap import display_transform, landmark_traces, loss_map, map_layout

if TYPE_CHECKING:
    from udl_viz.optim.descent import Run
    from udl_viz.optim.surfaces import SurfaceView


def run_name(run: Run) -> str:
    """A run's legend entry, saying where it diverged."""
    return run.label if run.diverged_at is None else f"{run.label} · diverged at step {run.diverged_at}"


def race_title(view: SurfaceView, runs: Sequence[Run]) -> str:
    """The usual title of a path figure: the surface, how many optimizers and where they start."""
    if view.dim == 1:
        return f"{view.title}: {len(runs)} optimizer(s) starting at w = {runs[0].positions[0, 0]:.3g}"
    start = ", ".join(f"{v:.3g}" for v in runs[0].positions[0])
    return f"{view.title}: {len(runs)} optimizer(s) from ({start})"


def surface_title(view: SurfaceView) -> str:
    """The usual title of the 3D figure: what the height shows."""
    return f"{view.title} in 3D: the height is the {display_transform(view)[1]}"


def _run_animation(static: Sequence[go.BaseTraceType], styles: Sequence[go.BaseTraceType], runs: Sequence[Run],
                   path: Callable[[Run, np.ndarray], dict], heads: Callable[[list[int]], list[dict]],
                   max_frames: int, max_points: int, title: str, redraw: bool = False,
                   extra: Sequence[go.BaseTraceType] = ()) -> go.Figure:
    """Animate ``runs`` step by step: one path trace per run, then heads (and ``extra``) traces."""
    keys = frame_steps(max(r.steps for r in runs), max_frames)

    def payload(k: int) -> list[dict]:
        ends = [min(int(k), r.last) for r in runs]
        return [path(r, thin(e, max_points)) for r, e in zip(runs, ends, strict=True)] + heads(ends)

    return animated_figure(static, list(styles) + list(extra), keys, payload, labels=[str(k) for k in keys],
                           prefix="step ", title=title, redraw=redraw)


def _path_style(i: int, run: Run, hover: str, **line) -> go.Scatter:
    return go.Scatter(mode="lines+markers", name=run_name(run), line={"color": colour(i), "width": 2, **line},
                      marker={"color": colour(i), "size": 4},
                      hovertemplate=hover + f"<extra>{run.label}</extra>")


def _heads_style(runs: Sequence[Run]) -> go.Scatter:
    return go.Scatter(mode="markers", name="where each optimizer is now", showlegend=False, hoverinfo="skip",
                      marker={"color": [colour(i) for i in range(len(runs))], "size": 15,
                              "line": {"color": "#000000", "width": 1.5}})


def curve_figure(view: SurfaceView, runs: Sequence[Run], title: str, *, max_frames: int = 60,
                 max_points: int = 300) -> go.Figure:
    """A 1D loss curve, each optimizer's steps on it, where it stands now and the tangent it feels."""
    w, loss = view.grid("curve")
    (lo, hi), = view.bounds
    height = max(float(np.ptp(loss)), 1e-12)
    half = 0.06 * (hi - lo)
    static = [go.Scatter(x=w, y=loss, mode="lines", name="loss L(w)", hoverinfo="skip",
                         line={"color": "#555555", "width": 2}), *landmark_traces(view)]
    styles = [_path_style(i, r, "w=%{x:.4g}<br>loss=%{y:.4g}", dash="dot") for i, r in enumerate(runs)]
    extra = [_heads_style(runs),
             go.Scatter(mode="lines", name="tangent (slope felt)", hoverinfo="skip",
                        line={"color": "#000000", "width": 3})]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter", "x": r.positions[idx, 0].astype(F32), "y": r.losses[idx].astype(F32)}

    def heads(ends: list[int]) -> list[dict]:
        x = [float(r.positions[e, 0]) for r, e in zip(runs, ends, strict=True)]
        y = [float(r.losses[e]) for r, e in zip(runs, ends, strict=True)]
        tx, ty = [], []
        for x0, y0, r, e in zip(x, y, runs, ends, strict=True):
            g = float(r.grads[e, 0])
            # Same on-screen length for every slope: scale dx by the plot's aspect.
            dx = half / np.hypot(1.0, g * (hi - lo) / height)
            tx += [x0 - dx, x0 + dx, None]
            ty += [y0 - g * dx, y0 + g * dx, None]
        return [{"type": "scatter", "x": x, "y": y}, {"type": "scatter", "x": tx, "y": ty}]

    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, title, extra=extra)
    fig.update_layout(
        xaxis={"title": {"text": "weight w"}, "range": [lo, hi]},
        yaxis={"title": {"text": "loss L(w)"},
               "range": [loss.min() - 0.08 * height, loss.max() + 0.08 * height]})
    return fig


def contour_figure(view: SurfaceView, runs: Sequence[Run], title: str, *, max_frames: int = 60,
                   max_points: int = 300, clickable: bool = True) -> go.Figure:
    """A contour map of a 2D surface with every optimizer's path animated step by step."""
    image, static = loss_map(view, clickable=clickable)
    static += landmark_traces(view)
    styles = [_path_style(i, r, "(%{x:.4g}, %{y:.4g})") for i, r in enumerate(runs)]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter", "x": r.positions[idx, 0].astype(F32), "y": r.positions[idx, 1].astype(F32)}

    def heads(ends: list[int]) -> list[dict]:
        return [{"type": "scatter", "x": [float(r.positions[e, 0]) for r, e in zip(runs, ends, strict=True)],
                 "y": [float(r.positions[e, 1]) for r, e in zip(runs, ends, strict=True)]}]

    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, title,
                         extra=[_heads_style(runs)])
    return map_layout(fig, view, image)


def surface_figure(view: SurfaceView, runs: Sequence[Run], title: str, *, max_frames: int = 40,
                   max_points: int = 300) -> go.Figure:
    """The same paths on a 3D view of the surface (the height is the loss)."""
    x, y, loss = view.grid("surface")
    transform, ztitle = display_transform(view)
    z = transform(loss)
    lift = 0.01 * float(np.ptp(z))  # draw the paths just above the surface so it does not hide them
    static = [go.Surface(x=x, y=y, z=z.astype(F32), colorscale=style.SEQUENTIAL, opacity=0.85, name="loss",
                         colorbar={"title": {"text": ztitle}, "thickness": 14}, hoverinfo="skip"),
              *landmark_traces(view, transform)]
    styles = [go.Scatter3d(mode="lines", name=run_name(r), line={"color": colour(i), "width": 6},
                           hovertemplate=f"(%{{x:.3g}}, %{{y:.3g}})<extra>{r.label}</extra>")
              for i, r in enumerate(runs)]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter3d", "x": r.positions[idx, 0].astype(F32), "y": r.positions[idx, 1].astype(F32),
                "z": (transform(r.losses[idx]) + lift).astype(F32)}

    def heads(ends: list[int]) -> list[dict]:
        pts = [(r.positions[e], r.losses[e]) for r, e in zip(runs, ends, strict=True)]
        return [{"type": "scatter3d", "x": [float(p[0]) for p, _ in pts], "y": [float(p[1]) for p, _ in pts],
                 "z": [float(transform(np.float64(v)) + lift) for _, v in pts]}]

    head = go.Scatter3d(mode="markers", showlegend=False, hoverinfo="skip",
                        marker={"color": [colour(i) for i in range(len(runs))], "size": 6,
                                "line": {"color": "#000000", "width": 1}})
    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, title, redraw=True,
                         extra=[head])
    fig.update_layout(scene={"xaxis": {"title": {"text": view.axis_labels[0]}, "range": list(view.bounds[0])},
                             "yaxis": {"title": {"text": view.axis_labels[1]}, "range": list(view.bounds[1])},
                             "zaxis": {"title": {"text": ztitle}}})
    return fig


def loss_figure(runs: Sequence[Run], lowest: float, title: str) -> go.Figure:
    """Loss above the ``lowest`` possible loss at every step, on a log scale; diverged runs stop early."""
    fig = go.Figure()
    for i, r in enumerate(runs):
        gap = np.maximum(r.losses[: r.last + 1] - lowest, 1e-16)
        fig.add_trace(go.Scatter(x=np.arange(r.last + 1), y=gap, mode="lines", name=run_name(r),
                                 line={"color": colour(i), "width": 2}))
        if r.diverged_at is not None:
            fig.add_trace(go.Scatter(x=[r.last], y=[gap[-1]], mode="markers+text", showlegend=False,
                                     text=[f"diverged at step {r.diverged_at}"], textposition="top left",
                                     marker={"symbol": "x", "size": 12, "color": colour(i)}))
    fig.update_layout(title=title,
                      xaxis={"title": {"text": "step"}},
                      yaxis={"title": {"text": "loss − lowest loss (log scale)"}, "type": "log",
                             "exponentformat": "power"})
    return fig


def state_figure(run: Run, axis_labels: Sequence[str], title: str) -> go.Figure:
    """The gradient and the optimizer's own memory (momentum, squared-gradient averages) per step."""
    series = {"gradient": run.grads[: run.last + 1], **{k: v[: run.last + 1] for k, v in run.state.items()}}
    fig = make_subplots(rows=len(series), cols=1, shared_xaxes=True, subplot_titles=list(series),
                        vertical_spacing=0.08)
    for row, values in enumerate(series.values(), start=1):
        for j, name in enumerate(axis_labels):
            fig.add_trace(go.Scatter(y=values[:, j], mode="lines", name=name, legendgroup=name,
                                     showlegend=row == 1, line={"color": style.PALETTE[j], "width": 2}),
                          row=row, col=1)
    fig.update_xaxes(title_text="step", row=len(series), col=1)
    fig.update_layout(title=title, height=220 + 170 * len(series))
    return fig
