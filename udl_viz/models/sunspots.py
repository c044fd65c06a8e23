"""The sunspot forecasters: a GRU that reads the years one by one, and a memoryless baseline.

Both are trained together by ``scripts/train_timeseries.py`` (see ``udl_viz.rnn.timeseries``)
into one checkpoint, with the z-score scaling they were trained with.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from udl_viz.models.spec import FORECASTING, Layer, ModelSpec, ModelUnavailable

CHECKPOINT = Path(__file__).resolve().parents[2] / "assets" / "rnn" / "sunspots_gru.pt"
HIDDEN = 16


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


def save_forecasters(f: Forecasters, path: Path = CHECKPOINT) -> None:
    torch.save({"gru": f.gru.state_dict(), "mlp": f.mlp.state_dict(), "mean": f.mean, "std": f.std,
                "hidden": HIDDEN, "metrics": f.metrics}, path)


def _availability(path: Path = CHECKPOINT) -> str | None:
    if Path(path).is_file():
        return None
    return f"{Path(path).name} is missing: run `python scripts/train_timeseries.py --seed 0`"


def load_forecasters(path: Path = CHECKPOINT) -> Forecasters:
    """The committed GRU and baseline (``ModelUnavailable`` says how to train them)."""
    reason = _availability(path)
    if reason is not None:
        raise ModelUnavailable(reason)
    saved = torch.load(path, map_location="cpu", weights_only=True)
    gru, mlp = GRUForecaster(saved["hidden"]), StepMLP(saved["hidden"])
    gru.load_state_dict(saved["gru"])
    mlp.load_state_dict(saved["mlp"])
    return Forecasters(gru.eval(), mlp.eval(), saved["mean"], saved["std"], saved["metrics"])


@functools.cache
def _committed() -> Forecasters:
    return load_forecasters()


def _scale(values: np.ndarray) -> torch.Tensor:
    """Yearly values -> the z-scores the forecasters read (the training years' mean and std)."""
    return _committed().scale(values)


def _spec(name: str, title: str, description: str, kind: str, member: str, layers: tuple[Layer, ...]) -> ModelSpec:
    return ModelSpec(
        name=name, title=title, description=description,
        weights_source=f"assets/rnn/{CHECKPOINT.name}, trained by scripts/train_timeseries.py",
        builder=lambda: getattr(load_forecasters(), member),
        preprocess=_scale,
        class_names=lambda: ["next year's sunspot number (z-score)"],
        layers=layers, availability=_availability, kind=kind, task=FORECASTING,
        metrics=lambda: dict(_committed().metrics),
    )


GRU_SPEC = _spec("sunspots_gru", "Sunspot GRU", "A 16-unit GRU that reads yearly sunspot numbers and forecasts "
                 "the next year.", "gru", "gru",
                 (Layer("gru", "GRU: the memory, updated year by year"), Layer("dense", "Dense: next year")))
MLP_SPEC = _spec("sunspots_mlp", "Sunspot feed-forward baseline", "A small dense network that forecasts next "
                 "year from this year alone, with no memory.", "mlp", "mlp",
                 (Layer("net.1", "Hidden layer: 16 tanh units"), Layer("net.2", "Dense: next year")))
