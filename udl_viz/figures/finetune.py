"""Figures for fine-tuning: the learning curves and the test confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from udl_viz import style

if TYPE_CHECKING:
    from udl_viz.finetune.train import TrainResult


def training_curve_figure(result: TrainResult, title: str) -> go.Figure:
    """Training loss (left axis) and training/test accuracy (right axis) per epoch."""
    epochs = np.arange(1, len(result.losses) + 1)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=epochs, y=result.losses, name="training loss", mode="lines",
                             line={"color": style.PALETTE[0]}), secondary_y=False)
    fig.add_trace(go.Scatter(x=epochs, y=result.train_accuracy, name="training accuracy", mode="lines",
                             line={"color": style.PALETTE[1], "dash": "dot"}), secondary_y=True)
    if result.test_accuracy is not None:
        fig.add_trace(go.Scatter(x=epochs, y=result.test_accuracy, name="test accuracy (held-out images)",
                                 mode="lines", line={"color": style.PALETTE[2], "dash": "dash"}), secondary_y=True)
    fig.update_layout(title=title, xaxis_title="epoch (one pass over the training images)", height=380,
                      hovermode="x unified")
    fig.update_yaxes(title_text="cross-entropy loss", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="accuracy", range=[0, 1.05], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%",
                     secondary_y=True)
    return fig


def confusion_figure(labels: Sequence[int], predictions: Sequence[int], classes: Sequence[str],
                     title: str) -> go.Figure:
    """Counts of test images by true class (rows) and predicted class (columns)."""
    k = len(classes)
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (np.asarray(labels), np.asarray(predictions)), 1)
    fig = go.Figure(go.Heatmap(
        z=matrix, x=list(classes), y=list(classes), colorscale=style.SEQUENTIAL, zmin=0,
        text=matrix, texttemplate="%{text}", colorbar={"title": {"text": "images"}},
        hovertemplate="true %{y} → predicted %{x}: %{z} images<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="predicted class", yaxis_title="true class",
                      xaxis={"type": "category"}, yaxis={"type": "category", "autorange": "reversed"},
                      height=160 + 60 * k)
    return fig
