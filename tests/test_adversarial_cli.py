"""The `attack` CLI contract: files, one JSON line per image, success judged on the saved PNG, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from udl_viz.adversarial.pixels import load_crop, predict_pixels
from udl_viz.cli import main
from udl_viz.models import get_spec, load_model
from udl_viz.samples import load_sample

FIELDS = {"image", "label", "adv_label", "adv_prob", "linf", "success", "seconds"}


def run_cli(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.strip().splitlines()], captured.err


@pytest.fixture
def digits(tmp_path):
    paths = []
    for d in (3, 6):
        path = tmp_path / f"digit{d}.png"
        load_sample(f"Digit {d}").save(path)
        paths.append(str(path))
    return paths


def test_attack_writes_both_crops_and_judges_the_saved_png(tmp_path, capsys, digits):
    out = tmp_path / "out"
    code, rows, _ = run_cli(capsys, "attack", "--model", "digits_cnn", "--method", "pgd", "--eps", "64",
                            "--steps", "10", "--out-dir", str(out), *digits)
    assert code == 0 and [r["image"] for r in rows] == digits
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    for row, path in zip(rows, digits, strict=True):
        assert set(row) >= FIELDS
        stem = path.rsplit("/", 1)[1][:-4]
        crop, adv = load_crop(out / f"{stem}.input.png", 1), load_crop(out / f"{stem}.adv.png", 1)
        assert crop.shape == adv.shape == (8, 8, 1)
        assert row["linf"] == int(np.abs(adv.astype(int) - crop.astype(int)).max()) <= 64
        probs = predict_pixels(model, spec, adv)[0]
        assert row["adv_label"] == spec.class_names()[int(probs.argmax())]
        assert row["adv_prob"] == pytest.approx(float(probs.max()), abs=1e-5)
        assert row["success"] == (row["adv_label"] != row["label"])
    assert any(r["success"] for r in rows)


def test_images_with_the_same_name_are_kept_apart(tmp_path, capsys):
    paths = []
    for d in (3, 6):
        folder = tmp_path / f"d{d}"
        folder.mkdir()
        load_sample(f"Digit {d}").save(folder / "digit.png")
        paths.append(str(folder / "digit.png"))
    out = tmp_path / "out"
    code, rows, _ = run_cli(capsys, "attack", "--model", "digits_cnn", "--method", "fgsm", "--eps", "8",
                            "--out-dir", str(out), *paths)
    assert code == 0 and [r["image"] for r in rows] == paths
    assert sorted(p.name for p in out.iterdir()) == ["digit-2.adv.png", "digit-2.input.png",
                                                      "digit.adv.png", "digit.input.png"]
    assert not np.array_equal(load_crop(out / "digit.input.png", 1), load_crop(out / "digit-2.input.png", 1))


def test_targeted_attack_aims_for_the_target(tmp_path, capsys, digits):
    code, rows, _ = run_cli(capsys, "attack", "--model", "digits_cnn", "--method", "pgd", "--eps", "64",
                            "--target", "8", "--steps", "20", "--out-dir", str(tmp_path), digits[0])
    assert code == 0 and rows[0]["target"] == 8
    assert rows[0]["success"] == (rows[0]["adv_label"] == "8")


def test_fgsm_on_lite0_keeps_the_224_crop_and_stays_within_eps(tmp_path, capsys):
    cat = tmp_path / "cat.jpg"
    load_sample("Chelsea the cat").save(cat)
    code, rows, _ = run_cli(capsys, "attack", "--method", "fgsm", "--eps", "3", "--out-dir", str(tmp_path), str(cat))
    assert code == 0 and rows[0]["label"] == "tiger cat" and rows[0]["linf"] == 3
    assert load_crop(tmp_path / "cat.adv.png").shape == (224, 224, 3)


def test_unreadable_image_gets_its_own_error_line_and_exit_1(tmp_path, capsys, digits):
    broken = tmp_path / "broken.jpg"
    broken.write_text("not an image")
    code, rows, _ = run_cli(capsys, "attack", "--model", "digits_cnn", "--method", "fgsm", "--eps", "8",
                            "--out-dir", str(tmp_path / "out"), str(broken), digits[0])
    assert code == 1
    assert "error" in rows[0] and rows[0]["image"] == str(broken)
    assert set(rows[1]) >= FIELDS


@pytest.mark.parametrize("args,message", [
    (["--eps", "65"], "argument --eps: must be a finite number from 0 to 64"),
    (["--eps", "-1"], "argument --eps"),
    (["--eps", "nan"], "argument --eps"),
    (["--eps", "2", "--steps", "0"], "argument --steps: must be from 1"),
    (["--eps", "2", "--target", "1000"], "argument --target: must be from 0 to 999"),
    (["--eps", "2", "--method", "cw"], "argument --method: invalid choice"),
])
def test_bad_arguments_give_one_line_and_exit_2_without_torch(tmp_path, args, message):
    # Only the attack parser, in a fresh interpreter: its argument errors must not import torch.
    code = ("import argparse, sys\nfrom udl_viz.cli import attack\n"
            "p = argparse.ArgumentParser(); attack.register(p.add_subparsers())\n"
            "try:\n    p.parse_args(sys.argv[1:])\nexcept SystemExit as e:\n"
            "    print('torch' in sys.modules, file=sys.stderr); raise\n")
    full = ["attack", "--method", "pgd", *args, "--out-dir", str(tmp_path), "x.png"]
    if "--method" in args:
        full = ["attack", *args, "--out-dir", str(tmp_path), "x.png"]
    out = subprocess.run([sys.executable, "-c", code, *full], capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    error_lines = [line for line in out.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and message in error_lines[0]
    assert out.stderr.strip().endswith("False")


def test_target_out_of_range_for_the_model_exits_2(tmp_path, capsys, digits):
    code, rows, err = run_cli(capsys, "attack", "--model", "digits_cnn", "--method", "fgsm", "--eps", "2",
                              "--target", "10", "--out-dir", str(tmp_path), digits[0])
    assert code == 2 and rows == [] and "--target" in err and "10 classes" in err
