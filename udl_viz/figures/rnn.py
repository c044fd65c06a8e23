"""Figures for the RNN sentiment page: arrays in, ``go.Figure`` out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style

UNKNOWN_MARK = "?"


def word_labels(tokens: Sequence[str], unknown: Sequence[bool] | None = None) -> list[str]:
    """Axis labels for words: unknown words get a trailing "?" (the model sees ``<unk>``)."""
    unknown = unknown if unknown is not None else [False] * len(tokens)
    return [f"{t}{UNKNOWN_MARK}" if u else t for t, u in zip(tokens, unknown, strict=True)]


def _word_axis(fig: go.Figure, labels: Sequence[str], crowded: int = 12, **where) -> None:
    # Numeric positions with word tick labels, so a repeated word keeps its own column;
    # beyond 40 columns only every few are labelled (hover shows them all).
    step = -(-len(labels) // 40)
    fig.update_xaxes(tickmode="array", tickvals=list(range(0, len(labels), step)),
                     ticktext=list(labels[::step]), tickangle=-60 if len(labels) > crowded else 0, **where)


def step_probability_figure(tokens: Sequence[str], positive: np.ndarray, title: str,
                            unknown: Sequence[bool] | None = None) -> go.Figure:
    """P(positive) after each word: the memory at work (e.g. "not bad" flips)."""
    labels = word_labels(tokens, unknown)
    colors = [style.POSITIVE if p >= 0.5 else style.NEGATIVE for p in positive]
    symbols = ["x" if label.endswith(UNKNOWN_MARK) and unknown is not None else "circle"
               for label in labels]
    fig = go.Figure(go.Scatter(
        x=list(range(len(tokens))), y=positive, mode="lines+markers", line={"color": "#777777"},
        marker={"color": colors, "size": 11, "symbol": symbols},
        customdata=labels, hovertemplate="after '%{customdata}': P(positive) = %{y:.2f}<extra></extra>"))
    fig.add_hline(y=0.5, line_dash="dot", line_color="#555555",
                  annotation_text="undecided", annotation_position="top left")
    fig.update_layout(title=title, showlegend=False)
    fig.update_yaxes(title="P(positive)", range=[-0.02, 1.02])
    fig.update_xaxes(title="word read so far")
    _word_axis(fig, labels)
    return fig


def hidden_state_figure(tokens: Sequence[str], values: np.ndarray, title: str,
                  unknown: Sequence[bool] | None = None, value_name: str = "activation",
                  x_title: str = "word read so far") -> go.Figure:
    """Units (rows) by steps (columns), e.g. the hidden state after each word, on a signed scale."""
    labels = word_labels(tokens, unknown)
    limit = float(np.abs(values).max()) or 1.0
    fig = go.Figure(go.Heatmap(
        z=values.T, x=list(range(len(tokens))), y=list(range(values.shape[1])),
        colorscale=style.DIVERGING, zmid=0, zmin=-limit, zmax=limit, colorbar={"title": value_name},
        customdata=np.broadcast_to(np.array(labels, dtype=object), values.T.shape),
        hovertemplate="unit %{y}, after '%{customdata}': %{z:.2f}<extra></extra>"))
    fig.update_layout(title=title, height=max(320, 6 * values.shape[1] + 140))
    fig.update_yaxes(title="unit", autorange="reversed")
    fig.update_xaxes(title=x_title)
    _word_axis(fig, labels)
    return fig


def gates_figure(tokens: Sequence[str], gates: Mapping[str, np.ndarray], title: str,
                 unknown: Sequence[bool] | None = None) -> go.Figure:
    """One heatmap per gate (units by words), all on the same 0 (closed) to 1 (open) scale."""
    labels = word_labels(tokens, unknown)
    names = list(gates)
    fig = make_subplots(rows=1, cols=len(names), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[f"{name} gate" for name in names])
    for col, name in enumerate(names, start=1):
        fig.add_trace(go.Heatmap(
            z=gates[name].T, x=list(range(len(tokens))), colorscale=style.SEQUENTIAL, zmin=0, zmax=1,
            showscale=col == len(names), colorbar={"title": "gate value"},
            customdata=np.broadcast_to(np.array(labels, dtype=object), gates[name].T.shape),
            hovertemplate=f"{name} gate, unit %{{y}}, after '%{{customdata}}': %{{z:.2f}}<extra></extra>"),
            row=1, col=col)
        _word_axis(fig, labels, crowded=12 // len(names), row=1, col=col)
        fig.update_xaxes(title="word", row=1, col=col)
    fig.update_yaxes(title="unit", autorange="reversed", row=1, col=1)
    fig.update_layout(title=title, height=max(360, 6 * next(iter(gates.values())).shape[1] + 160))
    return fig


def attribution_figure(tokens: Sequence[str], methods: Mapping[str, np.ndarray], title: str,
                       unknown: Sequence[bool] | None = None) -> go.Figure:
    """Side-by-side horizontal bars, one panel per method; orange pushes to positive, blue to negative."""
    labels = word_labels(tokens, unknown)
    fig = make_subplots(rows=1, cols=len(methods), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=list(methods))
    y = list(range(len(tokens)))
    for col, (name, scores) in enumerate(methods.items(), start=1):
        fig.add_trace(go.Bar(
            x=scores, y=y, orientation="h", name=name, customdata=labels,
            marker_color=[style.POSITIVE if s >= 0 else style.NEGATIVE for s in scores],
            hovertemplate=f"{name}: '%{{customdata}}' %{{x:+.3f}}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(title="evidence for positive (+) or negative (−)", zeroline=True,
                         zerolinecolor="#333333", row=1, col=col)
    fig.update_yaxes(tickmode="array", tickvals=y, ticktext=labels, autorange="reversed", row=1, col=1)
    fig.update_yaxes(title="word", row=1, col=1)
    fig.update_layout(title=title, showlegend=False, height=max(320, 26 * len(tokens) + 140))
    return fig


def comparison_figure(tokens: Sequence[str], curves: Mapping[str, np.ndarray], title: str,
                      unknown: Sequence[bool] | None = None) -> go.Figure:
    """P(positive) after each word for several models on the same text."""
    labels = word_labels(tokens, unknown)
    fig = go.Figure()
    dashes = ["solid", "dash", "dot", "dashdot"]
    for i, (name, positive) in enumerate(curves.items()):
        fig.add_trace(go.Scatter(
            x=list(range(len(tokens))), y=positive, mode="lines+markers", name=name,
            line={"color": style.PALETTE[i % len(style.PALETTE)], "dash": dashes[i % len(dashes)]},
            customdata=labels, hovertemplate=f"{name} after '%{{customdata}}': %{{y:.2f}}<extra></extra>"))
    fig.add_hline(y=0.5, line_dash="dot", line_color="#555555")
    fig.update_layout(title=title,
                      legend={"orientation": "h", "y": -0.3})
    fig.update_yaxes(title="P(positive)", range=[-0.02, 1.02])
    fig.update_xaxes(title="word read so far")
    _word_axis(fig, labels)
    return fig


def loop_agreement_figure(numpy_states: np.ndarray, torch_states: np.ndarray, title: str) -> go.Figure:
    """Every hidden value from the numpy loop against ``torch.nn.RNN``: all on the diagonal."""
    fig = go.Figure([
        go.Scatter(x=[-1, 1], y=[-1, 1], mode="lines", name="perfect agreement",
                   line={"color": "#999999", "dash": "dot"}),
        go.Scatter(x=torch_states.ravel(), y=numpy_states.ravel(), mode="markers", name="hidden values",
                   marker={"color": style.PALETTE[0], "size": 6, "opacity": 0.6}),
    ])
    fig.update_layout(title=title,
                      legend={"orientation": "h", "y": -0.25})
    fig.update_xaxes(title="torch.nn.RNN hidden value", range=[-1.05, 1.05])
    fig.update_yaxes(title="numpy for-loop hidden value", range=[-1.05, 1.05])
    return fig


def forecast_figure(window_years: np.ndarray, window: np.ndarray, future_years: np.ndarray,
                    forecasts: Mapping[str, np.ndarray], truth: np.ndarray, title: str) -> go.Figure:
    """The input window, then each model's multi-year forecast against what really happened."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=window_years, y=window, mode="lines+markers", name="input window (read)",
                             line={"color": "#555555"}, marker={"size": 5}))
    fig.add_trace(go.Scatter(x=future_years, y=truth, mode="lines+markers", name="truth",
                             line={"color": "#000000", "width": 3}, marker={"size": 6}))
    dashes = ["dash", "dot", "dashdot"]
    for i, (name, values) in enumerate(forecasts.items()):
        fig.add_trace(go.Scatter(x=future_years, y=values, mode="lines+markers", name=name,
                                 line={"color": style.PALETTE[i + 1], "dash": dashes[i % len(dashes)]}))
    fig.add_vrect(x0=window_years[0] - 0.5, x1=window_years[-1] + 0.5, fillcolor="#999999", opacity=0.12,
                  line_width=0, annotation_text="read", annotation_position="top left")
    fig.update_layout(title=title, legend={"orientation": "h", "y": -0.25})
    fig.update_xaxes(title="year")
    fig.update_yaxes(title="sunspot number (yearly mean)")
    return fig


