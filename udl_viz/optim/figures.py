"""Figures of optimizer paths: animated 1D curves, 2D contour maps and 3D surfaces, step charts,
the mini-batch race and the loss landscape.

The animations stay light in the browser: the surface is static and sent once, each frame
replaces only the path traces, frames are capped at ``max_frames`` and every path is thinned
to about ``max_points`` points per frame.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
import torch
from PIL import Image
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.optim.descent import Run
from udl_viz.optim.landscape import DIRECTIONS, Landscape
from udl_viz.optim.minibatch import BatchRun
from udl_viz.optim.surfaces import Surface, grid

#: Path colours: the Okabe-Ito palette without yellow, which vanishes on the light background.
COLOURS = [c for c in style.PALETTE if c != "#F0E442"]
#: A light grey ramp under the coloured paths: low loss light, high loss darker.
BACKGROUND = [[0.0, "#FFFFFF"], [1.0, "#8C8C8C"]]
LANDMARK = "#333333"
LOG_FLOOR = 1e-3
_F32 = np.float32  # frames carry float32: half the bytes, and far finer than a screen pixel


def colour(i: int) -> str:
    """The colour of the i-th optimizer in every figure."""
    return COLOURS[i % len(COLOURS)]


def frame_steps(steps: int, max_frames: int) -> np.ndarray:
    """The steps that become animation frames: evenly spread from 0 to ``steps``."""
    return np.unique(np.linspace(0, steps, min(steps, max_frames) + 1).round().astype(int))


def thin(upto: int, max_points: int) -> np.ndarray:
    """Indices 0..upto, about ``max_points`` of them at most, always keeping the last one."""
    stride = -(-(upto + 1) // max_points)
    stride += 1 - stride % 2  # odd, so a path that zigzags every step still shows its zigzag
    idx = np.arange(0, upto + 1, stride)
    return idx if idx[-1] == upto else np.r_[idx, upto]


def display_transform(surface: Surface) -> tuple[Callable[[np.ndarray], np.ndarray], str]:
    """What the colours show (loss, or log10 of loss above the minimum) and its colourbar title."""
    if surface.log_scale:
        floor = surface.min_value
        return (lambda v: np.log10(np.maximum(v - floor, 0) + LOG_FLOOR)), "log₁₀(loss − min)"
    return (lambda v: v), "loss"


def _loss_at(surface: Surface, points: np.ndarray) -> np.ndarray:
    return surface.value(torch.as_tensor(points, dtype=torch.float64)).numpy()


def _name(run: Run) -> str:
    return run.label if run.diverged_at is None else f"{run.label} · diverged at step {run.diverged_at}"


def _landmarks(surface: Surface, transform: Callable | None = None) -> list[go.BaseTraceType]:
    """Minima, saddles and hilltops: one trace per kind (3D when ``transform`` is given)."""
    traces = []
    for label in dict.fromkeys(lab for lab, _ in surface.landmarks):
        points = np.array([p for lab, p in surface.landmarks if lab == label], dtype=float)
        symbol = "star" if "global" in label else "x" if "local" in label else "diamond"
        marker = {"symbol": symbol, "size": 14, "color": LANDMARK, "line": {"color": "#FFFFFF", "width": 1}}
        if surface.dim == 1:
            traces.append(go.Scatter(x=points[:, 0], y=_loss_at(surface, points), mode="markers",
                                     name=label, marker=marker))
        elif transform is not None:
            traces.append(go.Scatter3d(x=points[:, 0], y=points[:, 1], z=transform(_loss_at(surface, points)),
                                       mode="markers", name=label,
                                       marker={"symbol": "diamond", "size": 5, "color": LANDMARK}))
        else:
            traces.append(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", name=label, marker=marker))
    return traces


def animate(static: Sequence[go.BaseTraceType], animated: Sequence[go.BaseTraceType],
            keys: Sequence[int], payload: Callable[[int], list[dict]], *, labels: Sequence[str],
            prefix: str, redraw: bool = False, duration: int = 80) -> go.Figure:
    """A figure whose ``animated`` traces take ``payload(key)`` in each frame; it opens on the last.

    Only the animated traces travel in the frames. Play, pause and a slider drive them.
    """
    indices = list(range(len(static), len(static) + len(animated)))
    frames = [{"data": payload(k), "name": str(k), "traces": indices} for k in keys]
    shown = [trace.update({k: v for k, v in data.items() if k != "type"})
             for trace, data in zip(animated, frames[-1]["data"], strict=True)]
    # Frames go in as dicts so plotly validates them once, not once as go.Frame and again in the figure.
    fig = go.Figure(data=list(static) + shown, frames=frames)
    still = {"frame": {"duration": 0, "redraw": redraw}, "mode": "immediate", "transition": {"duration": 0}}
    play = {**still, "frame": {"duration": duration, "redraw": redraw}}
    fig.update_layout(
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.14, "xanchor": "left",
                      "yanchor": "top", "pad": {"r": 10, "t": 10}, "showactive": False, "buttons": [
                          {"label": "▶ Replay", "method": "animate", "args": [None, {**play, "fromcurrent": False}]},
                          {"label": "Pause", "method": "animate", "args": [[None], still]},
                          {"label": "Continue", "method": "animate", "args": [None, {**play, "fromcurrent": True}]},
                      ]}],
        sliders=[{"active": len(frames) - 1, "x": 0.0, "len": 1.0, "y": -0.24, "yanchor": "top",
                  "currentvalue": {"prefix": prefix}, "pad": {"t": 10},
                  "steps": [{"label": lab, "method": "animate", "args": [[str(k)], still]}
                            for k, lab in zip(keys, labels, strict=True)]}],
        # The legend sits at the very bottom, below the controls, so a long one never covers the plot.
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
        margin={"t": 60, "b": 300},
        height=780,
    )
    return fig


def _run_animation(static: Sequence[go.BaseTraceType], styles: Sequence[go.BaseTraceType], runs: Sequence[Run],
                   path: Callable[[Run, np.ndarray], dict], heads: Callable[[list[int]], list[dict]],
                   max_frames: int, max_points: int, redraw: bool = False,
                   extra: Sequence[go.BaseTraceType] = ()) -> go.Figure:
    """Animate ``runs`` step by step: one path trace per run, then heads (and ``extra``) traces."""
    keys = frame_steps(max(r.steps for r in runs), max_frames)

    def payload(k: int) -> list[dict]:
        ends = [min(int(k), r.last) for r in runs]
        return [path(r, thin(e, max_points)) for r, e in zip(runs, ends, strict=True)] + heads(ends)

    return animate(static, list(styles) + list(extra), keys, payload, labels=[str(k) for k in keys],
                   prefix="step ", redraw=redraw)


def _path_style(i: int, run: Run, hover: str, **line) -> go.Scatter:
    return go.Scatter(mode="lines+markers", name=_name(run), line={"color": colour(i), "width": 2, **line},
                      marker={"color": colour(i), "size": 4},
                      hovertemplate=hover + f"<extra>{run.label}</extra>")


def _heads_style(runs: Sequence[Run]) -> go.Scatter:
    return go.Scatter(mode="markers", name="where each optimizer is now", showlegend=False, hoverinfo="skip",
                      marker={"color": [colour(i) for i in range(len(runs))], "size": 15,
                              "line": {"color": "#000000", "width": 1.5}})


def curve_figure(surface: Surface, runs: Sequence[Run], *, max_frames: int = 60,
                 max_points: int = 300) -> go.Figure:
    """A 1D loss curve, each optimizer's steps on it, where it stands now and the tangent it feels."""
    w, loss = (t.numpy() for t in grid(surface, 400))
    (lo, hi), = surface.bounds
    height = max(float(np.ptp(loss)), 1e-12)
    half = 0.06 * (hi - lo)
    static = [go.Scatter(x=w, y=loss, mode="lines", name="loss L(w)", hoverinfo="skip",
                         line={"color": "#555555", "width": 2}), *_landmarks(surface)]
    styles = [_path_style(i, r, "w=%{x:.4g}<br>loss=%{y:.4g}", dash="dot") for i, r in enumerate(runs)]
    extra = [_heads_style(runs),
             go.Scatter(mode="lines", name="tangent (slope felt)", hoverinfo="skip",
                        line={"color": "#000000", "width": 3})]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter", "x": r.positions[idx, 0].astype(_F32), "y": r.losses[idx].astype(_F32)}

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

    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, extra=extra)
    fig.update_layout(
        title=f"{surface.title}: {len(runs)} optimizer(s) starting at w = {runs[0].positions[0, 0]:.3g}",
        xaxis={"title": {"text": "weight w"}, "range": [lo, hi]},
        yaxis={"title": {"text": "loss L(w)"},
               "range": [loss.min() - 0.08 * height, loss.max() + 0.08 * height]})
    return fig


