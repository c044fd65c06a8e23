"""In a real browser: the class to explain follows the image and the model, and survives other controls."""

from __future__ import annotations

import pytest

from tests.browser import exceptions, open_page, wait_until_rendered

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
PAGE = "Saliency_Maps?saliency_method=Vanilla+gradient"  # the quickest method


def select(page, label: str, where: str = "[data-testid='stMain']"):
    return page.locator(f"{where} [data-testid='stSelectbox']", has_text=label).first


def value(page, label: str, where: str = "[data-testid='stMain']") -> str:
    return select(page, label, where).locator("input").input_value()


def choose(page, label: str, typed: str, where: str = "[data-testid='stMain']") -> None:
    """Open a select box, type to search its options, take the first match, and wait for the rerun."""
    select(page, label, where).click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_until_rendered(page)


def settled(page) -> None:
    page.wait_for_timeout(500)
    wait_until_rendered(page)
    assert exceptions(page) == []


@pytest.fixture
def saliency(browser, server):
    page = open_page(browser, f"{server}/{PAGE}&source=Upload", width=1280, height=1000, timeout_ms=480_000)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=180_000)
    assert value(page, "Class to explain").startswith("tiger cat")
    choose(page, "Class to explain", "timber wolf")
    assert value(page, "Class to explain").startswith("timber wolf")
    yield page
    page.close()


def test_upload_resets_the_class_to_the_new_images_prediction(saliency, tmp_path):
    from udl_viz.samples import load_sample

    photo = tmp_path / "cup.png"
    load_sample("Coffee cup").save(photo)
    saliency.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(photo))
    saliency.get_by_text("Current image: cup.png").wait_for(timeout=120_000)
    settled(saliency)
    assert value(saliency, "Class to explain").startswith("espresso")


def test_model_switch_resets_the_class_to_the_new_models_prediction(saliency):
    choose(saliency, "Model", "Digits CNN", where="[data-testid='stSidebar']")
    settled(saliency)
    assert value(saliency, "Model", where="[data-testid='stSidebar']").startswith("Digits CNN")
    predicted = saliency.get_by_text("The model thinks this is", exact=False).first.locator("strong").inner_text()
    assert predicted.isdigit()  # the digits CNN reads the photo as a digit
    assert value(saliency, "Class to explain").startswith(f"{predicted} (")


def test_moving_other_controls_keeps_the_chosen_class(saliency):
    saliency.get_by_text("Signed view").click()
    settled(saliency)
    slider = saliency.locator("[data-testid='stSlider']", has_text="Heatmap opacity").get_by_role("slider")
    slider.focus()
    saliency.keyboard.press("ArrowLeft")
    settled(saliency)
    assert slider.get_attribute("aria-valuenow") != "0.6"
    assert value(saliency, "Class to explain").startswith("timber wolf")
