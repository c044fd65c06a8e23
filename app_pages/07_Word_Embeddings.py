"""Word embeddings: skip-gram pairs, negative sampling, and real word vectors (GloVe, word2vec) to explore."""

import streamlit as st

from udl_viz.ui.embeddings import (
    analogy_section,
    benchmark_section,
    drift_section,
    negative_sampling_section,
    neighbours_section,
    pick_vector_set,
    projection_section,
    skipgram_section,
    weight_matrix_section,
)
from udl_viz.ui.layout import page_setup

page_setup("Word embeddings", "Self-supervised learning: word2vec learns one vector per word by predicting "
           "the words around it, so words used in similar places end up with similar vectors. GloVe did the "
           "same at scale: 400,000 words from 6 billion words of text.")

name, kv = pick_vector_set()
tabs = st.tabs(["Skip-gram pairs", "Negative sampling", "Weight matrix", "Explore the vectors",
                "Analogy benchmark", "Trained for sentiment"])

with tabs[0]:
    chosen = skipgram_section(name, kv)
with tabs[1]:
    negative_sampling_section(name, kv, chosen)
with tabs[2]:
    weight_matrix_section(name, kv)
with tabs[3]:
    neighbours_section(name, kv)
    analogy_section(name, kv)
    projection_section(name, kv)
with tabs[4]:
    benchmark_section(name, kv)
with tabs[5]:
    drift_section()
