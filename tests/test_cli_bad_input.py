"""Bad input never crashes, hangs or lies: a table of probes per command, each run as a fresh process.

Every probe checks the exit code, a one-line message on stderr naming the argument (exit 2),
strict JSON lines on stdout in valid UTF-8, no traceback, and finishes within a generous timeout.
Most probes fail while the arguments are parsed, so they run in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180  # seconds: generous, for a loaded machine; a hang still fails


def _no_constants(name: str):
    raise ValueError(f"{name} is not strict JSON")


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "UDL_VIZ_CACHE": str(tmp / "cache"), "HF_HUB_OFFLINE": "1", **extra}


def run(args: list[str], tmp: Path, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "udl_viz", *args], input=stdin, capture_output=True,
                          cwd=ROOT, env=environment(tmp, **(env or {})), timeout=TIMEOUT)
    check_output(done)
    return done


def check_output(done: subprocess.CompletedProcess) -> None:
    """No traceback; stdout is valid UTF-8 made of strict JSON objects, one per line."""
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    out = done.stdout.decode("utf-8")  # raises on invalid UTF-8
    for line in out.splitlines():
        assert isinstance(json.loads(line, parse_constant=_no_constants), dict), line


def make_files(folder: Path) -> dict[str, str]:
    """A plain file (not a folder), a missing path, and an image."""
    from udl_viz.samples import load_sample

    (folder / "file.txt").write_text("not a folder")
    load_sample("Digit 3").save(folder / "three.png")
    return {"file": str(folder / "file.txt"), "missing": str(folder / "missing" / "deeper"),
            "image": str(folder / "three.png"), "dir": str(folder)}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return make_files(tmp_path)


DESCEND = ["descend", "--surface", "rosenbrock", "--optimizer", "adam", "--steps", "10", "--lr", "0.1"]
PAIRS = ["embeddings", "pairs"]

# (probe name, arguments with {file}/{missing}/{image}/{dir} placeholders, argument the message must name)
USAGE_ERRORS = [
    ("models: unknown flag", ["models", "--bogus"], "--bogus"),
    ("predict: top 0", ["predict", "--top", "0", "{image}"], "--top"),
    ("predict: top NaN", ["predict", "--top", "nan", "{image}"], "--top"),
    ("predict: top huge", ["predict", "--top", "99999999999999", "{image}"], "--top"),
    ("predict: batch infinity", ["predict", "--batch-size", "inf", "{image}"], "--batch-size"),
    ("predict: no images", ["predict"], "IMAGE"),
    ("explain: unknown method", ["explain", "--method", "nope", "--out-dir", "{dir}", "{image}"], "--method"),
    ("explain: NaN setting", ["explain", "--method", "smoothgrad", "--set", "noise=nan", "--out-dir", "{dir}",
                              "{image}"], "--set"),
    ("explain: infinite setting", ["explain", "--method", "ig", "--set", "steps=inf", "--out-dir", "{dir}",
                                   "{image}"], "--set"),
    ("explain: setting without =", ["explain", "--method", "ig", "--set", "steps", "--out-dir", "{dir}",
                                    "{image}"], "--set"),
    ("explain: negative target", ["explain", "--method", "saliency", "--target", "-1", "--out-dir", "{dir}",
                                  "{image}"], "--target"),
    ("explain: out-dir is a file", ["explain", "--method", "saliency", "--out-dir", "{file}", "{image}"],
     "--out-dir"),
    ("explain: out-dir unwritable", ["explain", "--method", "saliency", "--out-dir", "/dev/null/out", "{image}"],
     "--out-dir"),
    ("patches: out is a file", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0",
                                "--images", "{dir}", "--out", "{file}"], "--out"),
    ("patches: images missing", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0",
                                 "--images", "{missing}", "--out", "{dir}"], "--images"),
    ("patches: images is a file", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0",
                                   "--images", "{file}", "--out", "{dir}"], "--images"),
    ("patches: top huge", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0", "--top", "1e9",
                           "--images", "{dir}", "--out", "{dir}"], "--top"),
    ("patches: crops huge", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0", "--crops",
                             "100000", "--images", "{dir}", "--out", "{dir}"], "--crops"),
    ("patches: batch 0", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0", "--batch-size",
                          "0", "--images", "{dir}", "--out", "{dir}"], "--batch-size"),
    ("patches: shard i >= n", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--shard", "3/2",
                               "--images", "{dir}", "--out", "{dir}"], "--shard"),
    ("patches: shard words", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--shard", "a/b",
                              "--images", "{dir}", "--out", "{dir}"], "--shard"),
    ("patches: negative unit", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "-1",
                                "--images", "{dir}", "--out", "{dir}"], "--unit"),
    ("patches: NaN seed", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "0", "--seed", "nan",
                           "--images", "{dir}", "--out", "{dir}"], "--seed"),
    ("patches: unit missing", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--images", "{dir}",
                               "--out", "{dir}"], "--unit"),
    ("patches merge: out is a file", ["patches", "merge", "--out", "{file}"], "--out"),
    ("patches merge: NaN unit", ["patches", "merge", "--out", "{dir}", "--unit", "nan"], "--unit"),
    ("sentiment: max tokens 0", ["sentiment", "--max-tokens", "0", "fine"], "--max-tokens"),
    ("sentiment: max tokens huge", ["sentiment", "--max-tokens", "1000000000000", "fine"], "--max-tokens"),
    ("sentiment: max tokens NaN", ["sentiment", "--max-tokens", "nan", "fine"], "--max-tokens"),
    ("embeddings: window 0", [*PAIRS, "--window", "0"], "--window"),
    ("embeddings: window huge", [*PAIRS, "--window", "1000000000"], "--window"),
    ("embeddings: window NaN", [*PAIRS, "--window", "nan"], "--window"),
    ("embeddings: text too long", [*PAIRS, "--text", "word " * 5000], "--text"),
    ("embeddings: k huge", ["embeddings", "negatives", "--k", "100000"], "--k"),
    ("embeddings: k negative", ["embeddings", "negatives", "--k", "-1"], "--k"),
    ("embeddings: topn 0", ["embeddings", "neighbours", "fire", "--topn", "0"], "--topn"),
    ("embeddings: unknown vectors", ["embeddings", "neighbours", "fire", "--vectors", "nope"], "--vectors"),
    ("descend: lr infinity", [*DESCEND[:-1], "inf", "--start=-1.5,2"], "--lr"),
    ("descend: lr NaN", [*DESCEND[:-1], "nan", "--start=-1.5,2"], "--lr"),
    ("descend: lr negative", [*DESCEND[:-1], "-1", "--start=-1.5,2"], "--lr"),
    ("descend: steps huge", [*DESCEND[:5], "--steps", "100000000", "--lr", "0.1", "--start=-1.5,2"], "--steps"),
    ("descend: steps negative", [*DESCEND[:5], "--steps", "-1", "--lr", "0.1", "--start=-1.5,2"], "--steps"),
    ("descend: NaN start", [*DESCEND, "--start=nan,1"], "--start"),
    ("descend: infinite start", [*DESCEND, "--start=inf,1"], "--start"),
    ("descend: three numbers", [*DESCEND, "--start=1,2,3"], "--start"),
    ("descend: 1D start on 2D", [*DESCEND, "--start=1"], "--start"),
    ("descend: NaN hyperparameter", [*DESCEND, "--start=1,1", "--set", "beta2=nan"], "--set"),
    ("descend: unknown hyperparameter", [*DESCEND, "--start=1,1", "--set", "foo=1"], "--set foo"),
    ("descend: momentum out of range", [*DESCEND, "--start=1,1", "--momentum", "5"], "--momentum"),
    ("descend: unknown surface", ["descend", "--surface", "nope", "--optimizer", "sgd", "--lr", "1", "--steps",
                                  "1", "--start=1"], "--surface"),
]


@pytest.fixture(scope="module")
def usage_error_runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every usage-error probe, run as four processes at a time (each needs only the parser)."""
    folder = tmp_path_factory.mktemp("probes")
    files = make_files(folder)
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = {probe: pool.submit(subprocess.run,
                                   [sys.executable, "-m", "udl_viz", *(a.format(**files) for a in args)],
                                   capture_output=True, cwd=ROOT, timeout=TIMEOUT, env=environment(folder))
                for probe, args, _ in USAGE_ERRORS}
        return {probe: future.result() for probe, future in runs.items()}


