"""Ten browser sessions at once on one server: no errors, and each sees only its own results."""

from __future__ import annotations

import pytest

from tests.browser import exceptions, wait_until_rendered

pytestmark = pytest.mark.browser

#: Ten demos on two pages: different models and images, all on the one shared model cache.
LINKS = [f"Layer_Activations?sample={name.replace(' ', '+')}" for name in
         ("Chelsea the cat", "Coffee cup", "Astronaut", "Rocket")] + [
    f"Layer_Activations?model=digits_cnn&sample=Digit+{d}" for d in (0, 3)] + [
    f"Saliency_Maps?sample={name.replace(' ', '+')}" for name in ("Motorcycle", "Hubble deep field")] + [
    f"Saliency_Maps?model=digits_cnn&sample=Digit+{d}" for d in (6, 8)]


def result_of(page, timeout_ms: int = 180_000) -> tuple[str, ...]:
    """What a session computed: its prediction caption, current image, and on the activations
    page the strongest channel's mean activation (waiting up to ``timeout_ms`` for its charts)."""
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=timeout_ms)
    caption = page.get_by_text("The model thinks this is", exact=False).first.inner_text()
    image = page.get_by_text("Current image:", exact=False).first.inner_text()
    if "Layer_Activations" not in page.url:
        return caption, image
    return caption, image, page.locator("[data-testid='stMetricValue']").nth(1).inner_text()


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