def _ramp(t: np.ndarray) -> np.ndarray:
    """Values in [0, 1] -> RGB uint8 along :data:`BACKGROUND`."""
    lo, hi = (np.array([int(c[1][i:i + 2], 16) for i in (1, 3, 5)], dtype=float) for c in BACKGROUND)
    return (lo + np.clip(t, 0, 1)[..., None] * (hi - lo)).round().astype(np.uint8)


def loss_map(surface: Surface, *, resolution: int = 150, levels: int = 14,
             click_grid: int = 31) -> tuple[dict, list[go.BaseTraceType]]:
    """The loss of a 2D surface as a background: a layout image and static traces to go over it.

    Plotly.js drops contour and heatmap traces from view while a ``redraw: false`` animation
    plays, so the map is a shaded PNG (a layout image survives animation) with isolines drawn as
    scatter lines. ``click_grid`` adds an invisible ``n × n`` grid of points that shows the loss
    on hover and makes a click anywhere on the map select a point (streamlit reports points).
    """
    from skimage.measure import find_contours

    x, y, loss = (t.numpy() for t in grid(surface, resolution))
    transform, ztitle = display_transform(surface)
    z = transform(loss)
    zmin, zmax = float(z.min()), float(z.max())
    shade = Image.fromarray(_ramp((z[::-1] - zmin) / max(zmax - zmin, 1e-12)))
    buffer = io.BytesIO()
    shade.save(buffer, format="PNG", optimize=True)
    (x0, x1), (y0, y1) = surface.bounds
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
    if click_grid:
        gx, gy = np.meshgrid(np.linspace(x0, x1, click_grid), np.linspace(y0, y1, click_grid))
        points = np.stack((gx.ravel(), gy.ravel()), axis=1)
        traces.append(go.Scatter(x=points[:, 0].astype(_F32), y=points[:, 1].astype(_F32), mode="markers",
                                 name="click to start here", showlegend=False,
                                 customdata=_loss_at(surface, points).astype(_F32),
                                 hovertemplate="(%{x:.3g}, %{y:.3g})<br>loss %{customdata:.4g}"
                                               "<extra>click to start here</extra>",
                                 marker={"size": 12, "opacity": 0}))
    return image, traces


