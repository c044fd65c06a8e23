"""The browser loads plotly's code while a page still computes, and the hidden chart that asks for it goes."""

from __future__ import annotations

import time

import pytest

from tests.browser import ROOT, exceptions, require_chromium, streamlit_server_for, wait_until_rendered
from udl_viz.ui.layout import PRELOAD_KEY

pytestmark = pytest.mark.browser

#: A page that computes for a while and draws no chart at all.
SLOW_PAGE = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from udl_viz.ui.layout import plotly_preloaded

with plotly_preloaded():
    st.title("Computing")
    time.sleep(4)
    st.write("Finished computing")
"""


def test_plotly_loads_while_the_page_computes_and_the_hidden_chart_is_removed(browser, tmp_path):
    require_chromium()
    script = tmp_path / "slow_page.py"
    script.write_text(SLOW_PAGE)
    with streamlit_server_for(str(script)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        plotly_loaded = []
        page.on("requestfinished",
                lambda request: plotly_loaded.append(time.monotonic()) if "PlotlyChart" in request.url else None)
        page.goto(url)
        page.get_by_text("Finished computing").wait_for(timeout=60_000)
        finished = time.monotonic()
        wait_until_rendered(page)
        assert plotly_loaded and plotly_loaded[0] < finished  # during the run, though the page draws no chart
        assert page.locator(f".st-key-{PRELOAD_KEY}").count() == 0
        assert page.locator("[data-testid='stPlotlyChart']").count() == 0
        assert exceptions(page) == []
        page.close()
