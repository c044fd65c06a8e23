"""Cached loaders for the RNN pages: one model object per name, results cached per text."""

from __future__ import annotations

import streamlit as st

from udl_viz.models import SENTIMENT, get_spec, load_model
from udl_viz.models.sentiment import SentimentRNN
from udl_viz.models.sunspots import Forecasters, load_forecasters
from udl_viz.rnn.attributions import WordAttributions, integrated_gradients, lime_words
from udl_viz.rnn.loop import LoopCheck, loop_vs_torch
from udl_viz.rnn.memory import Trace, unroll
from udl_viz.text.word2vec import load_vocabulary


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


@st.cache_data(show_spinner=False, max_entries=64)
def cached_integrated_gradients(name: str, ids: tuple[int, ...]) -> WordAttributions:
    return integrated_gradients(get_sentiment_model(name), ids)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_lime(name: str, tokens: tuple[str, ...], num_samples: int) -> WordAttributions:
    return lime_words(get_sentiment_model(name), load_vocabulary(), tokens, num_samples=num_samples)


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