def _map_layout(fig: go.Figure, surface: Surface, image: dict, title: str) -> go.Figure:
    fig.update_layout(title=title, images=[image],
                      xaxis={"title": {"text": surface.axis_labels[0]}, "range": list(surface.bounds[0]),
                             "showgrid": False, "zeroline": False},
                      yaxis={"title": {"text": surface.axis_labels[1]}, "range": list(surface.bounds[1]),
                             "showgrid": False, "zeroline": False})
    return fig


def contour_figure(surface: Surface, runs: Sequence[Run], *, max_frames: int = 60, max_points: int = 300,
                   click_grid: int = 31) -> go.Figure:
    """A contour map of a 2D surface with every optimizer's path animated step by step."""
    image, static = loss_map(surface, click_grid=click_grid)
    static += _landmarks(surface)
    styles = [_path_style(i, r, "(%{x:.4g}, %{y:.4g})") for i, r in enumerate(runs)]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter", "x": r.positions[idx, 0].astype(_F32), "y": r.positions[idx, 1].astype(_F32)}

    def heads(ends: list[int]) -> list[dict]:
        return [{"type": "scatter", "x": [float(r.positions[e, 0]) for r, e in zip(runs, ends, strict=True)],
                 "y": [float(r.positions[e, 1]) for r, e in zip(runs, ends, strict=True)]}]

    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, extra=[_heads_style(runs)])
    start = ", ".join(f"{v:.3g}" for v in runs[0].positions[0])
    return _map_layout(fig, surface, image, f"{surface.title}: {len(runs)} optimizer(s) from ({start})")


