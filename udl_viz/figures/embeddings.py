"""Figures for the word-embeddings page: arrays in, ``plotly.graph_objects.Figure`` out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from udl_viz import style

_OUTSIDE = "#E8E8E8"
_BACKGROUND_POINT = "#9A9A9A"
_CONTEXT = style.PALETTE[0]  # blue
_CENTRE = style.PALETTE[1]  # orange


def skipgram_grid_figure(tokens: list[str], window: int, title: str, selected: int | None = None) -> go.Figure:
    """One row per centre word: orange is the centre, blue its context words within ``window``.

    Every blue cell is one (centre, context) training pair; ``selected`` outlines one row.
    """
    n = len(tokens)
    positions = np.arange(n)
    offset = np.abs(positions[:, None] - positions[None, :])
    z = np.where(offset == 0, 2, np.where(offset <= window, 1, 0))
    role = np.array(["outside the window", "context word: a training pair", "centre word"])[z]
    labels = [f"{i + 1}: {w}" for i, w in enumerate(tokens)]
    fig = go.Figure(go.Heatmap(
        z=z, x=positions, y=positions, zmin=0, zmax=2, xgap=1, ygap=1,
        colorscale=[[0, _OUTSIDE], [1 / 3, _OUTSIDE], [1 / 3, _CONTEXT], [2 / 3, _CONTEXT],
                    [2 / 3, _CENTRE], [1, _CENTRE]],
        colorbar={"tickvals": [1 / 3, 1, 5 / 3], "ticktext": ["outside", "context", "centre"],
                  "title": {"text": "role"}, "len": 0.5},
        customdata=np.stack(np.broadcast_arrays(np.array(labels)[:, None], np.array(labels)[None, :], role),
                            axis=-1),
        hovertemplate="centre %{customdata[0]}<br>word %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    ))
    if selected is not None:
        fig.add_shape(type="rect", x0=-0.5, x1=n - 0.5, y0=selected - 0.5, y1=selected + 0.5,
                      line={"color": "#000000", "width": 3})
    ticks = {"tickmode": "array", "tickvals": positions.tolist(), "ticktext": labels}
    # The columns are the rows' words in the same order (each row's orange cell is its own word), so the x axis
    # needs no labels: dozens of rotated words would only overlap.
    fig.update_xaxes(title="word in the sentence (same order as the rows)", showticklabels=False)
    fig.update_yaxes(title="centre word", autorange="reversed", **ticks)
    fig.update_layout(title=title,
                      height=min(1400, 220 + 22 * n))
    return fig


def noise_distribution_figure(words: list[str], unigram: np.ndarray, noise: np.ndarray, title: str,
                              drawn: np.ndarray | None = None, power: float = 0.75) -> go.Figure:
    """Grouped bars per word: raw frequency, frequency^power, and the share of actual draws."""
    fig = go.Figure()
    fig.add_bar(x=words, y=unigram, name="unigram frequency", marker_color=style.PALETTE[0],
                hovertemplate="%{x}: %{y:.3%} of words in the corpus<extra></extra>")
    fig.add_bar(x=words, y=noise, name=f"unigram^{power:g} (renormalised)", marker_color=style.PALETTE[1],
                hovertemplate="%{x}: drawn with probability %{y:.3%}<extra></extra>")
    if drawn is not None:
        fig.add_bar(x=words, y=drawn, name="share of negative samples drawn", marker_color=style.PALETTE[2],
                    hovertemplate="%{x}: %{y:.3%} of the draws<extra></extra>")
    fig.update_layout(title=title,
                      xaxis_title="word (most frequent on the left; then rarer words)",
                      yaxis_title="probability (log scale)", yaxis_type="log", yaxis_tickformat=".2~%",
                      barmode="group", legend={"orientation": "h", "y": -0.3})
    return fig


def weight_matrix_figure(words: list[str], rows: list[int], matrix: np.ndarray, title: str) -> go.Figure:
    """The embedding matrix rows of ``words``: row i is word i's vector, one column per dimension."""
    limit = float(np.abs(matrix).max()) or 1.0
    labels = [f"row {r}: {w}" for r, w in zip(rows, words, strict=True)]
    fig = go.Figure(go.Heatmap(
        z=matrix, y=labels, x=np.arange(matrix.shape[1]), colorscale=style.DIVERGING, zmin=-limit, zmax=limit,
        colorbar={"title": {"text": "weight"}},
        hovertemplate="%{y}<br>dimension %{x}<br>weight %{z:.3f}<extra></extra>",
    ))
    fig.update_xaxes(title=f"dimension of the word vector (0 to {matrix.shape[1] - 1})")
    fig.update_yaxes(title="word (row of the embedding matrix)", autorange="reversed", type="category")
    fig.update_layout(title=title, height=min(1200, 160 + 24 * len(words)))
    return fig


def word_bars_figure(words: list[str], values: list[float], title: str, xaxis_title: str,
                     color: str = style.PALETTE[0], value_format: str = ".3f") -> go.Figure:
    """Horizontal bars, one per word, first word on top."""
    fig = go.Figure(go.Bar(
        x=values[::-1], y=words[::-1], orientation="h", marker_color=color,
        text=[format(v, value_format) for v in values[::-1]], textposition="auto",
        hovertemplate=f"%{{y}}: %{{x:{value_format}}}<extra></extra>",
    ))
    fig.update_layout(title=title, xaxis_title=xaxis_title, yaxis_title="word", yaxis_type="category",
                      height=120 + 30 * len(words))
    return fig


