"""The RNN pages' cached loaders (one model object per name, results cached per text) and their sections."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from udl_viz.attribution import AttributionResult, get_method
from udl_viz.figures.rnn import (
    error_bars_figure,
    forecast_figure,
    hidden_state_figure,
    one_step_figure,
)
from udl_viz.models import SENTIMENT, get_spec, load_model
from udl_viz.models.sentiment import SentimentRNN
from udl_viz.models.sunspots import Forecasters, load_forecasters
from udl_viz.rnn.loop import LoopCheck, loop_vs_torch
from udl_viz.rnn.memory import Trace, unroll
from udl_viz.rnn.timeseries import GRU_NAME, MLP_NAME, WINDOW, forecast_window, held_out_forecasts
from udl_viz.ui.layout import show_figure


@st.cache_resource(show_spinner="Loading the sentiment model…", max_entries=6)
def get_sentiment_model(name: str) -> SentimentRNN:
    """The shared eval-mode model (raises ``ModelUnavailable`` with a plain reason)."""
    model = load_model(name, task=SENTIMENT)
    model.requires_grad_(False)  # attributions need gradients of the inputs only
    return model


@st.cache_data(show_spinner=False, max_entries=128)
def cached_trace(name: str, ids: tuple[int, ...]) -> Trace:
    """States, gates and P(positive) after each word."""
    return unroll(get_sentiment_model(name), ids)


@st.cache_data(show_spinner=False, max_entries=128)
def cached_word_attribution(name: str, ids: tuple[int, ...], method: str,
                            settings: tuple[tuple[str, object], ...] = ()) -> AttributionResult:
    """A text method's (``text_ig``, ``text_lime``) score per word of ``ids`` for P(positive)."""
    x = torch.as_tensor([ids], dtype=torch.long)
    return get_method(method).attribute(get_sentiment_model(name), x, 1, **dict(settings))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_loop_check(name: str, ids: tuple[int, ...]) -> LoopCheck:
    """The numpy for loop next to ``torch.nn.RNN`` on the real SimpleRNN's weights."""
    return loop_vs_torch(get_sentiment_model(name), ids)


@st.cache_data(show_spinner=False)
def model_metrics(name: str) -> dict:
    """What the training script measured for model ``name``."""
    return get_spec(name, task=SENTIMENT).metrics()


@st.cache_resource(show_spinner="Loading the forecasters…")
def get_forecasters() -> Forecasters:
    """The sunspot GRU and its feed-forward baseline (``ModelUnavailable`` if not trained)."""
    return load_forecasters()


def forecast_section(forecasters: Forecasters, years: np.ndarray, values: np.ndarray, end: int,
                     horizon: int) -> None:
    """The models read the years up to ``end`` and forecast ``horizon`` more; then the GRU's memory."""
    shown = forecast_window(forecasters, years, values, end, horizon)
    show_figure(forecast_figure(shown.window_years, shown.window, shown.future_years,
                                {"GRU forecast": shown.run.forecast,
                                 "feed-forward forecast (no memory)": shown.run.baseline}, shown.truth,
                                f"Reading {shown.window_years[0]}–{end}, forecasting "
                                f"{shown.future_years[0]}–{shown.future_years[-1]}"),
                key="forecast")
    st.caption(f"Grey: the {WINDOW} years the models read. Each model then feeds its own forecast back in, year "
               f"after year. Error over these {horizon} years (root-mean-square): GRU {shown.gru_error:.1f}, "
               f"feed-forward {shown.baseline_error:.1f}. The feed-forward net maps one value to the next, so it "
               "soon settles on a fixed value.")
    labels = [str(y) for y in shown.window_years] + [f"{y}*" for y in shown.future_years]
    show_figure(hidden_state_figure(labels, shown.run.hidden,
                                    f"GRU hidden state: {shown.run.hidden.shape[1]} units over time",
                                    value_name="activation", x_title="year read (* = its own forecast fed back)"),
                key="ts_hidden")
    st.caption("Each column is the GRU's memory after that year. Units that swing with the cycle track its phase: "
               "this is what lets the GRU tell a rising year from a falling one with the same sunspot number.")


def held_out_section(forecasters: Forecasters, years: np.ndarray, values: np.ndarray) -> None:
    """One-year-ahead forecasts of the years after training, and each model's error."""
    held_out = held_out_forecasts(forecasters, years, values)
    show_figure(one_step_figure(held_out.years, held_out.truth, held_out.forecasts,
                                "Forecasts of each year from the years before it"), key="one_step")
    errors = held_out.errors
    left, right = st.columns([2, 1])
    with left:
        show_figure(error_bars_figure(errors, "One-year-ahead error (lower is better)"), key="errors")
    with right:
        best = min(errors, key=errors.get)
        st.metric("GRU error vs feed-forward", f"{errors[GRU_NAME]:.1f} vs {errors[MLP_NAME]:.1f}")
        st.caption(f"Lowest error: **{best}**. Persistence (next year = this year) is the bar any forecaster must "
                   "beat. The feed-forward net treats each year separately, as the lecture's contrast with the "
                   "RNN: without memory it barely beats persistence.")
