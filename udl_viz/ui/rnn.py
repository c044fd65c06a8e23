"""The RNN pages' cached loaders (one model object per name, results cached per text) and their sections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from udl_viz.attribution import AttributionResult, get_method
from udl_viz.embeddings.explore import clean_words
from udl_viz.figures.rnn import (
    comparison_figure,
    error_bars_figure,
    forecast_figure,
    hidden_state_figure,
    loop_agreement_figure,
    one_step_figure,
)
from udl_viz.figures.sentiment import accuracy_comparison_figure
from udl_viz.models import SENTIMENT, ModelUnavailable, get_spec, load_model
from udl_viz.models.sentiment import ARCHITECTURES, TITLES, SentimentRNN
from udl_viz.models.sunspots import Forecasters, load_forecasters
from udl_viz.rnn.compare import embedding_kind, embedding_neighbours, model_scores
from udl_viz.rnn.loop import LoopCheck, loop_vs_torch
from udl_viz.rnn.memory import Trace, unroll
from udl_viz.rnn.timeseries import GRU_NAME, MLP_NAME, WINDOW, forecast_window, held_out_forecasts
from udl_viz.ui.layout import show_figure


@st.cache_resource(show_spinner="Loading the sentiment model…", max_entries=6)
def get_sentiment_model(name: str) -> SentimentRNN:
    """The shared eval-mode model (raises ``ModelUnavailable`` with a plain reason)."""
    model = load_model(name, task=SENTIMENT)
    model.requires_grad_(False)  # attributions need gradients of the inputs only
    return model


@st.cache_data(show_spinner=False, max_entries=128)
def cached_trace(name: str, ids: tuple[int, ...]) -> Trace:
    """States, gates and P(positive) after each word."""
    return unroll(get_sentiment_model(name), ids)


@st.cache_data(show_spinner=False, max_entries=128)
def cached_word_attribution(name: str, ids: tuple[int, ...], method: str,
                            settings: tuple[tuple[str, object], ...] = ()) -> AttributionResult:
    """A text method's (``text_ig``, ``text_lime``) score per word of ``ids`` for P(positive)."""
    x = torch.as_tensor([ids], dtype=torch.long)
    return get_method(method).attribute(get_sentiment_model(name), x, 1, **dict(settings))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_loop_check(name: str, ids: tuple[int, ...]) -> LoopCheck:
    """The numpy for loop next to ``torch.nn.RNN`` on the real SimpleRNN's weights."""
    return loop_vs_torch(get_sentiment_model(name), ids)


@st.cache_data(show_spinner=False)
def model_metrics(name: str) -> dict:
    """What the training script measured for model ``name``."""
    return get_spec(name, task=SENTIMENT).metrics()


@st.cache_resource(show_spinner="Loading the forecasters…")
def get_forecasters() -> Forecasters:
    """The sunspot GRU and its feed-forward baseline (``ModelUnavailable`` if not trained)."""
    return load_forecasters()


def forecast_section(forecasters: Forecasters, years: np.ndarray, values: np.ndarray, end: int,
                     horizon: int) -> None:
    """The models read the years up to ``end`` and forecast ``horizon`` more; then the GRU's memory."""
    shown = forecast_window(forecasters, years, values, end, horizon)
    show_figure(forecast_figure(shown.window_years, shown.window, shown.future_years,
                                {"GRU forecast": shown.run.forecast,
                                 "feed-forward forecast (no memory)": shown.run.baseline}, shown.truth,
                                f"Reading {shown.window_years[0]}–{end}, forecasting "
                                f"{shown.future_years[0]}–{shown.future_years[-1]}"),
                key="forecast")
    st.caption(f"**What am I looking at?** Sunspot numbers by year, and two models forecasting what comes next. "
               f"Grey: the {WINDOW} years the models read. Each model then feeds its own forecast back in, year "
               f"after year. Error over these {horizon} years (root-mean-square): GRU {shown.gru_error:.1f}, "
               f"feed-forward {shown.baseline_error:.1f}. The feed-forward net maps one value to the next, so it "
               "soon settles on a fixed value.")
    labels = [str(y) for y in shown.window_years] + [f"{y}*" for y in shown.future_years]
    show_figure(hidden_state_figure(labels, shown.run.hidden,
                                    f"GRU hidden state: {shown.run.hidden.shape[1]} units over time",
                                    value_name="activation", x_title="year read (* = its own forecast fed back)"),
                key="ts_hidden")
    st.caption("Each column is the GRU's memory after that year. Units that swing with the cycle track its phase: "
               "this is what lets the GRU tell a rising year from a falling one with the same sunspot number.")