def analogy_figure(words: list[str], coords: np.ndarray, title: str) -> go.Figure:
    """a → b and c → d as arrows in 2D (e.g. from ``analogy_plane``): parallel arrows mean the analogy holds."""
    if len(words) != 4 or coords.shape != (4, 2):
        raise ValueError("need four words (a, b, c, d) with 2D coordinates")
    fig = go.Figure()
    for (start, end), color, name in (((0, 1), style.PALETTE[0], f"{words[0]} → {words[1]}"),
                                      ((2, 3), style.PALETTE[1], f"{words[2]} → {words[3]}")):
        fig.add_trace(go.Scatter(x=coords[[start, end], 0], y=coords[[start, end], 1], mode="markers+text",
                                 text=[words[start], words[end]], textposition="top center",
                                 marker={"size": 12, "color": color}, name=name,
                                 hovertemplate="%{text}<extra></extra>"))
        fig.add_annotation(x=coords[end, 0], y=coords[end, 1], ax=coords[start, 0], ay=coords[start, 1],
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=3,
                           arrowwidth=2, arrowcolor=color)
    fig.update_layout(title=title,
                      xaxis_title=f"direction from {words[0]} to {words[2]}",
                      yaxis_title="shared offset direction",
                      legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(scaleanchor="x")
    return fig


def projection_figure(words: list[str], coords: np.ndarray, highlight: list[str], method: str,
                      title: str) -> go.Figure:
    """Words as points in 2D or 3D; highlighted words are large, orange and labelled."""
    dims = coords.shape[1]
    marked = np.isin(np.array(words), highlight)
    axis_titles = [f"{'component' if method == 'PCA' else method} {i + 1}" for i in range(dims)]
    fig = go.Figure()
    for mask, name, color, size, mode in ((~marked, "other words", _BACKGROUND_POINT, 5, "markers"),
                                          (marked, "highlighted words", _CENTRE, 11, "markers+text")):
        text = [w for w, m in zip(words, mask, strict=True) if m]
        points = coords[mask]
        common = {"text": text, "name": name, "mode": mode, "textposition": "top center",
                  "marker": {"color": color, "size": size, "line": {"width": 1, "color": "#000000"}}
                  if mode != "markers" else {"color": color, "size": size, "opacity": 0.6},
                  "hovertemplate": "%{text}<extra></extra>"}
        if dims == 3:
            fig.add_trace(go.Scatter3d(x=points[:, 0], y=points[:, 1], z=points[:, 2], **common))
        else:
            fig.add_trace(go.Scatter(x=points[:, 0], y=points[:, 1], **common))
    if dims == 3:
        fig.update_layout(scene={"xaxis_title": axis_titles[0], "yaxis_title": axis_titles[1],
                                 "zaxis_title": axis_titles[2]})
    else:
        fig.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    fig.update_layout(title=title, height=650, legend={"orientation": "h", "y": -0.1})
    return fig


def drift_figure(words: list[str], counts: np.ndarray, distances: np.ndarray, movers: list[str], title: str,
                 n_labels: int = 3) -> go.Figure:
    """Each word's move (cosine distance) against how often it occurs.

    ``movers`` are drawn in orange; the first ``n_labels`` of them are named on the plot.
    """
    marked = np.isin(np.array(words), movers)
    named = set(movers[:n_labels])
    fig = go.Figure()
    for mask, name, color, size, opacity in ((~marked, "other words", _BACKGROUND_POINT, 4, 0.4),
                                             (marked, "words that moved most", _CENTRE, 9, 0.9)):
        hover = [w for w, m in zip(words, mask, strict=True) if m]
        fig.add_trace(go.Scattergl(
            x=counts[mask], y=distances[mask], customdata=hover, name=name, mode="markers+text",
            text=[w if w in named else "" for w in hover], textposition="middle right",
            marker={"color": color, "size": size, "opacity": opacity},
            hovertemplate="%{customdata}: seen %{x} times, moved %{y:.3f}<extra></extra>",
        ))
    fig.update_layout(title=title,
                      xaxis_title="times the word occurs in SST-2 training sentences (log scale)",
                      yaxis_title="cosine distance from its word2vec start", xaxis={"type": "log", "dtick": 1},
                      height=550, legend={"orientation": "h", "y": -0.2})
    return fig


def benchmark_figure(sections: list[str], accuracy: list[float], asked: list[int], title: str) -> go.Figure:
    """Accuracy per analogy section as horizontal bars (first section on top); empty sections say so."""
    shown = [a if n else 0.0 for a, n in zip(accuracy, asked, strict=True)]
    labels = [f"{a:.0%} of {n:,}" if n else "no question with known words"
              for a, n in zip(accuracy, asked, strict=True)]
    colours = [style.PALETTE[0] if not s.startswith("gram") else style.PALETTE[1] for s in sections]
    fig = go.Figure(go.Bar(
        x=shown[::-1], y=sections[::-1], orientation="h", marker_color=colours[::-1],
        text=labels[::-1], textposition="auto", hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(title=title, xaxis_title="share answered right (3CosAdd)", yaxis_title="section",
                      xaxis_range=[0, 1], xaxis_tickformat=".0%", yaxis_type="category",
                      height=140 + 30 * len(sections))
    return fig
