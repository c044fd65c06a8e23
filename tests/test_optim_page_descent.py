"""AppTest for the gradient-descent page: every tab renders, divergence is a warning, bad input a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/08_Gradient_Descent.py"), default_timeout=180).run()
    assert not at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_default_view_shows_every_tab(page):
    assert not page.error and not page.warning
    assert [t.label for t in page.tabs] == ["1D: the skier", "2D: one optimizer", "Race", "SGD vs mini-batch"]
    assert titles(page) == [
        "Two valleys (polynomial): 3 optimizer(s) starting at w = 2",
        "Ill-conditioned quadratic: 1 optimizer(s) from (-4.5, 2)",
        "Momentum · lr 0.02: gradient and optimizer memory, per weight",
        "Rosenbrock: 7 optimizer(s) from (-1.5, 2)",
        "How far above the lowest loss each optimizer is, step by step",
        "Same examples seen, different numbers of steps",
        "Loss on all patients after every update (dots: ends of epochs)",
    ]
    race = json.loads(page.get("plotly_chart")[3].proto.spec)
    assert len(race["frames"]) == 61 and race["layout"]["images"]
    assert [m.value for m in page.metric] == ["5 updates", "70 updates", "2210 updates"]
    one_d = page.dataframe[0].value
    assert list(one_d["optimizer"]) == ["SGD · lr 0.03", "Momentum · lr 0.03", "Adam · lr 0.1"]
    assert float(one_d["position"][1]) == pytest.approx(-1.47, abs=0.01)  # momentum crossed the hill
    assert float(one_d["position"][0]) == pytest.approx(1.347, abs=0.01)  # plain SGD stayed in the first valley
    assert len(page.dataframe[2].value) == 7


def test_a_too_large_learning_rate_diverges_with_a_warning(page):
    page.select_slider(key="race_rosenbrock_sgd_lr").set_value(100.0).run()
    assert not page.exception and not page.error
    assert any("SGD · lr 100 diverged at step" in w.value for w in page.warning)
    assert "diverged at step" in page.dataframe[2].value["status"][0]
    assert any("diverged at step" in t["name"] for t in json.loads(page.get("plotly_chart")[3].proto.spec)["data"]
               if "name" in t)


def test_other_views_and_empty_choices(page):
    page.multiselect(key="gd1_opts").set_value([]).run()
    assert any("Pick at least one optimizer" in w.value for w in page.warning)
    page.slider(key="gd2_extra").set_value(3)
    page.radio(key="gd2_view").set_value("3D surface").run()
    assert not page.exception
    assert titles(page)[0].startswith("Ill-conditioned quadratic in 3D")
    assert list(page.dataframe[0].value["optimizer"]) == [f"Momentum · lr 0.02 · start {i}" for i in range(1, 5)]
    page.slider(key="gdb_batch").set_value(8).run()
    assert [m.value for m in page.metric] == ["5 updates", "280 updates", "2210 updates"]


def test_a_click_on_the_map_sets_the_start(monkeypatch):
    from udl_viz.ui import optim as ui

    state = {"chart": {"selection": {"points": [{"x": 0.12345, "y": 9.0}]}}}
    monkeypatch.setattr(ui.st, "session_state", state)
    ui._take_click("chart", ["sx", "sy"], [(-2.0, 2.0), (-1.0, 3.0)])
    assert state["sx"] == 0.123 and state["sy"] == 3.0  # rounded, and clipped into the window
