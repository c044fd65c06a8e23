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
from udl_viz.settings import Setting

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


def rmse(forecast: np.ndarray, truth: np.ndarray) -> float:
    """Root-mean-square error of a forecast."""
    return float(np.sqrt(np.mean((forecast - truth) ** 2)))


@dataclass(frozen=True)
class HeldOutForecasts:
    """One-year-ahead forecasts of every forecaster on the test years, and their errors."""

    years: np.ndarray
    truth: np.ndarray
    forecasts: dict[str, np.ndarray]
    errors: dict[str, float]  # root-mean-square error per forecaster


def held_out_forecasts(f: Forecasters, years: np.ndarray, values: np.ndarray) -> HeldOutForecasts:
    """Each forecaster's one-year-ahead forecasts of the test years (after ``TRAIN_END``)."""
    targets = np.flatnonzero(years > TRAIN_END)
    forecasts = one_step_forecasts(f, values, targets)
    truth = values[targets]
    return HeldOutForecasts(years[targets], truth, forecasts, {name: rmse(p, truth) for name, p in forecasts.items()})


def forecast_errors(f: Forecasters, years: np.ndarray, values: np.ndarray) -> dict[str, float]:
    """Root-mean-square error of each forecaster on the test years (after ``TRAIN_END``)."""
    return {f"rmse {name}": error for name, error in held_out_forecasts(f, years, values).errors.items()}


def window_settings(years: np.ndarray, end: int | None = None) -> tuple[Setting, Setting]:
    """The last year read and the years to forecast after ``end``, as settings.

    The last year read may be any year with a full window before it and one year after it.
    """
    first_end, last_end = int(years[0]) + WINDOW - 1, int(years[-1]) - 1
    last = Setting("end", "Last year the models read", min(max(1979, first_end), last_end), minimum=first_end,
                   maximum=last_end, help=f"The GRU reads the {WINDOW} years up to and including this one.")
    most = min(30, int(years[-1]) - (last.default if end is None else end))
    horizon = Setting("horizon", "Years to forecast", min(20, most), minimum=1, maximum=most,
                      help="Each forecast is fed back in as the next input.")
    return last, horizon


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


@dataclass(frozen=True)
class WindowForecast:
    """The years the models read up to ``end``, what came next, and both models' forecasts of it."""

    window_years: np.ndarray
    window: np.ndarray
    future_years: np.ndarray
    truth: np.ndarray
    run: Rollout
    gru_error: float
    baseline_error: float


def forecast_window(f: Forecasters, years: np.ndarray, values: np.ndarray, end: int,
                    horizon: int) -> WindowForecast:
    """Read the ``WINDOW`` years up to ``end``, forecast ``horizon`` years and score both models."""
    i_end = int(np.flatnonzero(years == end)[0])
    window_years, window = years[i_end - WINDOW + 1:i_end + 1], values[i_end - WINDOW + 1:i_end + 1]
    future_years, truth = years[i_end + 1:i_end + 1 + horizon], values[i_end + 1:i_end + 1 + horizon]
    run = rollout(f, window, horizon)
    return WindowForecast(window_years, window, future_years, truth, run, rmse(run.forecast, truth),
                          rmse(run.baseline, truth))
