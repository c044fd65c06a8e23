"""The adversarial and sentiment-comparison figures: their traces, titles, axis ranges and colours."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz import style
from udl_viz.adversarial.attack import AttackResult
from udl_viz.adversarial.robustness import RobustnessCurve
from udl_viz.figures.adversarial import (
    amplification,
    amplified,
    attack_figure,
    gradcam_figure,
    robustness_figure,
    top5_pair_figure,
)
from udl_viz.figures.sentiment import accuracy_comparison_figure
from udl_viz.inference import Prediction


def attack(change: int = 4) -> AttackResult:
    original = np.full((4, 4, 1), 100, np.uint8)
    adversarial = original.copy()
    adversarial[0, 0, 0] += change
    adversarial[1, 1, 0] -= change
    return AttackResult("pgd", change, 10, None, original, adversarial, 3, [Prediction(3, "three", 0.9)],
                        [Prediction(8, "eight", 0.6)], 0.6, 0.1)


def test_attack_figure_shows_the_change_amplified_around_mid_grey():
    result = attack(4)
    assert amplification(result) == 31 and amplification(attack(0)) == 1  # 127 // 4; nothing changed: ×1
    change = amplified(result)
    assert change.shape == (4, 4, 3)  # one grey channel repeated as RGB
    assert change[0, 0, 0] == 128 + 4 * 31 and change[1, 1, 0] == 128 - 4 * 31 and change[2, 2, 0] == 128
    fig = attack_figure(result, "PGD at ε = 4")
    assert [t.type for t in fig.data] == ["image"] * 3 and fig.layout.title.text == "PGD at ε = 4"
    assert [a.text for a in fig.layout.annotations] == ["original<br>three 90%", "change ×31<br>(grey = none)",
                                                        "adversarial<br>eight 60%"]


def test_top5_pair_marks_the_target_class_and_keeps_probabilities_on_0_to_1():
    before = [Prediction(3, "three", 0.9), Prediction(8, "eight", 0.1)]
    after = [Prediction(8, "eight", 0.6), Prediction(3, "three", 0.4)]
    fig = top5_pair_figure(before, after, ("before", "after"), "Before and after", highlight=8)
    first, second = fig.data
    assert list(first.y) == ["eight", "three"] and list(first.x) == [0.1, 0.9]  # most likely on top
    assert list(first.marker.color) == [style.PALETTE[1], style.PALETTE[0]]
    assert list(second.marker.color) == [style.PALETTE[0], style.PALETTE[1]]
    assert list(fig.layout.xaxis.range) == [0, 1] and list(fig.layout.xaxis2.range) == [0, 1]
    assert fig.layout.title.text == "Before and after"


def test_robustness_figure_has_one_named_line_per_attack_and_lists_the_fooled_photos():
    kept = np.array([[True, True], [True, False]])
    curves = [RobustnessCurve(m, (0, 4), kept.mean(axis=1), kept, ("cat.jpg", "dog.jpg")) for m in ("fgsm", "pgd")]
    fig = robustness_figure(curves, "Accuracy against ε")
    assert [t.name for t in fig.data] == ["FGSM (one step)", "PGD (iterated steps)"]
    assert list(fig.data[0].y) == [1.0, 0.5] and list(fig.data[0].customdata) == ["none", "dog.jpg"]
    assert [t.line.color for t in fig.data] == style.PALETTE[:2]
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.title.text == "Accuracy against ε"


def test_gradcam_pair_shares_one_relative_colour_scale():
    fig = gradcam_figure(attack(), (np.full((4, 4), 2.0), np.zeros((4, 4))), "Grad-CAM")
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 2 and all(t.coloraxis == "coloraxis" for t in heat)
    assert np.asarray(heat[0].z).max() == 1.0 and np.asarray(heat[1].z).max() == 0.0  # all-zero map stays zero
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0, 1)
    assert fig.layout.title.text == "Grad-CAM"


def test_accuracy_comparison_puts_the_first_model_on_top_with_both_test_sets():
    fig = accuracy_comparison_figure(["LSTM", "GRU"], [0.85, 0.82], [0.7, 0.75], "Accuracy")
    dev, ood = fig.data
    assert list(dev.y) == ["GRU", "LSTM"] and list(dev.x) == [0.82, 0.85]
    assert list(ood.text) == ["75.0%", "70.0%"] and (dev.marker.color, ood.marker.color) == tuple(style.PALETTE[:2])
    assert list(fig.layout.xaxis.range) == pytest.approx([0.65, 1.0]) and fig.layout.title.text == "Accuracy"
