"""The sunspot GRU forecaster against its memoryless feed-forward baseline."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz.datasets.sunspots import load_sunspots
from udl_viz.models.sunspots import CHECKPOINT, load_forecasters
from udl_viz.rnn.timeseries import (
    GRU_NAME,
    MLP_NAME,
    PERSISTENCE_NAME,
    TRAIN_END,
    WINDOW,
    forecast_errors,
    one_step_forecasts,
    rollout,
    train_forecasters,
)

GRU, MLP, PERSISTENCE = GRU_NAME, MLP_NAME, PERSISTENCE_NAME


@pytest.fixture(scope="module")
def forecasters():
    return load_forecasters()


def test_data_ship_with_statsmodels():
    years, values = load_sunspots()
    assert (years[0], years[-1], len(years)) == (1700, 2008, 309)
    assert values.min() >= 0


def test_checkpoint_reproduces_its_reported_errors(forecasters):
    assert CHECKPOINT.stat().st_size < 5e6
    years, values = load_sunspots()
    errors = forecast_errors(forecasters, years, values)
    for name, value in errors.items():
        assert value == pytest.approx(forecasters.metrics[name], rel=1e-5)


def test_gru_with_memory_beats_the_memoryless_baselines(forecasters):
    years, values = load_sunspots()
    errors = forecast_errors(forecasters, years, values)
    assert errors[f"rmse {GRU}"] < errors[f"rmse {MLP}"]
    assert errors[f"rmse {GRU}"] < errors[f"rmse {PERSISTENCE}"]


def test_one_step_forecasts_use_only_the_past(forecasters):
    years, values = load_sunspots()
    targets = np.flatnonzero(years > TRAIN_END)[:5]
    before = one_step_forecasts(forecasters, values, targets)
    changed = values.copy()
    changed[targets] += 100.0  # the years being forecast: must not leak into their own forecasts
    after = one_step_forecasts(forecasters, changed, targets[:1])
    assert after[GRU][0] == pytest.approx(before[GRU][0])
    np.testing.assert_array_equal(before[PERSISTENCE], values[targets - 1])


def test_rollout_reads_the_window_then_forecasts(forecasters):
    _, values = load_sunspots()
    run = rollout(forecasters, values[200:200 + WINDOW], horizon=12)
    assert run.forecast.shape == run.baseline.shape == (12,)
    assert run.hidden.shape == (WINDOW + 12, forecasters.gru.gru.hidden_size)
    # The first forecast is the same as the one-step forecast from the same window.
    first = one_step_forecasts(forecasters, values, np.array([200 + WINDOW]))[GRU][0]
    assert run.forecast[0] == pytest.approx(first, rel=1e-5)


def test_training_is_reproducible_with_a_seed():
    a, b = train_forecasters(seed=1, epochs=3), train_forecasters(seed=1, epochs=3)
    assert a.metrics == b.metrics
