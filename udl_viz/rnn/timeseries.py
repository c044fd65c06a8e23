"""Forecasting yearly sunspot numbers (1700-2008, shipped with statsmodels) with a GRU.

The GRU reads the series year by year and, after each year, predicts the next one. The
feed-forward baseline is the lecture's contrast: the same small dense network applied to each
year separately, so it predicts next year from this year alone, with no memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from udl_viz.datasets.sunspots import load_sunspots
from udl_viz.models.sunspots import Forecasters, GRUForecaster, StepMLP

TRAIN_END = 1920  # fit on 1700-1920; measure errors on 1921-2008
WINDOW = 30       # years the models read before each forecast (about three 11-year cycles)
GRU_NAME = f"GRU (reads {WINDOW} years)"
MLP_NAME = "feed-forward (this year only)"
PERSISTENCE_NAME = "persistence (same as this year)"


def train_forecasters(seed: int = 0, epochs: int = 400) -> Forecasters:
    """Fit both models on 1700-``TRAIN_END`` windows (one-step-ahead, mean squared error)."""
    torch.manual_seed(seed)
    years, values = load_sunspots()
    train = values[years <= TRAIN_END]
    mean, std = float(train.mean()), float(train.std())
    z = torch.as_tensor((train - mean) / std)
    # Every window of WINDOW + 1 years: read the first WINDOW, predict each following year.
    windows = z.unfold(0, WINDOW + 1, 1)
    x, y = windows[:, :-1], windows[:, 1:]
    gru, mlp = GRUForecaster(), StepMLP()
    for model in (gru, mlp):
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(epochs):
            optimizer.zero_grad()
            prediction = model(x)[0] if isinstance(model, GRUForecaster) else model(x)
            # The GRU's first few guesses come from an empty memory; score it once it has read 5 years.
            burn_in = 5 if isinstance(model, GRUForecaster) else 0
            loss = nn.functional.mse_loss(prediction[:, burn_in:], y[:, burn_in:])
            loss.backward()
            optimizer.step()
        model.eval()
    forecasters = Forecasters(gru, mlp, mean, std, {"seed": seed, "epochs": epochs})
    forecasters.metrics.update(forecast_errors(forecasters, years, values))
    return forecasters


def one_step_forecasts(f: Forecasters, values: np.ndarray, targets: np.ndarray) -> dict[str, np.ndarray]:
    """Forecasts of ``values[t]`` for each index ``t`` in ``targets`` from the years before it.

    The GRU reads the ``WINDOW`` years before ``t``; the feed-forward baseline sees only year
    ``t - 1``; persistence repeats year ``t - 1``.
    """
    windows = torch.stack([f.scale(values[t - WINDOW:t]) for t in targets])
    with torch.inference_mode():
        gru = f.unscale(f.gru(windows)[0][:, -1])
        mlp = f.unscale(f.mlp(windows[:, -1:])[:, 0])
    return {GRU_NAME: gru, MLP_NAME: mlp, PERSISTENCE_NAME: values[targets - 1].astype(np.float64)}


def forecast_errors(f: Forecasters, years: np.ndarray, values: np.ndarray) -> dict[str, float]:
    """Root-mean-square error of each forecaster on the test years (after ``TRAIN_END``)."""
    targets = np.flatnonzero(years > TRAIN_END)
    forecasts = one_step_forecasts(f, values, targets)
    truth = values[targets]
    return {f"rmse {name}": float(np.sqrt(np.mean((p - truth) ** 2))) for name, p in forecasts.items()}


@dataclass(frozen=True)
class Rollout:
    """The GRU reading a window, then forecasting ``horizon`` years by feeding back its guesses."""

    window: np.ndarray      # the years read
    hidden: np.ndarray      # (window + horizon, units): the memory at every step
    forecast: np.ndarray    # (horizon,) GRU
    baseline: np.ndarray    # (horizon,) feed-forward baseline, also fed its own guesses


def rollout(f: Forecasters, window: np.ndarray, horizon: int) -> Rollout:
    """Read ``window`` with the GRU, then forecast ``horizon`` years ahead, one year at a time."""
    with torch.inference_mode():
        z = f.scale(window)[None]
        predictions, states = f.gru(z)
        hidden, last = [states[0]], predictions[:, -1]
        h = states[:, -1][None]
        forecast = []
        for _ in range(horizon):
            forecast.append(last)
            out, h = f.gru.gru(last[:, None, None], h)
            hidden.append(out[0])
            last = f.gru.dense(out)[:, -1, 0]
        base, value = [], z[:, -1]
        for _ in range(horizon):
            value = f.mlp(value)
            base.append(value)
    return Rollout(np.asarray(window, dtype=np.float64), torch.cat(hidden).numpy(),
                   f.unscale(torch.cat(forecast)), f.unscale(torch.cat(base)))
