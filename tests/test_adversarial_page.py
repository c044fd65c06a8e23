"""AppTest for the "Fooling the network" page."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def app(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/13_Fooling_the_Network.py"), default_timeout=600)
    at.query_params.update(params)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_ids(at: AppTest) -> list[str]:
    return [c.proto.id for c in at.get("plotly_chart")]


def test_default_view_fools_lite0_with_a_small_untargeted_pgd_and_transfers_to_lite2():
    at = app().run()
    assert not at.exception and not at.error
    values = metrics(at)
    assert values["Attack"] == "✓ fooled the model"
    assert values["Before"] != values["After"]
    assert values["Largest change per pixel"] in ("1 of 255 levels", "2 of 255 levels")
    assert any(k.startswith("EfficientNet-Lite2 (ImageNet) on the adversarial") for k in values)
    assert len(chart_ids(at)) == 5  # attack, top-5, Grad-CAM, transfer, rotation
    assert any("[Data augmentation" in m.value and "(Data_Augmentation)" in m.value for m in at.markdown)
    assert at.get("download_button")


def test_digits_targeted_attack_curves_and_state_that_follows_the_image():
    at = app(model="digits_cnn", sample="Digit 3").run()
    assert not at.exception and not at.error
    assert any("same classes" in i.value for i in at.info)  # no second digits model to transfer to
    assert len(chart_ids(at)) == 4
    eps = next(s for s in at.slider if s.label.startswith("ε"))
    eps.set_value(64).run()
    at.toggle(key="adv_flip").set_value(True).run()
    assert re.fullmatch(r"\d+ levels? of 255", metrics(at)["Smallest ε that works"])
    at.toggle(key="adv_targeted").set_value(True).run()
    target = next(s for s in at.selectbox if s.label == "Target class")
    assert target.value == 4  # the suggested target: the next digit
    target.set_value(8).run()
    assert not at.exception
    values = metrics(at)
    assert values["Attack"] in ("✓ reached the target", "✗ not fooled")
    assert values["After"].startswith("8 (") == (values["Attack"] == "✓ reached the target")
    at.toggle(key="adv_curves").set_value(True).run()
    assert not at.exception
    assert len(chart_ids(at)) == 5
    at.sidebar.selectbox[1].set_value("Digit 5").run()  # a new image: the target starts again from its default
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "Target class").value == 6
    assert next(s for s in at.slider if s.label.startswith("ε")).value == 64  # unrelated to the image: kept
