"""Every page of the tour, at 1280×720 in projector mode and at 1920×1080: nothing cut off or overlapping."""

from __future__ import annotations

import pytest

from tests.browser import exceptions, open_page
from tests.layout_checks import LAYOUT_PROBLEMS, tour_pages

pytestmark = pytest.mark.browser
PAGES = [("", "Home"), *tour_pages()]
SIZES = {"projector-1280x720": (1280, 720, "?projector=true"), "1920x1080": (1920, 1080, "")}


def test_the_tour_is_read_from_app_py():
    assert ("Layer_Activations", "Layer activations") in PAGES
    assert len(PAGES) >= 12


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[p or "Home" for p, _ in PAGES])
def test_nothing_cut_off_or_overlapping(browser, server, path, size):
    width, height, query = SIZES[size]
    page = open_page(browser, f"{server}/{path}{query}", width=width, height=height)
    try:
        if path:
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=120_000)
            page.wait_for_timeout(1500)  # plotly lays out text after the first paint
        assert exceptions(page) == []
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        if query:
            title = page.eval_on_selector("h1", "e => parseFloat(getComputedStyle(e).fontSize)")
            largest = page.evaluate("() => Math.max(...[...document.querySelectorAll("
                                    "'[data-testid=\"stMain\"] p, [data-testid=\"stMain\"] span')]"
                                    ".filter(e => !e.closest('h1')).map(e => parseFloat(getComputedStyle(e).fontSize)))")
            assert title > 1.3 * largest, "the page title should be clearly the largest text"
            assert page.evaluate("() => Math.min(...[...document.querySelectorAll("
                                 "'.js-plotly-plot .main-svg text')].filter(e => e.getBoundingClientRect().width > 0)"
                                 ".map(e => parseFloat(e.style.fontSize || getComputedStyle(e).fontSize)))") >= 18
            assert page.locator("[data-testid='stSidebar'][data-collapsed='false']").count() == 0
    finally:
        page.close()
