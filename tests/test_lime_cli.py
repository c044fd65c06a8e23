"""LIME in the attribution registry: ``explain --method lime`` and the shared interface."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.datasets import load_digits

from udl_viz.attribution import get_method
from udl_viz.cli import main
from udl_viz.datasets.digits import digit_image
from udl_viz.models import get_spec, load_model


def test_explain_method_lime_writes_maps_and_json_lines(tmp_path, capsys):
    digits = load_digits()
    paths = []
    for i in (0, 1):
        path = tmp_path / f"digit{i}.png"
        digit_image(digits.images[i]).save(path)
        paths.append(str(path))
    uniform = tmp_path / "uniform.png"
    digit_image(np.zeros((8, 8))).save(uniform)
    code = main(["explain", "--model", "digits_cnn", "--method", "lime", "--set", "samples=300", "--set", "seed=4",
                 "--out-dir", str(tmp_path / "out"), *paths, str(uniform)])
    rows = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert code == 1  # the uniform image fails, with a message
    assert [r["image"] for r in rows] == [*paths, str(uniform)]
    for row, truth in zip(rows[:2], digits.target[:2], strict=True):
        assert row["method"] == "lime" and row["target"] == truth and row["label"] == str(truth)
        assert row["forward_passes"] == row["samples"] <= 300 and row["backward_passes"] == 0
        assert row["superpixels"] == 64  # 8×8 digits are explained pixel by pixel
        assert row["settings"] == {"samples": 300, "segmentation": "quickshift", "hide": "mean",
                                   "early_stop": "on", "seed": 4}
        weights = np.load(row["map"])
        assert weights.shape == (8, 8) and weights.dtype == np.float32 and np.abs(weights).max() > 0
    assert "uniform colour" in rows[2]["error"]


def test_lime_through_the_attribution_interface_is_reproducible_and_checks_its_settings():
    spec = get_spec("digits_cnn")
    model = load_model(spec.name).requires_grad_(False)
    x = spec.preprocess(digit_image(load_digits().images[3])).unsqueeze(0)
    method = get_method("lime")
    a = method.attribute(model, x, 3, spec=spec, samples=200, seed=1)
    b = method.attribute(model, x, 3, spec=spec, samples=200, seed=1)
    np.testing.assert_array_equal(a.map, b.map)
    assert a.signed and a.evidence and a.extras["samples"] == a.forward_passes
    # The pixels that are ink in a 3 carry the evidence for "3".
    ink = x[0, 0] > 0.5
    assert a.map[ink.numpy()].mean() > a.map[~ink.numpy()].mean()
    assert method.resolve(spec, {"samples": "400"})["samples"] == 400
    for bad in ({"samples": 5}, {"hide": "pink"}, {"segmentation": "watershed"}, {"early_stop": "maybe"}):
        with pytest.raises(ValueError, match="must be"):
            method.resolve(spec, bad)
