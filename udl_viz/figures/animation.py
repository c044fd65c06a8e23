"""The animation engine of the optimizer figures: light frames over a static background.

The animations stay light in the browser: the background is static and sent once, each frame
replaces only the animated traces, frames are capped at ``max_frames`` and every path is thinned
to about ``max_points`` points per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go

from udl_viz import style

#: Path colours: the Okabe-Ito palette without yellow, which vanishes on the light background.
COLOURS = [c for c in style.PALETTE if c != "#F0E442"]
F32 = np.float32  # frames carry float32: half the bytes, and far finer than a screen pixel


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


def animated_figure(static: Sequence[go.BaseTraceType], animated: Sequence[go.BaseTraceType],
                    keys: Sequence[int], payload: Callable[[int], list[dict]], *, labels: Sequence[str],
                    prefix: str, title: str, redraw: bool = False, duration: int = 80) -> go.Figure:
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
        title=title,
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
