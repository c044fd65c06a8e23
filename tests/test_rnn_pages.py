"""AppTest over the RNN sentiment and time-series pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
SENTIMENT = "app_pages/05_RNN_Sentiment.py"
TIME_SERIES = "app_pages/06_RNN_Time_Series.py"


def app(path: str) -> AppTest:
    return AppTest.from_file(str(ROOT / path), default_timeout=120)


@pytest.fixture(scope="module")
def sentiment() -> AppTest:
    return app(SENTIMENT).run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_sentiment_default_view_shows_memory_gates_attributions_and_loop(sentiment):
    at = sentiment
    assert not at.exception and not at.error
    assert at.text_area(key="sentiment_text").value == "I thought it would be bad, but it was wonderful."
    assert metric(at, "Prediction") in {"positive", "negative"}
    assert 0.0 <= float(metric(at, "P(positive)")) <= 1.0
    assert [chart.key for chart in at.get("plotly_chart")] == [
        "steps", "hidden", "gates", "cell", "attributions", "compare", "loop", "embedding_accuracy"]
    assert any("agree to 1e-5" in s.value for s in at.success)
    assert float(metric(at, "Largest difference, numpy vs torch")) < 1e-5
    comparison = at.dataframe[0].value
    assert len(comparison) == 6 and comparison["SST-2 dev accuracy"].min() > 0.6


def test_sentiment_switches_to_the_gru_and_its_gates(sentiment):
    at = sentiment
    at.sidebar.selectbox(key="sentiment_model").set_value("gru").run()
    assert not at.exception and not at.error
    charts = {c.key: c for c in at.get("plotly_chart")}
    assert "cell" not in charts and "update gate" in charts["gates"].proto.spec
    at.sidebar.selectbox(key="sentiment_model").set_value("simple_rnn_frozen").run()
    assert not at.exception
    assert any("has no gates" in i.value for i in at.info)


def test_glove_vs_learned_embeddings_tab(sentiment):
    import json

    at = sentiment
    bars = json.loads(next(c for c in at.get("plotly_chart") if c.key == "embedding_accuracy").proto.spec)["data"]
    assert [b["name"] for b in bars] == ["SST-2 dev (movie reviews)", "out-of-domain reviews"]
    titles = bars[0]["y"]
    assert len(titles) == 10 and "LSTM (frozen GloVe)" in titles and "Bag-of-words logistic regression" in titles
    tables = [d.value for d in at.dataframe if "GloVe (frozen)" in d.value.columns]
    assert len(tables) == 2  # good, bad
    good = tables[0]
    assert list(good.columns) == ["GloVe (frozen)", "SST-2 word2vec (frozen)", "LSTM, fine-tuned"]
    assert len(good) == 8 and good["GloVe (frozen)"][0].startswith("better (")
    at.text_input(key="embedding_probes").set_value("zzqxv").run()
    assert not at.exception and not at.error
    assert "not in the vocabulary" in at.dataframe[-1].value.iloc[0, 0]


def test_glove_model_knows_words_sst2_never_saw():
    at = app(SENTIMENT).run()
    at.sidebar.selectbox(key="sentiment_model").set_value("gru_glove").run()
    at.text_area(key="sentiment_text").set_value("Soggy fries and a rude waiter. Refund please.").run()
    assert not at.exception and not at.error
    assert metric(at, "Tokens read (unknown)") == "10 (0)"
    assert metric(at, "Prediction") == "negative"
    assert len(at.dataframe[0].value) == 3  # the three GloVe models in the architectures table
    at.sidebar.selectbox(key="sentiment_model").set_value("lstm").run()
    assert metric(at, "Tokens read (unknown)") == "10 (3)"  # fries, waiter, refund: not in SST-2


def test_sentiment_example_picker_fills_the_text(sentiment):
    at = sentiment
    example = "Not my favourite, but still a lovely film."
    at.selectbox(key="sentiment_example").set_value(example).run()
    assert not at.exception
    assert at.text_area(key="sentiment_text").value == example


@pytest.mark.parametrize(("text", "kind", "message"), [
    ("   ", "warning", "Type a review"),
    ("qwxz zzqv", "error", "None of these words"),
    ("so good " * 60, "warning", "reads only the first 80"),
])
def test_sentiment_bad_input_gets_a_clear_message(text, kind, message):
    at = app(SENTIMENT).run()
    at.text_area(key="sentiment_text").set_value(text).run()
    assert not at.exception
    assert any(message in m.value for m in getattr(at, kind))


def test_sentiment_marks_unknown_words():
    at = app(SENTIMENT).run()
    at.text_area(key="sentiment_text").set_value("A brilliant zxqvbn!").run()
    assert not at.exception and not at.error
    assert any("zxqvbn" in i.value for i in at.info)
    assert metric(at, "Tokens read (unknown)") == "4 (1)"


def test_time_series_default_view_compares_gru_and_feed_forward():
    at = app(TIME_SERIES).run()
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == ["forecast", "ts_hidden", "one_step", "errors"]
    gru, mlp = (float(v) for v in metric(at, "GRU error vs feed-forward").split(" vs "))
    assert gru < mlp
    at.slider(key="ts_end").set_value(1900).run()
    assert not at.exception
    assert any("training years" in i.value for i in at.info)
    at.slider(key="ts_end").set_value(2007).run()
    assert not at.exception and len(at.get("plotly_chart")) == 4
