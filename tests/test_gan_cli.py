"""``python -m udl_viz generate``: the .npy it writes, its JSON line, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from udl_viz.cli import main
from udl_viz.cli.generate import MODELS
from udl_viz.gan.checkpoints import generate
from udl_viz.models.registry import select
from udl_viz.models.spec import GENERATION

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("model", MODELS)
def test_writes_n_digits_on_the_0_16_scale(capsys, tmp_path, model):
    out = tmp_path / "digits.npy"
    assert main(["generate", "--model", model, "--n", "7", "--seed", "3", "--out", str(out)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"out", "model", "n", "seconds"}
    assert record["out"] == str(out) and record["model"] == model and record["n"] == 7 and record["seconds"] >= 0
    images = np.load(out)
    assert images.shape == (7, 8, 8) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 16
    np.testing.assert_array_equal(images, generate(model, 7, seed=3))


def test_the_cli_knows_exactly_the_registry_generators(capsys):
    assert set(MODELS) == set(select(task=GENERATION))
    assert main(["models", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["name"] for r in records if r["task"] == GENERATION} == set(MODELS)


@pytest.mark.parametrize(("args", "message"), [
    (["--model", "gan", "--n", "0"], "argument --n: must be from 1 to 100,000, got '0'"),
    (["--model", "gan", "--n", "100001"], "argument --n: must be from 1 to 100,000"),
    (["--model", "gan", "--n", "ten"], "argument --n: must be a whole number"),
    (["--model", "gan-xl", "--n", "3"], "argument --model: invalid choice: 'gan-xl'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, args, message):
    assert main(["generate", *args, "--out", str(tmp_path / "x.npy")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.strip().splitlines()[-1].count("error:") == 1


def test_unwritable_out_is_refused_before_any_work(capsys, tmp_path):
    for out, message in ((tmp_path / "missing" / "x.npy", "does not exist"), (tmp_path, "is a folder")):
        assert main(["generate", "--model", "vae", "--n", "3", "--out", str(out)]) == 2
        assert message in capsys.readouterr().err


def test_help_and_argument_errors_do_not_import_torch():
    code = ("import argparse, sys\nfrom udl_viz.cli import generate\n"
            "parser = argparse.ArgumentParser()\ngenerate.register(parser.add_subparsers())\n"
            "for argv in (['generate', '--help'], ['generate', '--model', 'gan', '--n', '0', '--out', 'x.npy']):\n"
            "    try:\n        parser.parse_args(argv)\n"
            "    except SystemExit as e:\n        print(e.code, 'torch' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines()[-2:] == ["0 False", "2 False"]
