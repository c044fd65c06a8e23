"""Ten browser sessions at once on one server: no errors, and each sees only its own results."""

from __future__ import annotations

import pytest

from tests.browser import exceptions, wait_until_rendered

pytestmark = pytest.mark.browser

#: Ten demos: different models, images and layers, all on the one shared model cache.
LINKS = [f"Layer_Activations?sample={name.replace(' ', '+')}" for name in
         ("Chelsea the cat", "Coffee cup", "Astronaut", "Rocket", "Motorcycle", "Hubble deep field")] + [
    f"Layer_Activations?model=digits_cnn&sample=Digit+{d}" for d in (0, 3, 6, 8)]


def result_of(page) -> tuple[str, str, str]:
    """What a session computed: its prediction caption, current image and strongest-channel mean."""
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=180_000)
    caption = page.get_by_text("The model thinks this is", exact=False).first.inner_text()
    image = page.get_by_text("Current image:", exact=False).first.inner_text()
    metric = page.locator("[data-testid='stMetricValue']").nth(1).inner_text()
    return caption, image, metric


def test_ten_concurrent_sessions_match_their_solo_results(browser, server):
    solo = {}
    for link in LINKS:
        page = browser.new_page()
        page.goto(f"{server}/{link}")
        wait_until_rendered(page)
        solo[link] = result_of(page)
        page.close()
    assert len(set(solo.values())) == len(LINKS)  # the ten demos really differ

    pages = {}
    for link in LINKS:  # start all ten before waiting for any
        page = browser.new_page()
        page.goto(f"{server}/{link}", wait_until="commit")
        pages[link] = page
    for link, page in pages.items():
        wait_until_rendered(page)
        assert exceptions(page) == [], link
        assert result_of(page) == solo[link], link
        page.close()
