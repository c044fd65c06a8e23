"""Cached loaders for the word-embeddings page."""

from __future__ import annotations

import numpy as np
import streamlit as st
from gensim.models import KeyedVectors

from udl_viz.embeddings.drift import SentimentDrift, sentiment_drift
from udl_viz.embeddings.explore import word_counts
from udl_viz.embeddings.negative import draw_negatives, noise_distribution
from udl_viz.embeddings.projection import project
from udl_viz.embeddings.vectors import VECTOR_SETS, VectorsUnavailable, load_vectors


@st.cache_resource(show_spinner="Loading word vectors…", max_entries=4)
def get_vectors(name: str) -> KeyedVectors:
    """The shared vector set ``name`` (raises ``VectorsUnavailable`` with a plain reason)."""
    return load_vectors(name)


def available_vector_sets() -> tuple[dict[str, str], dict[str, str]]:
    """Vector sets that load here (name -> description) and why the others do not."""
    available, missing = {}, {}
    for name, description in VECTOR_SETS.items():
        try:
            get_vectors(name)
        except VectorsUnavailable as err:
            missing[name] = str(err)
            continue
        available[name] = description
    return available, missing


@st.cache_data(show_spinner=False, max_entries=8)
def cached_noise(name: str, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unigram probabilities, the unigram^0.75 noise distribution and the share of ``draws`` samples."""
    counts = word_counts(get_vectors(name))
    noise = noise_distribution(counts)
    drawn = np.bincount(draw_negatives(noise, draws, np.random.default_rng(seed)), minlength=len(counts))
    return counts / counts.sum(), noise, drawn / draws


@st.cache_data(show_spinner=False, max_entries=32)
def cached_projection(name: str, words: tuple[str, ...], method: str, dims: int) -> np.ndarray:
    """``words``' vectors from vector set ``name`` projected to ``dims`` dimensions."""
    kv = get_vectors(name)
    return project(kv.vectors[[kv.key_to_index[w] for w in words]], method, dims)


def sentiment_models() -> dict[str, str]:
    """Sentiment RNNs whose embedding was trained (not frozen) and whose checkpoint is here."""
    from udl_viz.models import SENTIMENT, select

    return {name: spec.title for name, spec in select(task=SENTIMENT).items()
            if not spec.meta["frozen"] and spec.unavailable_reason() is None}


@st.cache_data(show_spinner="Comparing the embedding with word2vec…", max_entries=4)
def cached_drift(model_name: str) -> SentimentDrift:
    """The sentiment model's trained embedding next to its word2vec start."""
    return sentiment_drift(model_name)
