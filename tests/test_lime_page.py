"""AppTest for the LIME page: the default explanation, stability over seeds, and bad images."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "04_LIME.py")


def page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    return at


def upload(image: Image.Image, **state) -> AppTest:
    """The page after uploading ``image`` in the sidebar."""
    at = page(**state).run()
    at.sidebar.radio[0].set_value("Upload").run()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    at.sidebar.file_uploader[0].set_value(("upload.png", buffer.getvalue(), "image/png")).run()
    assert at.session_state["cnn_image"][2] == "upload.png"
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def test_default_explanation_shows_superpixels_weights_and_samples_used():
    at = page(lime_samples=60).run()  # the page's default is 1000; fewer keep the test quick
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) >= 5  # predictions, outline, top superpixels, heatmap, bars
    assert metric(at, "Samples used") == "60 of 60"
    assert int(metric(at, "Superpixels")) > 10
    # The built-in cat gets a story about the cat (the husky one is for dog and wolf photos).
    assert any("tiger cat" in i.value and "snow" in i.value and "right reason" in i.value for i in at.info)
    probability = next(m for m in at.metric if m.label.startswith("P("))
    assert probability.label == "P(tiger cat) on the full image" and probability.value.endswith("%")


def test_stability_over_seeds_and_new_settings():
    at = page(lime_samples=50, lime_algorithm="slic", lime_hide="blur").run()
    assert not at.exception and not at.error
    at.slider(key="lime_k").set_value(2)
    at.toggle(key="lime_run_k").set_value(True).run()
    assert not at.exception and not at.error
    assert metric(at, "Same top-5 set").endswith("of 2 seeds")
    assert metric(at, "Mean top-5 overlap").endswith("%")
    assert len(at.get("plotly_chart")) >= 7  # the five above, mean ± std bars and the spread map


def test_a_one_pixel_image_gives_a_clear_message():
    at = upload(Image.new("RGB", (1, 1), (120, 60, 30)), lime_samples=60)
    assert not at.exception
    assert any("too small" in e.value for e in at.error)


def test_a_uniform_image_gives_a_clear_message():
    at = upload(Image.new("RGB", (320, 240), (128, 128, 128)), lime_samples=60)
    assert not at.exception
    assert any("uniform" in e.value for e in at.error)