@pytest.mark.parametrize(("probe", "names"), [(p, n) for p, _, n in USAGE_ERRORS], ids=[p for p, _, _ in USAGE_ERRORS])
def test_bad_arguments_give_one_line_naming_the_argument_and_exit_2(probe, names, usage_error_runs):
    done = usage_error_runs[probe]
    check_output(done)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert done.stdout == b""
    assert len(err.strip().splitlines()) == 1 and names in err, err


# Probes that need the engine (torch, a model or word vectors): still refused before any real work.
ENGINE_ERRORS = [
    ("predict: unknown model", ["predict", "--model", "nope", "{image}"], "--model"),
    ("explain: setting out of range", ["explain", "--model", "digits_cnn", "--method", "smoothgrad", "--set",
                                       "samples=1000000000", "--out-dir", "{dir}", "{image}"], "--set"),
    ("explain: target beyond the classes", ["explain", "--model", "digits_cnn", "--method", "saliency", "--target",
                                            "10", "--out-dir", "{dir}", "{image}"], "--target"),
    ("patches: unit beyond the layer", ["patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "5000",
                                        "--images", "{dir}", "--out", "{dir}/out"], "--unit"),
    ("embeddings: one-word text", [*PAIRS, "--text", "!!!"], "--text"),
    ("descend: hyperparameter out of range", [*DESCEND, "--start=1,1", "--set", "beta1=2"], "--set"),
    ("descend: momentum above the engine's 0.999", ["descend", "--surface", "rosenbrock", "--optimizer", "sgd",
                                                     "--steps", "10", "--lr", "0.1", "--start=1,1", "--momentum",
                                                     "0.9995"],
     "argument --momentum: momentum must be between 0 and 0.999"),
    ("descend: start beyond the divergence limit", [*DESCEND, "--start=1000000,1000000"], "--start"),
]