def surface_figure(surface: Surface, runs: Sequence[Run], *, max_frames: int = 40, max_points: int = 300,
                   resolution: int = 60) -> go.Figure:
    """The same paths on a 3D view of the surface (the height is the loss)."""
    x, y, loss = (t.numpy() for t in grid(surface, resolution))
    transform, ztitle = display_transform(surface)
    z = transform(loss)
    lift = 0.01 * float(np.ptp(z))  # draw the paths just above the surface so it does not hide them
    static = [go.Surface(x=x, y=y, z=z.astype(_F32), colorscale=style.SEQUENTIAL, opacity=0.85, name="loss",
                         colorbar={"title": {"text": ztitle}, "thickness": 14}, hoverinfo="skip"),
              *_landmarks(surface, transform)]
    styles = [go.Scatter3d(mode="lines", name=_name(r), line={"color": colour(i), "width": 6},
                           hovertemplate=f"(%{{x:.3g}}, %{{y:.3g}})<extra>{r.label}</extra>")
              for i, r in enumerate(runs)]

    def path(r: Run, idx: np.ndarray) -> dict:
        return {"type": "scatter3d", "x": r.positions[idx, 0].astype(_F32), "y": r.positions[idx, 1].astype(_F32),
                "z": (transform(r.losses[idx]) + lift).astype(_F32)}

    def heads(ends: list[int]) -> list[dict]:
        pts = [(r.positions[e], r.losses[e]) for r, e in zip(runs, ends, strict=True)]
        return [{"type": "scatter3d", "x": [float(p[0]) for p, _ in pts], "y": [float(p[1]) for p, _ in pts],
                 "z": [float(transform(np.float64(v)) + lift) for _, v in pts]}]

    head = go.Scatter3d(mode="markers", showlegend=False, hoverinfo="skip",
                        marker={"color": [colour(i) for i in range(len(runs))], "size": 6,
                                "line": {"color": "#000000", "width": 1}})
    fig = _run_animation(static, styles, runs, path, heads, max_frames, max_points, redraw=True, extra=[head])
    fig.update_layout(title=f"{surface.title} in 3D: the height is the {ztitle}",
                      scene={"xaxis": {"title": {"text": surface.axis_labels[0]}, "range": list(surface.bounds[0])},
                             "yaxis": {"title": {"text": surface.axis_labels[1]}, "range": list(surface.bounds[1])},
                             "zaxis": {"title": {"text": ztitle}}})
    return fig


def loss_figure(surface: Surface, runs: Sequence[Run]) -> go.Figure:
    """Loss above the lowest possible loss at every step, on a log scale; diverged runs stop early."""
    floor = surface.min_value
    fig = go.Figure()
    for i, r in enumerate(runs):
        gap = np.maximum(r.losses[: r.last + 1] - floor, 1e-16)
        fig.add_trace(go.Scatter(x=np.arange(r.last + 1), y=gap, mode="lines", name=_name(r),
                                 line={"color": colour(i), "width": 2}))
        if r.diverged_at is not None:
            fig.add_trace(go.Scatter(x=[r.last], y=[gap[-1]], mode="markers+text", showlegend=False,
                                     text=[f"diverged at step {r.diverged_at}"], textposition="top left",
                                     marker={"symbol": "x", "size": 12, "color": colour(i)}))
    fig.update_layout(title="How far above the lowest loss each optimizer is, step by step",
                      xaxis={"title": {"text": "step"}},
                      yaxis={"title": {"text": "loss − lowest loss (log scale)"}, "type": "log",
                             "exponentformat": "power"})
    return fig


def state_figure(run: Run, axis_labels: Sequence[str]) -> go.Figure:
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
    fig.update_layout(title=f"{run.label}: gradient and optimizer memory, per weight",
                      height=220 + 170 * len(series))
    return fig


def _batch_name(r: BatchRun) -> str:
    name = f"{r.label} · {r.updates_per_epoch} update{'s' * (r.updates_per_epoch > 1)}/epoch"
    return name if r.diverged_at is None else f"{name} · diverged at update {r.diverged_at}"