def held_out_section(forecasters: Forecasters, years: np.ndarray, values: np.ndarray) -> None:
    """One-year-ahead forecasts of the years after training, and each model's error."""
    held_out = held_out_forecasts(forecasters, years, values)
    show_figure(one_step_figure(held_out.years, held_out.truth, held_out.forecasts,
                                "Forecasts of each year from the years before it"), key="one_step")
    errors = held_out.errors
    left, right = st.columns([2, 1])
    with left:
        show_figure(error_bars_figure(errors, "One-year-ahead error (lower is better)"), key="errors")
    with right:
        best = min(errors, key=errors.get)
        st.metric("GRU error vs feed-forward", f"{errors[GRU_NAME]:.1f} vs {errors[MLP_NAME]:.1f}")
        st.caption(f"Lowest error: **{best}**. Persistence (next year = this year) is the bar any forecaster must "
                   "beat. The feed-forward net treats each year separately, as the lecture's contrast with the "
                   "RNN: without memory it barely beats persistence.")


@st.cache_data(show_spinner="Finding neighbours in each embedding…", max_entries=32)
def cached_embedding_neighbours(word: str) -> dict:
    return embedding_neighbours(word)


def architectures_section(name: str, ids: tuple[int, ...], tokens: list[str], unknown: list[bool]) -> None:
    """SimpleRNN, LSTM and GRU with the same kind of embedding reading the same text; every model's scores."""
    spec = get_spec(name, task=SENTIMENT)
    suffix = name[len(spec.kind):]  # "", "_frozen" or "_glove"
    curves, rows = {}, []
    for kind in ARCHITECTURES:
        try:
            curves[TITLES[kind]] = cached_trace(kind + suffix, ids).positive
        except ModelUnavailable as exc:
            st.warning(str(exc))
    glove = spec.meta.get("vectors") == "glove"
    for scores in model_scores():  # the models that read the same vocabulary
        if scores.name != "bag_of_words" and (embedding_kind(scores.name) == "frozen GloVe") == glove:
            rows.append({"model": scores.title, "SST-2 dev accuracy": scores.dev,
                         "out-of-domain accuracy": scores.ood,
                         "P(positive) for this text": float(cached_trace(scores.name, ids).positive[-1])})
    show_figure(comparison_figure(tokens, curves, "SimpleRNN, LSTM and GRU read the same text"
                                  + (f" ({embedding_kind(name)})" if spec.meta["frozen"] else ""), unknown),
                key="compare")
    st.caption("Same embedding, same data, three memories. The SimpleRNN rewrites its whole state at "
               "every word; the gated LSTM and GRU choose what to keep, which shows most on sentences that turn.")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
            c: st.column_config.NumberColumn(format="%.3f") for c in rows[0] if c != "model"})
        st.caption("The models that share this model's vocabulary. The 'GloVe vs learned embeddings' tab "
                   "compares all of them.")


