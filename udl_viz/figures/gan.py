"""Figures for generative models: the 2-D GAN playground, digit grids, training curves, the VAE's latent map."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style
from udl_viz.datasets.digits import PIXEL_MAX

REAL_COLOUR, FAKE_COLOUR = style.PALETTE[2], style.PALETTE[3]  # bluish green, reddish purple
#: The discriminator's surface: blue where it says "fake" (0), white at ½, orange where it says "real" (1).
SURFACE_SCALE = [[0.0, "#4A90C2"], [0.5, "#F7F7F7"], [1.0, "#F5A040"]]


def toy_figure(real: np.ndarray, fake: np.ndarray, arrows: np.ndarray, grid: np.ndarray, surface: np.ndarray,
               title: str, show_arrows: bool = True) -> go.Figure:
    """Real and fake 2-D points over the discriminator's P(real) surface, with the generator's gradient arrows."""
    fig = go.Figure(go.Heatmap(x=grid, y=grid, z=surface, zmin=0, zmax=1, colorscale=SURFACE_SCALE, opacity=0.85,
                               colorbar={"title": {"text": "D(x)", "side": "top"}, "len": 0.9, "thickness": 15},
                               hovertemplate="(%{x:.2f}, %{y:.2f}): D says real with p = %{z:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real data",
                             marker={"color": REAL_COLOUR, "size": 6, "symbol": "circle"}))
    if show_arrows and len(fake):
        length = np.linalg.norm(arrows, axis=1)
        scale = 0.5 / max(float(length.max()), 1e-12)  # the longest arrow is drawn 0.5 long
        tips = fake + arrows * scale
        xs = np.c_[fake[:, 0], tips[:, 0], np.full(len(fake), np.nan)].ravel()
        ys = np.c_[fake[:, 1], tips[:, 1], np.full(len(fake), np.nan)].ravel()
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="generator's gradient",
                                 line={"color": "#555555", "width": 1.5}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name="generated (fake)",
                             marker={"color": FAKE_COLOUR, "size": 6, "symbol": "diamond",
                                     "line": {"width": 0.5, "color": "#000000"}}))
    low, high = float(grid[0]), float(grid[-1])
    fig.update_layout(title=title, height=620, legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
                      xaxis={"range": [low, high], "title": "x₁", "constrain": "domain"},
                      yaxis={"range": [low, high], "title": "x₂", "scaleanchor": "x", "constrain": "domain"})
    return fig


def toy_loss_figure(losses: np.ndarray, loss_kind: str, title: str) -> go.Figure:
    """Discriminator and generator loss per step, with where each sits when D cannot tell (D = ½)."""
    steps = np.arange(1, len(losses) + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=steps, y=losses[:, 0], mode="lines", name="discriminator loss",
                             line={"color": style.PALETTE[0]}))
    fig.add_trace(go.Scatter(x=steps, y=losses[:, 1], mode="lines", name="generator loss",
                             line={"color": style.PALETTE[1]}))
    fig.add_hline(y=2 * np.log(2), line_dash="dot", line_color=style.PALETTE[0],
                  annotation_text="D at ½ everywhere: 2 ln 2", annotation_position="top left")
    balance = -np.log(2) if loss_kind == "minimax" else np.log(2)
    fig.add_hline(y=balance, line_dash="dot", line_color=style.PALETTE[1],
                  annotation_text=f"G when D = ½: {balance:+.2f}", annotation_position="bottom left")
    fig.update_layout(title=title, xaxis_title="step", yaxis_title="loss", height=320,
                      legend={"orientation": "h", "y": -0.25})
    return fig


def digits_figure(images: np.ndarray, title: str, labels: Sequence[str] | None = None, columns: int = 8,
                  height: int | None = None) -> go.Figure:
    """A grid of 8×8 digits (0–16 scale, dark ink on white) with an optional label above each."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, 8, 8)
    columns = max(1, min(columns, len(images)))
    rows = -(-len(images) // columns)
    lines = max((str(label).count("<br>") + 1 for label in labels), default=1) if labels is not None else 0
    band = 3 * lines  # pixel rows reserved above each digit for its label
    cell_w, cell_h = 9, 9 + band
    canvas = np.full((rows * cell_h, columns * cell_w - 1), np.nan, dtype=np.float32)
    annotations = []
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        canvas[r * cell_h + band:r * cell_h + band + 8, c * cell_w:c * cell_w + 8] = image
        if labels is not None:
            annotations.append({"x": c * cell_w + 3.5, "y": r * cell_h + band / 2 - 0.5, "text": labels[i],
                                "showarrow": False, "xref": "x", "yref": "y", "font": {"size": 16}})
    fig = go.Figure(go.Heatmap(z=canvas, zmin=0, zmax=PIXEL_MAX, colorscale="Greys", showscale=False,
                               hovertemplate="pixel value %{z:.0f} of 16<extra></extra>"))
    fig.update_layout(title=title, annotations=annotations, plot_bgcolor="#D0D0D0",
                      height=height or 80 + rows * (95 + 30 * lines),
                      margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      xaxis={"visible": False, "constrain": "domain"},
                      yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x"})
    return fig


def history_figure(losses: Sequence[tuple[float, float]], verdicts: Sequence[tuple[float, float]],
                   title: str) -> go.Figure:
    """Per epoch: both players' losses, and the discriminator's mean verdict on real and on fake digits."""
    epochs = np.arange(1, len(losses) + 1)
    losses, verdicts = np.asarray(losses).reshape(-1, 2), np.asarray(verdicts).reshape(-1, 2)
    fig = make_subplots(rows=1, cols=2, subplot_titles=("losses", "the discriminator's verdict"),
                        horizontal_spacing=0.12)
    for col, (series, names, colours) in enumerate((
            (losses, ("discriminator loss", "generator loss"), style.PALETTE[:2]),
            (verdicts, ("D(real digit)", "D(generated digit)"), (REAL_COLOUR, FAKE_COLOUR))), start=1):
        for k in range(2):
            fig.add_trace(go.Scatter(x=epochs, y=series[:, k], mode="lines", name=names[k],
                                     line={"color": colours[k]}), row=1, col=col)
    fig.update_yaxes(title_text="loss", row=1, col=1)
    fig.update_yaxes(title_text="mean P(real)", range=[0, 1], row=1, col=2)
    fig.update_xaxes(title_text="epoch")
    fig.update_layout(title=title, height=440, legend={"orientation": "h", "y": -0.3, "yanchor": "top"},
                      margin={"b": 140})
    return fig


def class_share_figure(shares: Sequence[float], title: str, minimum: float = 0.05) -> go.Figure:
    """Share of generated digits per class (as a classifier reads them), with the no-collapse minimum."""
    shares = np.asarray(shares, dtype=float)
    colours = [style.PALETTE[0] if s >= minimum else style.PALETTE[5] for s in shares]
    fig = go.Figure(go.Bar(x=[str(d) for d in range(len(shares))], y=shares, marker_color=colours,
                           text=[f"{s:.0%}" for s in shares], textposition="outside",
                           showlegend=False, hovertemplate="digit %{x}: %{y:.1%} of samples<extra></extra>"))
    digits = [str(d) for d in range(len(shares))]
    for level, name, dash in ((minimum, f"minimum {minimum:.0%}", "dash"), (1 / len(shares), "even share", "dot")):
        fig.add_trace(go.Scatter(x=digits, y=[level] * len(digits), mode="lines", name=name, hoverinfo="skip",
                                 line={"color": "#333333", "dash": dash, "width": 2}))
    fig.update_layout(title=title, xaxis_title="digit class (the classifier's reading)", yaxis_title="share of samples",
                      yaxis={"tickformat": ".0%", "range": [0, max(0.3, float(shares.max()) * 1.25)]}, height=360,
                      legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"})
    return fig


def latent_map_figure(means: np.ndarray, labels: np.ndarray, title: str) -> go.Figure:
    """Each training digit at its 2-D latent mean, drawn as its own digit character in its class colour."""
    colours = style.PALETTE + ["#777777", "#8C564B"]
    fig = go.Figure()
    for digit in range(10):
        points = means[np.asarray(labels) == digit]
        fig.add_trace(go.Scatter(x=points[:, 0], y=points[:, 1], mode="text", text=[str(digit)] * len(points),
                                 name=str(digit), textfont={"color": colours[digit], "size": 13},
                                 hovertemplate=f"a {digit} at (%{{x:.2f}}, %{{y:.2f}})<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="z₁", yaxis={"title": "z₂", "scaleanchor": "x"}, height=520,
                      legend={"title": {"text": "digit"}})
    return fig


def decoded_map_figure(images: np.ndarray, axis: np.ndarray, title: str) -> go.Figure:
    """A K×K grid of decoded digits (images K×K×8×8) placed at their latent coordinates ``axis`` (K values)."""
    k = len(axis)
    canvas = np.asarray(images, dtype=np.float32).reshape(k, k, 8, 8)[::-1]  # top row of digits: highest z₂
    canvas = canvas.transpose(0, 2, 1, 3).reshape(8 * k, 8 * k)  # pixel rows top to bottom
    step = (axis[-1] - axis[0]) / max(k - 1, 1)
    coords = axis[0] - step / 2 + (np.arange(8 * k) + 0.5) * step / 8
    fig = go.Figure(go.Heatmap(z=canvas, x=coords, y=coords[::-1], zmin=0, zmax=PIXEL_MAX, colorscale="Greys",
                               showscale=False, hovertemplate="z = (%{x:.2f}, %{y:.2f})<extra></extra>"))
    fig.update_layout(title=title, height=560, xaxis={"title": "z₁", "constrain": "domain"},
                      yaxis={"title": "z₂", "scaleanchor": "x", "constrain": "domain"})
    return fig
