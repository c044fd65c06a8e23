"""AppTest for the data-augmentation page."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app_pages/10_Data_Augmentation.py"), default_timeout=180)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_default_view_shows_variants_stability_sweep_and_the_six_nine_lesson():
    at = app().run()
    assert not at.exception and not at.error
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert len(keys) == 6
    values = metrics(at)
    # It opens on a photo the model is sure of, so "label kept" means something.
    assert re.fullmatch(r"espresso \((9\d|100)%\)", values["Original prediction"])
    assert re.fullmatch(r"[0-5] of 5 variants", values["Label kept"])
    assert any(re.fullmatch(r"\d+ of 25", v) for k, v in values.items() if k.startswith("Strengths that keep"))
    assert values["The digits CNN reads it after rotating as"].startswith("9 (")
    table = at.dataframe[0].value
    assert list(table["variant"]) == ["Original", "Mirror", "Rotation", "Translation", "Crop", "Colour jitter"]


def test_on_the_digits_cnn_rotating_a_six_by_180_degrees_changes_its_label():
    at = app()
    at.query_params.update({"model": "digits_cnn", "sample": "Digit 6"})
    at.run()
    assert not at.exception
    assert metrics(at)["Original prediction"].startswith("6 (")
    rotation = next(s for s in at.slider if s.label == "Rotation (degrees)")
    rotation.set_value(180).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("variant")
    assert table.loc["Rotation", "prediction"] == "9" and table.loc["Rotation", "label kept"] == "✗"
    assert table.loc["Original", "label kept"] == "✓"
    at.selectbox[0].set_value("crop").run()
    assert not at.exception
    assert re.fullmatch(r"\d of 9", metrics(at)["Strengths that keep '6'"])
    at.selectbox[1].set_value("Digit 9").run()
    assert metrics(at)["The digits CNN reads it after rotating as"].startswith("6 (")