def loop_section(name: str, ids: tuple[int, ...], tokens: list[str], unknown: list[bool]) -> None:
    """The SimpleRNN of the chosen embedding as a numpy for loop next to ``torch.nn.RNN``."""
    spec = get_spec(name, task=SENTIMENT)
    loop_name = "simple_rnn" + name[len(spec.kind):]
    st.markdown(f"The lecture's SimpleRNN, written as a plain numpy loop on the trained weights of "
                f"**{get_spec(loop_name, task=SENTIMENT).title}** (the SimpleRNN with the sidebar model's embedding):")
    st.code("state = np.zeros(units)\nfor x in inputs:            # x: the word's embedding vector\n"
            "    state = np.tanh(W @ x + U @ state + b)", language="python")
    try:
        check = cached_loop_check(loop_name, ids)
    except ModelUnavailable as exc:
        st.error(str(exc))
        return
    loop = check.loop
    step = st.slider("Step through the loop: word", 1, len(tokens), 1, key="loop_step") - 1 \
        if len(tokens) > 1 else 0
    units = min(8, loop.states.shape[1])
    before = loop.states[step - 1] if step else np.zeros_like(loop.states[0])
    st.markdown(f"Step {step + 1}: reading **{tokens[step]}**{' (unknown)' if unknown[step] else ''}. "
                f"The first {units} of {loop.states.shape[1]} units:")
    st.dataframe(pd.DataFrame({
        "unit": range(units), "state before": before[:units], "W·x": loop.wx[step, :units],
        "U·state": loop.us[step, :units], "b": loop.b[:units],
        "sum": loop.wx[step, :units] + loop.us[step, :units] + loop.b[:units],
        "tanh(sum) = new state": loop.states[step, :units],
        "torch.nn.RNN": check.torch_states[step, :units]}).round(4), hide_index=True)
    c1, c2 = st.columns([1, 2])
    diff = check.max_abs_difference
    c1.metric("Largest difference, numpy vs torch", f"{diff:.1e}")
    if diff < 1e-5:
        c1.success("The for loop and torch.nn.RNN agree to 1e-5: the RNN layer *is* this loop.")
    else:
        c1.error(f"The loop and torch.nn.RNN differ by {diff:.1e}, more than 1e-5.")
    c1.caption(f"W is {loop.wx.shape[1]}×{loop.inputs.shape[1]} (units × embedding), U is "
               f"{loop.wx.shape[1]}×{loop.wx.shape[1]}; torch stores b as two biases, b_ih + b_hh.")
    with c2:
        show_figure(loop_agreement_figure(loop.states, check.torch_states,
                                          f"numpy loop vs torch.nn.RNN: largest difference {diff:.1e}"), key="loop")
    st.caption("Every hidden value for every word: the numpy loop (up) against torch.nn.RNN (across). All points "
               "lie on the diagonal.")


def embedding_comparison_section() -> None:
    """Frozen GloVe vs learned embeddings: accuracy in and out of domain, and the words near a probe."""
    scores = model_scores()
    if not scores:
        st.info("No sentiment checkpoint is here yet: run `python scripts/train_sentiment.py --seed 0`.")
        return
    st.markdown("The same three RNNs with three embeddings: **learned** (word2vec from SST-2, fine-tuned for "
                "sentiment), **frozen word2vec** (SST-2 only, never changed) and **frozen GloVe** (pre-trained on "
                "6 billion words of Wikipedia and Gigaword, never changed). SST-2 dev are movie reviews like the "
                "training data; the out-of-domain reviews are products, restaurants, hotels, apps and films, "
                "full of words SST-2 never saw.")
    show_figure(accuracy_comparison_figure([s.title for s in scores], [s.dev for s in scores],
                                           [s.ood for s in scores], "Accuracy in and out of domain"),
                key="embedding_accuracy")
    n_ood = next((model_metrics(s.name)["n_ood"] for s in scores if s.name != "bag_of_words"), 0)
    st.caption(f"Out of domain: {n_ood} hand-written reviews, never used to choose any setting. GloVe knows "
               "'battery', 'refund' and 'waiter' from pre-training; a vocabulary of 15,000 movie-review words "
               "reads them as 'unknown'.")
    st.subheader("Which words does each embedding put near a word?")
    probes = clean_words(st.text_input("Words", "good, bad", key="embedding_probes",
                                       help="Comma-separated; each gets its nearest words in every embedding."))[:4]
    if not probes:
        st.warning("Type a word, e.g. good or bad.")
        return
    for probe in probes:
        found = cached_embedding_neighbours(probe)
        longest = max((len(v) for v in found.values() if not isinstance(v, str)), default=1)
        table = {label: [f"{w} ({c:.2f})" for w, c in v] + [""] * (longest - len(v)) if not isinstance(v, str)
                 else [v] + [""] * (longest - 1) for label, v in found.items()}
        st.markdown(f"Nearest to **{probe}**")
        st.dataframe(pd.DataFrame(table), hide_index=True, key=f"neighbours_{probe}")
    st.caption("Cosine similarity in brackets. The LSTM column is the fine-tuned embedding of the learned "
               "LSTM; the *_frozen models read the word2vec column, the *_glove models the GloVe column. GloVe and "
               "word2vec learn from where words appear, so 'good' and 'bad' share neighbours (they fit the same "
               "sentences). Training for sentiment pulls apart words that feel different; a frozen embedding never "
               "does, so the RNN on top has to.")
