"""Figures of the word-embeddings page: titles, axis labels and the numbers they draw."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz.embeddings.skipgram import LECTURE_SENTENCE, simple_tokens, skipgram_pairs
from udl_viz.figures.embeddings import (
    analogy_figure,
    drift_figure,
    noise_distribution_figure,
    projection_figure,
    skipgram_grid_figure,
    weight_matrix_figure,
    word_bars_figure,
)


def _labelled(fig, *axes):
    assert fig.layout.title.text
    for axis in axes:
        assert fig.layout[axis].title.text


def test_skipgram_grid_counts_every_pair():
    tokens = simple_tokens(LECTURE_SENTENCE)
    fig = skipgram_grid_figure(tokens, 2, "Skip-gram pairs", selected=2)
    _labelled(fig, "xaxis", "yaxis")
    z = np.asarray(fig.data[0].z)
    assert (z == 1).sum() == len(skipgram_pairs(tokens, 2)) == 106
    assert (np.diag(z) == 2).all()
    assert list(np.nonzero(z[2] == 1)[0]) == [0, 1, 3, 4]  # epidemic: the, opioid, or, opioid
    assert fig.layout.yaxis.ticktext[1] == "2: opioid"  # repeated words keep their own row
    assert fig.layout.xaxis.showticklabels is False  # the columns follow the rows: no rotated words to overlap
    assert len(fig.layout.shapes) == 1


def test_noise_distribution_bars():
    fig = noise_distribution_figure(["a", "b"], np.array([0.8, 0.2]), np.array([0.7, 0.3]), "Noise",
                                    np.array([0.69, 0.31]))
    _labelled(fig, "xaxis", "yaxis")
    assert [len(t.y) for t in fig.data] == [2, 2, 2]
    assert noise_distribution_figure(["a"], np.array([1.0]), np.array([1.0]), "Noise").data.__len__() == 2


def test_weight_matrix_rows():
    matrix = np.arange(6, dtype=float).reshape(2, 3) - 2
    fig = weight_matrix_figure(["x", "y"], [4, 9], matrix, "Rows")
    _labelled(fig, "xaxis", "yaxis")
    assert list(fig.data[0].y) == ["row 4: x", "row 9: y"]
    assert fig.data[0].zmin == -3 and fig.data[0].zmax == 3


def test_word_bars_put_the_first_word_on_top():
    fig = word_bars_figure(["best", "next"], [0.9, 0.5], "t", "cosine similarity")
    _labelled(fig, "xaxis", "yaxis")
    assert list(fig.data[0].y) == ["next", "best"]


def test_analogy_figure_draws_two_arrows():
    fig = analogy_figure(["a", "b", "c", "d"], np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), "Analogy")
    _labelled(fig, "xaxis", "yaxis")
    assert len(fig.layout.annotations) == 2
    with pytest.raises(ValueError):
        analogy_figure(["a", "b"], np.zeros((2, 2)), "Analogy")


@pytest.mark.parametrize("dims", [2, 3])
def test_projection_highlights(dims):
    coords = np.random.default_rng(0).normal(size=(5, dims))
    fig = projection_figure(list("abcde"), coords, ["b", "e"], "PCA", "Projection")
    assert fig.layout.title.text
    assert list(fig.data[1].text) == ["b", "e"] and len(fig.data[0].x) == 3
    titles = ([fig.layout.scene.xaxis.title.text, fig.layout.scene.zaxis.title.text] if dims == 3
              else [fig.layout.xaxis.title.text, fig.layout.yaxis.title.text])
    assert all(titles)


def test_drift_figure_labels_movers():
    fig = drift_figure(["a", "b", "c", "d"], np.array([1, 10, 100, 5]), np.array([0.1, 0.5, 0.2, 0.4]), ["b", "d"],
                       "Drift", n_labels=1)
    _labelled(fig, "xaxis", "yaxis")
    assert list(fig.data[1].customdata) == ["b", "d"] and list(fig.data[1].y) == [0.5, 0.4]
    assert list(fig.data[1].text) == ["b", ""] and set(fig.data[0].text) == {""}
