"""The CLI contract: `models` and `predict` (one JSON line per image, errors inline, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from udl_viz.cli import main
from udl_viz.datasets.digits import digit_image


def run_cli(capsys, *args: str) -> tuple[int, list[dict]]:
    code = main(list(args))
    lines = capsys.readouterr().out.strip().splitlines()
    return code, [json.loads(line) for line in lines]


def test_models_lists_the_registry_with_availability(capsys):
    code, rows = run_cli(capsys, "models", "--json")
    assert code == 0
    by_name = {r["name"]: r for r in rows}
    assert {"efficientnet_lite0", "digits_cnn", "resnet18", "vgg16", "alexnet", "mobilenet_v3_large"} <= set(by_name)
    assert by_name["efficientnet_lite0"]["available"] is True
    assert by_name["digits_cnn"]["available"] is True
    for name in ("simple_rnn_glove", "lstm_glove", "gru_glove"):
        assert by_name[name]["task"] == "sentiment classification"
    assert by_name["gru_glove"]["title"] == "GRU (frozen GloVe)" and by_name["gru_glove"]["available"] is True
    lite0 = by_name["efficientnet_lite0"]
    assert (lite0["kind"], lite0["task"]) == ("cnn", "image classification")
    assert (by_name["lstm_frozen"]["kind"], by_name["lstm_frozen"]["task"]) == ("lstm", "sentiment classification")
    assert by_name["lstm"]["classes"] == 2 and by_name["lstm"]["input_size"] is None
    assert (by_name["sunspots_gru"]["kind"], by_name["sunspots_mlp"]["kind"]) == ("gru", "mlp")
    assert by_name["sunspots_gru"]["task"] == "forecasting"


def test_models_plain_text_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "udl_viz", "models"], capture_output=True, text=True, check=True)
    assert "efficientnet_lite0" in out.stdout and "available" in out.stdout
    assert "lstm" in out.stdout and "sunspots_gru" in out.stdout


def test_predict_prints_one_json_line_per_image_and_reports_errors(tmp_path, capsys):
    from udl_viz.samples import load_sample

    cat = tmp_path / "cat.png"
    load_sample("Chelsea the cat").save(cat)
    broken = tmp_path / "broken.jpg"
    broken.write_text("not an image")
    code, rows = run_cli(capsys, "predict", "--model", "efficientnet_lite0", "--top", "3", str(cat), str(broken))
    assert code == 1
    assert [r["image"] for r in rows] == [str(cat), str(broken)]
    top = rows[0]["top"]
    assert len(top) == 3 and set(top[0]) == {"index", "label", "prob"}
    assert "cat" in top[0]["label"]
    assert top[0]["prob"] >= top[1]["prob"] >= top[2]["prob"]
    assert "not an image" in rows[1]["error"]


def test_predict_handles_a_thousand_images_in_one_call(tmp_path, capsys):
    from sklearn.datasets import load_digits

    digits = load_digits()
    paths = []
    for i in range(1000):
        path = tmp_path / f"d{i:04d}.png"
        digit_image(digits.images[i], scale=1).save(path)
        paths.append(str(path))
    code, rows = run_cli(capsys, "predict", "--model", "digits_cnn", "--top", "1", *paths)
    assert code == 0
    assert len(rows) == 1000 and [r["image"] for r in rows] == paths
    accuracy = np.mean([r["top"][0]["index"] == t for r, t in zip(rows, digits.target[:1000], strict=True)])
    assert accuracy > 0.95


def test_predict_unknown_model_is_a_usage_error(capsys):
    assert main(["predict", "--model", "nope", "x.png"]) == 2
    assert "unknown model" in capsys.readouterr().err
