"""Real browser: start `streamlit run app.py`, open every page in headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser import (
    ROOT,
    chromium_browser,
    page_path,
    require_chromium,
    streamlit_server,
    wait_until_rendered,
)

pytestmark = pytest.mark.browser
PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.fixture(scope="module")
def server():
    require_chromium()
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium_browser() as b:
        yield b


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    wait_until_rendered(page)
    return page


def test_home_page_renders_with_links(browser, server):
    page = open_page(browser, server)
    assert page.locator("h1", has_text="udl_viz").count() >= 1
    assert page.locator("[data-testid='stPageLink']").count() == len(PAGES)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


@pytest.mark.parametrize("page_file", PAGES, ids=[p.stem for p in PAGES])
def test_every_page_renders_without_exception(browser, server, page_file):
    page = open_page(browser, f"{server}/{page_path(page_file)}")
    assert page.locator("h1").count() >= 1
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']").first.inner_text()
    page.close()
