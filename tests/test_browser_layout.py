"""Every page of the tour, at 1280×720 in projector mode and at 1920×1080: nothing cut off or overlapping,
and the page's main figure on the first screen."""

from __future__ import annotations

import pytest

from tests.browser import exceptions, open_page
from tests.layout_checks import LAYOUT_PROBLEMS, MAIN_FIGURE_TOP, tour_pages
from udl_viz import style

pytestmark = pytest.mark.browser
PAGES = [("", "Home"), *tour_pages()]
FIGURE_PAGES = [p for p, _ in PAGES if p]
SIZES = {"projector-1280x720": (1280, 720, "?projector=true"), "1920x1080": (1920, 1080, "")}
#: A page's first visit computes its demo (LIME's is the slowest): minutes on a loaded machine.
FIRST_VISIT_MS = 600_000
#: Pixels of the main figure that must show on the first screen, below its top edge.
SHOWN = 100


def test_the_tour_is_read_from_app_py():
    assert ("Layer_Activations", "Layer activations") in PAGES
    assert len(PAGES) >= 12


def open_figures(browser, url: str, width: int, height: int):
    page = open_page(browser, url, width=width, height=height, timeout_ms=FIRST_VISIT_MS)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=120_000)
    page.wait_for_timeout(1500)  # plotly lays out text after the first paint
    return page


@pytest.mark.timeout(900)
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[p or "Home" for p, _ in PAGES])
def test_nothing_cut_off_or_overlapping(browser, server, path, size):
    width, height, query = SIZES[size]
    url = f"{server}/{path}{query}"
    page = open_figures(browser, url, width, height) if path else open_page(browser, url, width=width, height=height)
    try:
        assert exceptions(page) == []
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        if path:
            assert page.get_by_text("What am I looking at?").count() >= 1, "every main figure says what it shows"
        if query:
            title = page.eval_on_selector("h1", "e => parseFloat(getComputedStyle(e).fontSize)")
            largest = page.evaluate("() => Math.max(...[...document.querySelectorAll("
                                    "'[data-testid=\"stMain\"] p, [data-testid=\"stMain\"] span')]"
                                    ".filter(e => !e.closest('h1'))"
                                    ".map(e => parseFloat(getComputedStyle(e).fontSize)))")
            assert title > 1.3 * largest, "the page title should be clearly the largest text"
            assert page.evaluate("() => Math.min(...[...document.querySelectorAll("
                                 "'.js-plotly-plot .main-svg text')].filter(e => e.getBoundingClientRect().width > 0)"
                                 ".map(e => parseFloat(e.style.fontSize || getComputedStyle(e).fontSize)))") >= 18
            assert page.locator("[data-testid='stSidebar'][data-collapsed='false']").count() == 0
        else:  # the page config's width, from the first frame on, on every page
            assert page.locator("[data-testid='stSidebar']").bounding_box()["width"] == style.SIDEBAR_WIDTH_PX
        if path and query:
            main = page.evaluate(MAIN_FIGURE_TOP)
            assert main["top"] <= height - SHOWN, f"the main figure ({main['key']}) starts below the first screen"
    finally:
        page.close()


@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_main_figure_on_the_first_screen_of_a_laptop(browser, server, path):
    """At 1280×1000 with the sidebar open, the main result shows without scrolling."""
    page = open_figures(browser, f"{server}/{path}", 1280, 1000)
    try:
        main = page.evaluate(MAIN_FIGURE_TOP)
        assert main["top"] <= 1000 - SHOWN, f"the main figure ({main['key']}) starts below the first screen"
    finally:
        page.close()
