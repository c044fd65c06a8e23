"""Real browser: `streamlit run app.py` in headless Chromium; every page, projector mode, links."""

from __future__ import annotations

import pytest

from tests.browser import ROOT, exceptions, open_page, page_path

pytestmark = pytest.mark.browser
PAGES = sorted((ROOT / "app_pages").glob("*.py"))


def test_home_page_renders_with_links(browser, server):
    page = open_page(browser, server)
    assert page.locator("h1", has_text="udl_viz").count() >= 1
    lecture = page.locator("[data-testid='stExpander'] [data-testid='stPageLink']").count()
    assert lecture == len(PAGES)  # the lecture path, step by step
    assert page.locator("[data-testid='stPageLink']").count() - lecture == len(PAGES)  # the tour
    assert exceptions(page) == []
    page.close()


@pytest.mark.parametrize("page_file", PAGES, ids=[p.stem for p in PAGES])
def test_every_page_renders_its_main_figure_without_exception(browser, server, page_file):
    page = open_page(browser, f"{server}/{page_path(page_file)}")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=120_000)
    assert exceptions(page) == []
    page.close()


def font_size(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def test_projector_mode_from_the_toggle_and_from_a_link(browser, server):
    page = open_page(browser, f"{server}/Layer_Activations")
    normal = font_size(page, "[data-testid='stCaptionContainer']")
    page.get_by_text("Projector mode").click()
    page.wait_for_url("**projector=true**", timeout=30_000)
    page.wait_for_timeout(1000)
    assert font_size(page, "[data-testid='stCaptionContainer']") > normal
    page.close()
    linked = open_page(browser, f"{server}/Layer_Activations?projector=true")
    # On a loaded machine the page may still be swapping in its last run's elements: wait for them.
    linked.wait_for_function(
        "n => [...document.querySelectorAll(\"[data-testid='stCaptionContainer']\")]"
        ".some(e => parseFloat(getComputedStyle(e).fontSize) > n)", arg=normal, timeout=30_000)
    assert font_size(linked, "[data-testid='stCaptionContainer']") > normal
    assert exceptions(linked) == []
    linked.close()


def test_shared_link_restores_model_and_sample(browser, server):
    from playwright.sync_api import expect

    page = open_page(browser, f"{server}/Layer_Activations?model=digits_cnn&sample=Digit+6")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=120_000)
    # Waiting assertions: a chart can be drawn before the sidebar's last text arrives.
    expect(page.get_by_text("Current image: Digit 6")).to_have_count(1, timeout=30_000)
    expect(page.get_by_text("The model thinks this is 6", exact=False)).to_have_count(1, timeout=30_000)
    assert exceptions(page) == []
    page.close()
