"""A fresh server's first request: the lecture's navigation for a deep link, and plotly's code loaded early.

The browser loads plotly's code while a page still computes, and the hidden chart that asks for it goes.
"""

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


def test_a_deep_link_as_a_fresh_servers_first_request_gets_the_lecture_navigation(browser):
    """No ``pages/`` folder: streamlit runs ``home.py`` (its ``st.navigation``) for the very first request too,
    and the page's ``Link`` header has the browser fetch plotly's code before the session even starts."""
    require_chromium()
    with streamlit_server_for("app.py") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page, order = context.new_page(), []
        page.on("request", lambda request: order.append("plotly") if "PlotlyChart" in request.url else None)
        page.on("websocket", lambda _ws: order.append("session"))
        page.goto(f"{url}/Layer_Activations?model=digits_cnn", wait_until="domcontentloaded")
        wait_until_rendered(page, 180_000)
        assert order[:2] == ["plotly", "session"], order  # plotly's code comes with streamlit's, before the session
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "What a CNN sees" in nav and "Explaining predictions" in nav, nav  # the tour's topics
        assert page.locator("h1").first.inner_text().startswith("Layer activations")
        assert page.locator(f".st-key-{PRELOAD_KEY}").count() == 0
        assert exceptions(page) == []
        context.close()