def batch_figure(surface: Surface, runs: Sequence[BatchRun], *, max_frames: int = 60,
                 max_points: int = 300) -> go.Figure:
    """Paths of full-batch, mini-batch and SGD on the loss map, animated by examples seen."""
    image, static = loss_map(surface, click_grid=0)
    static += _landmarks(surface)
    styles = [go.Scatter(mode="lines", name=_batch_name(r), line={"color": colour(i), "width": 1.5},
                         hovertemplate=f"(%{{x:.3g}}, %{{y:.3g}})<extra>{r.label}</extra>")
              for i, r in enumerate(runs)]
    n = runs[0].n_examples
    keys = np.unique(np.linspace(0, max(int(r.seen[r.last]) for r in runs), max_frames + 1).round().astype(int))

    def payload(seen: int) -> list[dict]:
        ends = [min(int(np.searchsorted(r.seen, seen, side="right")) - 1, r.last) for r in runs]
        paths = [{"type": "scatter", "x": r.positions[idx, 0].astype(_F32), "y": r.positions[idx, 1].astype(_F32)}
                 for r, idx in ((r, thin(e, max_points)) for r, e in zip(runs, ends, strict=True))]
        return paths + [{"type": "scatter", "x": [float(r.positions[e, 0]) for r, e in zip(runs, ends, strict=True)],
                         "y": [float(r.positions[e, 1]) for r, e in zip(runs, ends, strict=True)]}]

    heads = go.Scatter(mode="markers", showlegend=False, hoverinfo="skip",
                       marker={"color": [colour(i) for i in range(len(runs))], "size": 15,
                               "line": {"color": "#000000", "width": 1.5}})
    fig = animate(static, styles + [heads], keys, payload, labels=[f"{k / n:.2f}" for k in keys], prefix="epoch ")
    return _map_layout(fig, surface, image, "Same examples seen, different numbers of steps")


def epoch_loss_figure(runs: Sequence[BatchRun], best: float) -> go.Figure:
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
    fig.update_layout(title="Loss on all patients after every update (dots: ends of epochs)",
                      xaxis={"title": {"text": "epochs (full passes over the data)"}},
                      yaxis={"title": {"text": "mean squared error (log scale)"}, "type": "log"},
                      legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
                      margin={"t": 60, "b": 190}, height=600)
    return fig


def _trajectory_hover(land: Landscape) -> dict:
    return {"customdata": np.stack((np.arange(len(land.path)), land.path_loss), axis=1),
            "hovertemplate": "epoch %{customdata[0]}<br>true loss %{customdata[1]:.4f}<br>"
                             "(α, β) = (%{x:.3g}, %{y:.3g})<extra>training path</extra>"}


def landscape_figure(land: Landscape) -> go.Figure:
    """Contours of log10 loss over the slice, with the training path projected onto it."""
    z = np.log10(np.maximum(land.loss, 1e-12))
    fig = go.Figure(go.Contour(x=land.alphas, y=land.betas, z=z, colorscale=BACKGROUND, ncontours=20,
                               name="loss", contours={"coloring": "heatmap", "showlines": True},
                               line={"color": "#FFFFFF", "width": 0.6},
                               colorbar={"title": {"text": "log₁₀ loss"}, "thickness": 14},
                               hovertemplate="(α, β) = (%{x:.3g}, %{y:.3g})<br>log₁₀ loss %{z:.3g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=land.path[:, 0], y=land.path[:, 1], mode="lines+markers", name="training path, one dot per epoch",
                             line={"color": style.POSITIVE, "width": 2.5},
                             marker={"color": style.POSITIVE, "size": 7, "line": {"color": "#000000", "width": 0.5}},
                             **_trajectory_hover(land)))
    for k, label, symbol in ((0, "start: random initial weights", "circle-open"), (-1, "trained weights θ*", "star")):
        fig.add_trace(go.Scatter(x=[land.path[k, 0]], y=[land.path[k, 1]], mode="markers", name=label,
                                 marker={"symbol": symbol, "size": 16, "color": "#000000", "line": {"width": 2}}))
    fig.update_layout(title=f"Loss of the digits CNN on a slice along {DIRECTIONS[land.directions]}",
                      xaxis={"title": {"text": "α: step along direction 1"}, "range": [land.alphas[0], land.alphas[-1]]},
                      yaxis={"title": {"text": "β: step along direction 2"}, "range": [land.betas[0], land.betas[-1]]},
                      legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0},
                      margin={"t": 60, "b": 160}, height=680)
    return fig


def landscape_surface_figure(land: Landscape) -> go.Figure:
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
    fig.update_layout(title="The same slice in 3D: valleys are low loss",
                      scene={"xaxis": {"title": {"text": "α"}}, "yaxis": {"title": {"text": "β"}},
                             "zaxis": {"title": {"text": "log₁₀ loss"}}},
                      height=620)
    return fig
