"""Forecasting yearly sunspot numbers (1700-2008, shipped with statsmodels) with a GRU.

The GRU reads the series year by year and, after each year, predicts the next one. The
feed-forward baseline is the lecture's contrast: the same small dense network applied to each
year separately, so it predicts next year from this year alone, with no memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

CHECKPOINT = Path(__file__).resolve().parents[2] / "assets" / "rnn" / "sunspots_gru.pt"
TRAIN_END = 1920  # fit on 1700-1920; measure errors on 1921-2008
WINDOW = 30       # years the models read before each forecast (about three 11-year cycles)
HIDDEN = 16
GRU_NAME = f"GRU (reads {WINDOW} years)"
MLP_NAME = "feed-forward (this year only)"
PERSISTENCE_NAME = "persistence (same as this year)"


def load_sunspots() -> tuple[np.ndarray, np.ndarray]:
    """Years and yearly mean sunspot numbers, from statsmodels' bundled data set."""
    from statsmodels.datasets import sunspots

    data = sunspots.load_pandas().data
    return data["YEAR"].to_numpy(dtype=int), data["SUNACTIVITY"].to_numpy(dtype=np.float32)


class GRUForecaster(nn.Module):
    """``gru`` (1 input, ``hidden`` units) then ``dense``: after each year, next year's value."""

    def __init__(self, hidden: int = HIDDEN):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.dense = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``x`` (batch, time) -> predictions (batch, time) and hidden states (batch, time, hidden)."""
        states, _ = self.gru(x.unsqueeze(-1))
        return self.dense(states).squeeze(-1), states


class StepMLP(nn.Module):
    """A dense network applied to each year on its own: next year from this year, no memory."""

    def __init__(self, hidden: int = HIDDEN):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.unsqueeze(-1)).squeeze(-1)


@dataclass
class Forecasters:
    """The trained GRU and baseline with the scaling they were trained with (z-scores)."""

    gru: GRUForecaster
    mlp: StepMLP
    mean: float
    std: float
    metrics: dict

    def scale(self, values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor((np.asarray(values, dtype=np.float32) - self.mean) / self.std)

    def unscale(self, z: torch.Tensor) -> np.ndarray:
        return z.detach().numpy() * self.std + self.mean


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


def save_forecasters(f: Forecasters, path: Path = CHECKPOINT) -> None:
    torch.save({"gru": f.gru.state_dict(), "mlp": f.mlp.state_dict(), "mean": f.mean, "std": f.std,
                "hidden": HIDDEN, "metrics": f.metrics}, path)


def load_forecasters(path: Path = CHECKPOINT) -> Forecasters:
    """The committed GRU and baseline (``FileNotFoundError`` says how to train them)."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} is missing: run `python scripts/train_timeseries.py --seed 0`")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    gru, mlp = GRUForecaster(saved["hidden"]), StepMLP(saved["hidden"])
    gru.load_state_dict(saved["gru"])
    mlp.load_state_dict(saved["mlp"])
    return Forecasters(gru.eval(), mlp.eval(), saved["mean"], saved["std"], saved["metrics"])