@pytest.mark.parametrize(("args", "names"), [(a, n) for _, a, n in ENGINE_ERRORS], ids=[p for p, _, _ in ENGINE_ERRORS])
def test_arguments_only_the_engine_can_check_are_refused_before_work(args, names, files, tmp_path):
    done = run([a.format(**files) for a in args], tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b"", err
    assert len(err.strip().splitlines()) == 1 and names in err, err


def test_a_model_whose_weights_are_missing_is_refused_with_the_fetch_command_and_no_download(files, tmp_path):
    empty_hub = tmp_path / "torch-home"
    done = run(["predict", "--model", "resnet18", files["image"]], tmp_path,
               env={"TORCH_HOME": str(empty_hub)})
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b""
    assert "--model" in err and "torchvision.models.get_model('resnet18', weights='DEFAULT')" in err
    assert "Downloading" not in err and not (empty_hub / "hub" / "checkpoints").exists()


def test_colliding_output_names_are_kept_apart(files, tmp_path):
    from udl_viz.samples import load_sample

    for folder, digit in (("a", 3), ("b", 7)):
        (tmp_path / folder).mkdir()
        load_sample(f"Digit {digit}").save(tmp_path / folder / "x.png")
    out = tmp_path / "out"
    done = run(["explain", "--model", "digits_cnn", "--method", "saliency", "--out-dir", str(out),
                str(tmp_path / "a" / "x.png"), str(tmp_path / "b" / "x.png")], tmp_path)
    assert done.returncode == 0
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["label"] for r in rows] == ["3", "7"]
    maps = [Path(r["map"]) for r in rows]
    assert maps[0] != maps[1] and all(m.exists() and m.parent == out for m in maps)
    assert sorted(p.name for p in out.iterdir()) == ["x-2.input.png", "x-2.saliency.npy", "x.input.png",
                                                      "x.saliency.npy"]


def test_per_item_failures_are_json_lines_and_exit_1(files, tmp_path):
    done = run(["predict", "--model", "digits_cnn", files["missing"], files["image"]], tmp_path)
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 1
    assert "error" in rows[0] and rows[1]["top"][0]["label"] == "3"


def test_odd_and_empty_texts_give_strict_json(tmp_path):
    text = "caf\u00e9 \u2603 " + "\U0001f600" * 3
    done = run(["sentiment", "--model", "gru", text, "", "-"], tmp_path, stdin=b"\xff\xfe not utf-8\n\n")
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 1  # the empty texts have no words
    assert rows[0]["text"] == text and 0 <= rows[0]["positive"] <= 1
    assert rows[1]["positive"] is None and "error" in rows[1]
    assert "\ufffd" in rows[2]["text"]


def test_a_diverging_descent_prints_strict_json_with_its_start(tmp_path):
    done = run(["descend", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "1000000", "--steps", "10000",
                "--start=-1.5,2"], tmp_path)
    (row,) = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 0 and row["diverged_at"] == 1 and row["path"] == [[-1.5, 2.0, 12.5]]


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    words = " ".join(f"w{i}" for i in range(150))
    done = subprocess.run(
        f"{sys.executable} -m udl_viz embeddings pairs --window 10 --text '{words}' | head -n 1",
        shell=True, cwd=ROOT, env=environment(tmp_path), capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout)["centre"] == "w0"
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
