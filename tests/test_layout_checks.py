"""The browser layout checks themselves: each finds its defect on a tiny hand-made page, and a clean page passes."""

from __future__ import annotations

import pytest

from tests.layout_checks import LAYOUT_PROBLEMS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tab(browser):
    """A blank tab in the suite's shared Chromium; no streamlit server needed."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    yield page
    page.close()


def figure(body: str) -> str:
    """A plotly-like chart (the class names the checks look for) of 300×200 px holding ``body``."""
    return (f"<div data-testid='stPlotlyChart'><div class='js-plotly-plot'>"
            f"<svg class='main-svg' width='300' height='200' style='display:block'>{body}</svg></div></div>")


CLEAN = figure("<g class='annotation'><text x='20' y='40'>tile one</text></g>"
               "<g class='annotation'><text x='180' y='40'>tile two</text></g>"
               "<g class='legend'><rect x='0' y='0' width='100' height='20'/></g>"
               "<g class='slider-container'><rect x='10' y='170' width='200' height='20'/></g>"
               "<g class='xtick'><text x='150' y='150'>0.5</text></g>") + (
    "<div data-testid='stMetricLabel' style='width:300px;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis'>Short label</div>"
    "<div data-testid='stSelectbox'><input style='width:300px' value='short'></div>")

DEFECTS = {
    "overlap": (figure("<g class='annotation'><text x='20' y='40'>tile one</text></g>"
                       "<g class='annotation'><text x='30' y='42'>tile two</text></g>"),
                "figure 1: 'tile one' overlaps 'tile two'"),
    "legend on slider": (figure("<g class='legend'><rect x='0' y='160' width='100' height='30'/></g>"
                                "<g class='slider-container'><rect x='10' y='170' width='200' height='20'/></g>"),
                         "figure 1: legend over a slider or menu"),
    "axis label": (figure("<g class='xtick'><text x='280' y='150'>a long tick label</text></g>"),
                   "figure 1: axis label 'a long tick label' runs past the figure"),
    "title": (figure("<text class='gtitle' x='10' y='20'>A title far too long for a narrow figure</text>"),
              "figure 1: title 'A title far too long for a narrow figure' runs past the figure"),
    "ellipsis": ("<div data-testid='stMetricLabel' style='width:60px;white-space:nowrap;overflow:hidden;"
                 "text-overflow:ellipsis'>A metric label that is cut</div>",
                 "text cut with an ellipsis: 'A metric label that is cut'"),
    "select": ("<div data-testid='stSelectbox'>"
               "<input style='width:60px' value='A select value that does not fit'></div>",
               "select value cut: 'A select value that does not fit'"),
}


def problems(tab, body: str) -> list[str]:
    tab.set_content(f"<html><body style='margin:0'>{body}</body></html>")
    return tab.evaluate(LAYOUT_PROBLEMS)


def test_a_clean_page_passes(tab):
    assert problems(tab, CLEAN) == []


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_each_defect_is_found(tab, defect):
    body, expected = DEFECTS[defect]
    assert problems(tab, body) == [expected]


def test_a_collapsed_sidebar_is_not_checked(tab):
    body, _ = DEFECTS["select"]
    assert problems(tab, f"<section data-testid='stSidebar' data-collapsed='true'>{body}</section>") == []
    assert problems(tab, f"<section data-testid='stSidebar' data-collapsed='false'>{body}</section>") != []
