"""Label stability, Grad-CAM per variant, sweeps and the 6-vs-9 lesson on ``digits_cnn``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from udl_viz.augment import analyse_variants, make_variants, predict_variants, sweep
from udl_viz.augment.digits import digit_transform_report, rotate_digit
from udl_viz.figures.augment import (
    digit_confusion_figure,
    digit_kept_figure,
    stability_figure,
    sweep_figure,
    variant_grid_figure,
)
from udl_viz.models import get_spec, load_model
from udl_viz.samples import load_sample


@pytest.fixture(scope="module")
def digits():
    """The digits CNN as the app shares it: eval mode, no parameter gradients."""
    model = load_model("digits_cnn").requires_grad_(False)
    return get_spec("digits_cnn"), model


@pytest.fixture(scope="module")
def report(digits):
    return digit_transform_report(digits[1], digits[0])


def test_a_six_rotated_by_180_degrees_is_read_as_a_nine(digits):
    spec, model = digits
    turned = rotate_digit(model, spec, load_sample("Digit 6"), 180.0)
    assert turned.classes[int(turned.probs_before.argmax())] == "6"
    assert turned.read_as == "9"
    assert turned.probs_after[9] > 0.5
    assert np.array_equal(np.asarray(turned.after), np.asarray(turned.before)[::-1, ::-1])


def test_variants_report_prediction_rank_and_stability(digits):
    spec, model = digits
    results = predict_variants(model, spec, make_variants(load_sample("Digit 6")))
    original = results[0]
    assert (original.label, original.stable, original.original_rank) == ("6", True, 1)
    assert original.pixels.shape == (8, 8, 3) and original.pixels.dtype == np.uint8
    for r in results:
        assert r.stable == (r.label == "6") == (r.original_rank == 1)
        assert 0 <= r.original_prob <= r.prob <= 1


def test_gradcam_per_variant_through_the_attribution_registry_leaves_the_shared_model_alone(digits):
    spec, model = digits
    before = {k: v.clone() for k, v in model.state_dict().items()}
    results = analyse_variants(model, spec, make_variants(load_sample("Digit 6")), explain_original=True)
    assert all(r.cam is not None and r.cam.shape == (8, 8) and r.cam.min() >= 0 for r in results)
    assert all(r.cam_target == 6 for r in results)
    assert results[0].cam.max() > 0
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert not any(p.requires_grad for p in model.parameters())
    assert not any(m._forward_hooks or m._backward_hooks for m in model.modules())
    own = analyse_variants(model, spec, make_variants(load_sample("Digit 6"))[:2])
    assert [r.cam_target for r in own] == [r.index for r in own]


def test_rotation_sweep_keeps_the_label_at_zero_and_loses_it_upside_down(digits):
    spec, model = digits
    result = sweep(model, spec, load_sample("Digit 6"), "rotation")
    assert result.values[0] == -180 and result.values[-1] == 180 and len(result.values) == 25
    zero = result.values.index(0.0)
    assert result.stable[zero] and result.original_label == "6"
    assert result.top_labels[0] == result.top_labels[-1] == "9"
    assert result.original_prob[zero] > 0.9 > result.original_prob[0]
    with pytest.raises(ValueError, match="unknown transformation"):
        sweep(model, spec, load_sample("Digit 6"), "shear")


def test_all_digits_mild_changes_keep_labels_flips_keep_only_symmetric_digits(report):
    kept = dict(zip(report.transforms, report.kept, strict=True))
    assert report.counts.sum() == 1797
    assert kept["unchanged"].mean() > 0.97  # mostly training digits: near-perfect
    assert kept["rotate 15°"].mean() > 0.9
    assert kept["rotate 180°"][[0, 1, 8]].min() > 0.6  # symmetric digits survive
    assert kept["rotate 180°"][[6, 9]].max() < 0.1  # 6 and 9 swap
    assert report.read_as("rotate 180°", 6) == (9, pytest.approx(report.confusion["rotate 180°"][6, 9] / 181))
    assert report.read_as("rotate 180°", 6)[1] > 0.9
    assert report.read_as("rotate 180°", 9)[0] == 6


def test_figures_have_titles_axes_and_one_tile_per_variant(digits, report):
    spec, model = digits
    results = analyse_variants(model, spec, make_variants(load_sample("Digit 6")))
    grid = variant_grid_figure(results, "variants")
    assert grid.layout.title.text == "variants"
    assert sum(t.type == "image" for t in grid.data) == 6 and sum(t.type == "heatmap" for t in grid.data) == 6
    assert [a.text for a in grid.layout.annotations][0] == "Original: 6 100% ✓"
    bars = stability_figure(results, "stability")
    assert bars.layout.yaxis.title.text == "probability of '6'" and bars.layout.xaxis.title.text == "variant"
    assert sum(len(t.x) for t in bars.data) == 6
    line = sweep_figure(sweep(model, spec, load_sample("Digit 6"), "brightness"), "sweep")
    assert line.layout.xaxis.title.text == "brightness factor"
    kept = digit_kept_figure(report, "kept")
    assert kept.data[0].z.shape == (5, 10) and kept.layout.yaxis.title.text == "transformation"
    confusion = digit_confusion_figure(report.confusion["rotate 180°"], report.digits, "confusion")
    assert confusion.layout.xaxis.title.text == "digit the model reads"
    assert np.allclose(np.asarray(confusion.data[0].z).sum(axis=1), 1)
