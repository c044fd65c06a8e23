"""RNN time series: a GRU forecasts yearly sunspots; a memoryless feed-forward baseline tries too."""

import streamlit as st

from udl_viz.datasets.sunspots import load_sunspots
from udl_viz.models import ModelUnavailable
from udl_viz.rnn.timeseries import TRAIN_END, window_settings
from udl_viz.ui.layout import page_setup
from udl_viz.ui.rnn import forecast_section, get_forecasters, held_out_section
from udl_viz.ui.settings import setting_widget

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

c1, c2 = st.columns(2)
with c1:
    end = setting_widget(window_settings(years)[0], "ts_end")
horizon_setting = window_settings(years, end)[1]
with c2:
    if horizon_setting.maximum > 1:
        horizon = setting_widget(horizon_setting, "ts_horizon")
    else:
        horizon = 1
        st.caption(f"Only {int(years[-1])} is left to forecast: the data end there.")
if end <= TRAIN_END:
    st.info(f"This window lies in the training years (1700–{TRAIN_END}): the models have seen it. "
            f"Move past {TRAIN_END} to test them on years they never saw.")

forecast_section(forecasters, years, values, end, horizon)

st.subheader(f"One year ahead, on the years it never saw ({TRAIN_END + 1}–{int(years[-1])})")
held_out_section(forecasters, years, values)
