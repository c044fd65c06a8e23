"""RNN time series: a GRU forecasts yearly sunspots; a memoryless feed-forward baseline tries too."""

import numpy as np
import streamlit as st

from udl_viz.datasets.sunspots import load_sunspots
from udl_viz.models import ModelUnavailable
from udl_viz.rnn.figures import error_bars_figure, forecast_figure, one_step_figure, state_heatmap
from udl_viz.rnn.timeseries import (
    GRU_NAME,
    MLP_NAME,
    TRAIN_END,
    WINDOW,
    one_step_forecasts,
    rollout,
)
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.rnn import get_forecasters

page_setup("RNN time series: forecasting sunspots",
           "The number of sunspots rises and falls in a cycle of about 11 years. A GRU reads the past years one "
           "at a time, keeps what matters in its memory, and forecasts the next; a feed-forward network that sees "
           "only one year at a time cannot know whether the cycle is rising or falling.")

try:
    forecasters = get_forecasters()
except ModelUnavailable as exc:
    st.error(str(exc))
    st.stop()
years, values = load_sunspots()
first_end, last_end = int(years[0]) + WINDOW - 1, int(years[-1]) - 1

c1, c2 = st.columns(2)
end = c1.slider("Last year the models read", first_end, last_end, 1979, key="ts_end",
                help=f"The GRU reads the {WINDOW} years up to and including this one.")
max_horizon = min(30, int(years[-1]) - end)
horizon = c2.slider("Years to forecast", 1, max_horizon, min(20, max_horizon), key="ts_horizon",
                    help="Each forecast is fed back in as the next input.") if max_horizon > 1 else 1
if max_horizon == 1:
    c2.caption(f"Only {int(years[-1])} is left to forecast: the data end there.")
if end <= TRAIN_END:
    st.info(f"This window lies in the training years (1700–{TRAIN_END}): the models have seen it. "
            f"Move past {TRAIN_END} to test them on years they never saw.")

i_end = int(np.flatnonzero(years == end)[0])
window_years, window = years[i_end - WINDOW + 1:i_end + 1], values[i_end - WINDOW + 1:i_end + 1]
future_years, truth = years[i_end + 1:i_end + 1 + horizon], values[i_end + 1:i_end + 1 + horizon]
run = rollout(forecasters, window, horizon)
show_figure(forecast_figure(window_years, window, future_years,
                            {"GRU forecast": run.forecast, "feed-forward forecast (no memory)": run.baseline},
                            truth, f"Reading {window_years[0]}–{end}, forecasting {future_years[0]}–{future_years[-1]}"),
            key="forecast")
gru_err = float(np.sqrt(np.mean((run.forecast - truth) ** 2)))
mlp_err = float(np.sqrt(np.mean((run.baseline - truth) ** 2)))
st.caption(f"**What am I looking at?** Sunspot numbers by year, and two models forecasting what comes next. "
           f"Grey: the {WINDOW} years the models read. Each model then feeds its own forecast back in, year after "
           f"year. Error over these {horizon} years (root-mean-square): GRU {gru_err:.1f}, feed-forward "
           f"{mlp_err:.1f}. The feed-forward net maps one value to the next, so it soon settles on a fixed value.")

labels = [str(y) for y in window_years] + [f"{y}*" for y in future_years]
show_figure(state_heatmap(labels, run.hidden, f"GRU hidden state: {run.hidden.shape[1]} units over time",
                          value_name="activation", x_title="year read (* = its own forecast fed back)"),
            key="ts_hidden")
st.caption("Each column is the GRU's memory after that year. Units that swing with the cycle track its phase: "
           "this is what lets the GRU tell a rising year from a falling one with the same sunspot number.")

st.subheader(f"One year ahead, on the years it never saw ({TRAIN_END + 1}–{int(years[-1])})")
targets = np.flatnonzero(years > TRAIN_END)
forecasts = one_step_forecasts(forecasters, values, targets)
show_figure(one_step_figure(years[targets], values[targets], forecasts,
                            "Forecasts of each year from the years before it"), key="one_step")
truth_test = values[targets]
errors = {name: float(np.sqrt(np.mean((p - truth_test) ** 2))) for name, p in forecasts.items()}
left, right = st.columns([2, 1])
with left:
    show_figure(error_bars_figure(errors, "One-year-ahead error (lower is better)"), key="errors")
with right:
    best = min(errors, key=errors.get)
    st.metric("GRU error vs feed-forward", f"{errors[GRU_NAME]:.1f} vs {errors[MLP_NAME]:.1f}")
    st.caption(f"Lowest error: **{best}**. Persistence (next year = this year) is the bar any forecaster must "
               "beat. The feed-forward net treats each year separately, as the lecture's contrast with the RNN: "
               "without memory it barely beats persistence.")
