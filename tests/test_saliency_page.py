"""AppTest for the saliency page: every view renders real figures, on Lite0 and on digits_cnn."""

from __future__ import annotations

import json
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from udl_viz.attribution import METHODS, base

PAGE = "../app_pages/03_Saliency_Maps.py"


def _app(model: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=300)
    if model is not None:
        at.query_params.update({"model": model})
    return at


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _titles(at: AppTest) -> list[str]:
    return [fig["layout"]["title"]["text"] for fig in _figures(at)]


def _labels() -> list[str]:
    return [m.label for m in METHODS.values()]


def _show(at: AppTest, section: str) -> AppTest:
    return at.selectbox(key="saliency_section").set_value(section).run()


def test_default_view_explains_the_prediction_with_gradcam_on_lite0():
    at = _app().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="saliency_method").value == "gradcam"
    assert any(t.startswith("Grad-CAM for 'tiger cat'") for t in _titles(at)), _titles(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Forward passes"] == "1" and metrics["Backward passes"] == "1"


def test_every_view_on_digits_cnn():
    at = _app("digits_cnn").run()
    assert not at.exception
    at.selectbox(key="saliency_method").set_value("ig").run()
    assert not at.exception and not at.error
    assert "Completeness gap" in [m.label for m in at.metric]
    assert any(t == "Integrated Gradients for '0'" for t in _titles(at)), _titles(at)

    _show(at, "All methods side by side")
    assert not at.exception and not at.error
    assert f"{len(METHODS)} explanations of '0'" in [h.value for h in at.subheader]
    tiles = [f for f in _figures(at) if f["layout"]["title"]["text"].split("<br>")[0] in _labels()]
    assert sorted(t["layout"]["title"]["text"].split("<br>")[0] for t in tiles) == sorted(_labels())
    assert all(sum(trace["type"] == "heatmap" for trace in t["data"]) == 1 for t in tiles) and len(tiles) >= 6
    assert len(at.dataframe[0].value) == len(METHODS)

    _show(at, "Faithfulness")
    assert not at.exception and not at.error
    deletion = next(f for f in _figures(at) if f["layout"]["title"]["text"].startswith("Deletion"))
    names = [trace["name"] for trace in deletion["data"]]
    assert len(names) == len(METHODS) + 1 and names[-1].startswith("random map (AUC ")
    assert len(at.dataframe[0].value) == len(METHODS) + 1

    _show(at, "Sanity check")
    assert not at.exception and not any(c for c in _titles(at) if c.startswith("Cascading"))
    at.button(key="saliency_sanity_run").click().run()
    assert not at.exception and not at.error
    corr = next(f for f in _figures(at) if f["layout"]["title"]["text"].startswith("Cascading randomisation"))
    assert [t["name"] for t in corr["data"]] == ["Vanilla gradient", "Guided backprop", "Grad-CAM"]
    assert all(len(t["y"]) == 5 for t in corr["data"])  # trained model + 4 layer groups


def test_display_controls_do_not_recompute(monkeypatch, private_cache):
    st.cache_data.clear()
    calls = []
    real = base.Attribution.attribute
    monkeypatch.setattr(base.Attribution, "attribute",
                        lambda self, *a, **k: calls.append(self.name) or real(self, *a, **k))
    at = _app("digits_cnn").run()
    assert calls == ["gradcam"]
    at.slider(key="saliency_opacity").set_value(0.3).run()
    at.toggle(key="saliency_signed").set_value(True).run()
    assert not at.exception and calls == ["gradcam"]
    heat = next(t for t in _figures(at)[-1]["data"] if t["type"] == "heatmap")
    assert heat["opacity"] == pytest.approx(0.3)
    at.selectbox(key="saliency_method").set_value("occlusion").run()
    at.slider(key="saliency_digits_cnn_occlusion_window").set_value(3).run()
    assert calls == ["gradcam", "occlusion", "occlusion"]  # a new setting is new work


class Fake(base.Attribution):
    """A method that costs ``passes`` and records how many tiles were on the page when it ran."""

    def __init__(self, name: str, passes: int, drawn: list[str], seen: list[tuple[str, int]]) -> None:
        self.name, self.label, self.passes, self.drawn, self.seen = name, f"Fake {name}", passes, drawn, seen

    def expected_passes(self, spec, settings) -> int:
        return self.passes

    def compute(self, model, x, target, spec):
        self.seen.append((self.name, len(self.drawn)))
        return x[0].sum(0) * self.passes


def test_side_by_side_tiles_fill_one_by_one_cheapest_first(monkeypatch, private_cache):
    from udl_viz.ui import saliency

    drawn, seen = [], []
    fakes = [Fake(name, passes, drawn, seen) for name, passes in (("slow", 500), ("quick", 2), ("middling", 50))]
    for fake in fakes:
        monkeypatch.setitem(METHODS, fake.name, fake)
    real = saliency.show_figure
    monkeypatch.setattr(saliency, "show_figure", lambda fig, key=None, **k: drawn.append(key) or real(fig, key, **k))
    at = _app("digits_cnn").run()
    _show(at, "All methods side by side")
    at.multiselect(key="saliency_grid_methods").set_value([f.name for f in fakes])
    st.cache_data.clear()
    shutil.rmtree(private_cache, ignore_errors=True)  # the disk cache every process shares
    drawn.clear()
    seen.clear()
    at.run()
    assert not at.exception and not at.error
    # Each map is computed once the tiles before it are on the page, the cheapest first.
    assert seen == [("quick", 0), ("middling", 1), ("slow", 2)]
    assert drawn == ["saliency_tile_quick", "saliency_tile_middling", "saliency_tile_slow"]
    titles = [t.split("<br>")[0] for t in _titles(at)]
    assert titles[-3:] == ["Fake quick", "Fake middling", "Fake slow"]


def test_an_occlusion_stride_past_the_patch_gets_a_message_not_an_exception():
    at = _app("digits_cnn").run()
    at.selectbox(key="saliency_method").set_value("occlusion").run()
    at.slider(key="saliency_digits_cnn_occlusion_window").set_value(1)
    at.slider(key="saliency_digits_cnn_occlusion_stride").set_value(4).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Occlusion: The stride (4 px) is larger than the patch (1 px): some "
                                           "pixels would never be covered. Use a stride up to the patch size."]
