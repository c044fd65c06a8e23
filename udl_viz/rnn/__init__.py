"""Recurrent networks: the sentiment RNNs (SimpleRNN, LSTM, GRU) and the sunspot forecaster."""

from udl_viz.rnn.registry import (
    REGISTRY,
    ModelUnavailable,
    SentimentSpec,
    embedding_matrix,
    get_spec,
    load_sentiment_model,
    word2vec_matrix,
)

__all__ = ["REGISTRY", "ModelUnavailable", "SentimentSpec", "embedding_matrix", "get_spec",
           "load_sentiment_model", "word2vec_matrix"]
