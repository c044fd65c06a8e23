"""The RNN figures: their traces, titles, axis ranges and colours."""

from __future__ import annotations

import numpy as np

from udl_viz import style
from udl_viz.figures.rnn import (
    attribution_figure,
    comparison_figure,
    error_bars_figure,
    forecast_figure,
    gates_figure,
    hidden_state_figure,
    loop_agreement_figure,
    one_step_figure,
    step_probability_figure,
    word_labels,
)

TOKENS = ["not", "bad", "zxq"]
UNKNOWN = [False, False, True]


def test_unknown_words_are_marked():
    assert word_labels(TOKENS, UNKNOWN) == ["not", "bad", "zxq?"] and word_labels(["a"]) == ["a"]


def test_step_probability_colours_each_word_by_the_side_it_is_on():
    fig = step_probability_figure(TOKENS, np.array([0.2, 0.5, 0.9]), "P(positive) after each word", UNKNOWN)
    (line,) = fig.data
    assert list(line.marker.color) == [style.NEGATIVE, style.POSITIVE, style.POSITIVE]
    assert fig.layout.title.text == "P(positive) after each word"
    assert list(fig.layout.yaxis.range) == [-0.02, 1.02] and fig.layout.shapes[0].y0 == 0.5
    assert list(fig.layout.xaxis.ticktext) == ["not", "bad", "zxq?"]


def test_hidden_state_figure_is_symmetric_around_zero_with_units_as_rows():
    values = np.array([[0.5, -2.0], [1.0, 0.0], [0.0, 0.25]])  # (words, units)
    fig = hidden_state_figure(TOKENS, values, "Hidden state")
    (heat,) = fig.data
    assert np.asarray(heat.z).shape == (2, 3) and (heat.zmin, heat.zmax, heat.zmid) == (-2.0, 2.0, 0)
    assert fig.layout.title.text == "Hidden state" and fig.layout.yaxis.autorange == "reversed"


def test_gates_share_the_0_to_1_scale_and_show_one_colour_bar():
    gates = {"input": np.zeros((3, 4)), "forget": np.ones((3, 4))}
    fig = gates_figure(TOKENS, gates, "Gates")
    assert [(t.zmin, t.zmax) for t in fig.data] == [(0, 1), (0, 1)]
    assert [t.showscale for t in fig.data] == [False, True]
    assert [a.text for a in fig.layout.annotations] == ["input gate", "forget gate"]


def test_attribution_bars_are_orange_for_positive_and_blue_for_negative():
    fig = attribution_figure(TOKENS, {"IG": np.array([0.3, -0.1, 0.0]), "LIME": np.array([-0.2, 0.2, 0.1])},
                             "Which words", UNKNOWN)
    ig, lime = fig.data
    assert list(ig.marker.color) == [style.POSITIVE, style.NEGATIVE, style.POSITIVE]
    assert list(lime.x) == [-0.2, 0.2, 0.1] and ig.orientation == "h"
    assert [a.text for a in fig.layout.annotations] == ["IG", "LIME"] and fig.layout.title.text == "Which words"


def test_comparison_gives_every_architecture_its_own_colour_and_dash():
    curves = {"RNN": np.array([0.1, 0.2, 0.3]), "LSTM": np.array([0.4, 0.6, 0.9])}
    fig = comparison_figure(TOKENS, curves, "Three architectures read the same text")
    assert [t.name for t in fig.data] == ["RNN", "LSTM"]
    assert [t.line.color for t in fig.data] == list(style.PALETTE[:2])
    assert fig.data[0].line.dash != fig.data[1].line.dash
    assert fig.layout.title.text == "Three architectures read the same text"


def test_loop_agreement_puts_each_numpy_value_against_torch():
    torch_states = np.array([[0.5, -0.5]])
    fig = loop_agreement_figure(torch_states + np.array([[0.0, 1e-3]]), torch_states,
                                "numpy loop vs torch.nn.RNN: largest difference 1.0e-03")
    assert fig.layout.title.text == "numpy loop vs torch.nn.RNN: largest difference 1.0e-03"
    assert list(fig.layout.xaxis.range) == [-1.05, 1.05] and list(fig.data[1].x) == [0.5, -0.5]


def test_forecast_figures_draw_truth_in_black_and_each_model_in_its_colour():
    years, future = np.arange(2000, 2003), np.arange(2003, 2005)
    fig = forecast_figure(years, np.ones(3), future, {"LSTM": np.array([2.0, 3.0])}, np.array([2.5, 2.5]), "Forecast")
    assert [t.name for t in fig.data] == ["input window (read)", "truth", "LSTM"]
    assert fig.data[1].line.color == "#000000" and fig.data[2].line.color == style.PALETTE[1]
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].x1) == (1999.5, 2002.5)
    one = one_step_figure(future, np.ones(2), {"GRU": np.zeros(2)}, "One step")
    assert [t.name for t in one.data] == ["truth", "GRU"] and one.layout.title.text == "One step"


def test_error_bars_label_each_model_with_its_error():
    (bars,) = error_bars_figure({"LSTM": 12.34, "linear": 20.0}, "Errors").data
    assert list(bars.y) == ["LSTM", "linear"] and list(bars.text) == ["12.3", "20.0"]
    assert list(bars.marker.color) == list(style.PALETTE[1:3])