def one_step_figure(years: np.ndarray, truth: np.ndarray, forecasts: Mapping[str, np.ndarray],
                    title: str) -> go.Figure:
    """One-step-ahead forecasts of each model against the truth, year by year."""
    fig = go.Figure(go.Scatter(x=years, y=truth, mode="lines", name="truth",
                               line={"color": "#000000", "width": 3}))
    dashes = ["solid", "dash", "dot"]
    for i, (name, values) in enumerate(forecasts.items()):
        fig.add_trace(go.Scatter(x=years, y=values, mode="lines", name=name,
                                 line={"color": style.PALETTE[i + 1], "dash": dashes[i % len(dashes)]}))
    fig.update_layout(title=title, legend={"orientation": "h", "y": -0.25})
    fig.update_xaxes(title="year forecast")
    fig.update_yaxes(title="sunspot number (yearly mean)")
    return fig


def error_bars_figure(errors: Mapping[str, float], title: str) -> go.Figure:
    """Root-mean-square error per model (lower is better)."""
    names = list(errors)
    fig = go.Figure(go.Bar(x=[errors[n] for n in names], y=names, orientation="h",
                           marker_color=[style.PALETTE[i + 1] for i in range(len(names))],
                           text=[f"{errors[n]:.1f}" for n in names], textposition="auto"))
    fig.update_layout(title=title, showlegend=False, height=260)
    fig.update_xaxes(title="root-mean-square error (sunspots)")
    fig.update_yaxes(autorange="reversed")
    return fig
