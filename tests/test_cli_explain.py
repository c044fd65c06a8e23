"""``python -m udl_viz explain``: maps and input crops on disk, one JSON line per image."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import udl_viz.models
from udl_viz.cli import main
from udl_viz.models import get_spec
from udl_viz.samples import load_sample


@pytest.fixture
def digit_files(tmp_path):
    paths = []
    for d in (3, 7):
        path = tmp_path / f"digit{d}.png"
        load_sample(f"Digit {d}").save(path)
        paths.append(path)
    return paths


def _lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_explain_writes_maps_and_crops_and_loads_the_model_once(digit_files, tmp_path, capsys, monkeypatch):
    loads = []
    real = udl_viz.models.load_model
    monkeypatch.setattr(udl_viz.models, "load_model", lambda name: loads.append(name) or real(name))
    out = tmp_path / "out"
    code = main(["explain", "--model", "digits_cnn", "--method", "ig", "--set", "steps=16",
                 "--out-dir", str(out), *map(str, digit_files)])
    assert code == 0 and loads == ["digits_cnn"]
    lines = _lines(capsys)
    assert [line["image"] for line in lines] == list(map(str, digit_files))
    spec = get_spec("digits_cnn")
    for line, path, digit in zip(lines, digit_files, ("3", "7"), strict=True):
        assert {"image", "method", "target", "label", "seconds", "forward_passes"} <= set(line)
        assert line["method"] == "ig" and line["label"] == digit and line["target"] == int(digit)
        assert line["forward_passes"] == 16 + 2 and line["backward_passes"] == 16
        heat = np.load(out / f"{path.stem}.ig.npy")
        assert heat.shape == (8, 8) and heat.dtype == np.float32
        crop = Image.open(out / f"{path.stem}.input.png")
        assert np.array_equal(np.asarray(crop), np.asarray(spec.preprocess.view(Image.open(path))))


def test_explain_a_chosen_target_on_efficientnet_lite0(tmp_path, capsys):
    photo = tmp_path / "cat.png"
    load_sample("Chelsea the cat").save(photo)
    code = main(["explain", "--model", "efficientnet_lite0", "--method", "gradcam", "--target", "250",
                 "--out-dir", str(tmp_path), str(photo)])
    assert code == 0
    (line,) = _lines(capsys)
    assert line["target"] == 250 and line["label"] == "Siberian husky" and line["forward_passes"] == 1
    assert np.load(tmp_path / "cat.gradcam.npy").shape == (224, 224)
    assert Image.open(tmp_path / "cat.input.png").size == (224, 224)


def test_explain_reports_bad_images_and_keeps_going(digit_files, tmp_path, capsys):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    code = main(["explain", "--model", "digits_cnn", "--method", "saliency", "--out-dir", str(tmp_path),
                 str(broken), str(digit_files[0])])
    assert code == 1
    lines = _lines(capsys)
    assert "error" in lines[0] and "not an image" in lines[0]["error"]
    assert lines[1]["method"] == "saliency"


@pytest.mark.parametrize(("extra", "message"), [
    (["--target", "10"], "out of range"),
    (["--set", "window=99"], "between"),
    (["--set", "colour=red"], "no setting"),
])
def test_explain_rejects_bad_arguments(extra, message, digit_files, tmp_path, capsys):
    code = main(["explain", "--model", "digits_cnn", "--method", "occlusion", *extra,
                 "--out-dir", str(tmp_path), str(digit_files[0])])
    assert code == 2 and message in capsys.readouterr().err


def test_explain_lists_every_registered_method(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    help_text = capsys.readouterr().out
    for name in ("saliency", "smoothgrad", "ig", "gradcam", "guided_backprop", "occlusion"):
        assert name in help_text
