"""AppTest for the saliency page: every view renders real figures, on Lite0 and on digits_cnn."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from udl_viz.attribution import METHODS, base

PAGE = "../pages/03_Saliency_Maps.py"


def _app(model: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=300)
    if model is not None:
        at.query_params.update({"model": model})
    return at


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _titles(at: AppTest) -> list[str]:
    return [fig["layout"]["title"]["text"] for fig in _figures(at)]


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
    grid = next(f for f in _figures(at) if f["layout"]["title"]["text"] == f"{len(METHODS)} explanations of '0'")
    assert sum(trace["type"] == "heatmap" for trace in grid["data"]) == len(METHODS) >= 6
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


def test_display_controls_do_not_recompute(monkeypatch, private_cache):  # no result from an earlier run
    st.cache_data.clear()
    calls = []
    real = base.Attribution.attribute
    monkeypatch.setattr(base.Attribution, "attribute", lambda self, *a, **k: calls.append(self.name) or real(self, *a, **k))
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
