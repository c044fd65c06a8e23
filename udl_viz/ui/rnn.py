"""Cached loaders for the RNN pages: one model object per name, results cached per text."""

from __future__ import annotations

import streamlit as st
import torch

from udl_viz.attribution import AttributionResult, get_method
from udl_viz.models import SENTIMENT, get_spec, load_model
from udl_viz.models.sentiment import SentimentRNN
from udl_viz.models.sunspots import Forecasters, load_forecasters
from udl_viz.rnn.loop import LoopCheck, loop_vs_torch
from udl_viz.rnn.memory import Trace, unroll


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
