"""The `patches` CLI contract: PNGs + patches.json in original pixels, cached queries, shards + merge."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from udl_viz.cli import main
from udl_viz.datasets.digits import digit_image
from udl_viz.samples import load_sample
from udl_viz.units import cache

pytestmark = pytest.mark.usefixtures("private_cache")


@pytest.fixture
def digit_folder(tmp_path):
    """40 digits as 32×32 PNGs (4 original pixels per model pixel), in two sub-folders."""
    data = load_digits()
    for i in range(40):
        path = tmp_path / "digits" / f"part{i % 2}" / f"{i:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        digit_image(data.images[i], scale=4).save(path)
    return tmp_path / "digits"


def run_cli(capsys, *args: str) -> tuple[int, list[dict]]:
    code = main(list(args))
    out = capsys.readouterr().out.strip()
    return code, [json.loads(line) for line in out.splitlines()] if out else []


def manifest(folder) -> list[dict]:
    return json.loads((folder / "patches.json").read_text())


def test_patches_are_written_in_original_pixels_highest_first(digit_folder, tmp_path, capsys):
    out = tmp_path / "out"
    code, lines = run_cli(capsys, "patches", "--model", "digits_cnn", "--layer", "relu2", "--unit", "3",
                          "--images", str(digit_folder), "--top", "5", "--out", str(out))
    assert code == 0
    assert lines[-1]["count"] == 5 and lines[-1]["images"] == 40 and lines[-1]["skipped"] == 0
    records = manifest(out)
    assert len(records) == 5
    activations = [r["activation"] for r in records]
    assert activations == sorted(activations, reverse=True) and activations[0] > 0
    for r in records:
        assert set(r) >= {"image", "box", "activation"}
        x0, y0, x1, y1 = r["box"]
        assert 0 <= x0 < x1 <= 32 and 0 <= y0 < y1 <= 32
        # relu2 sees 5×5 model pixels = 20×20 original pixels, less where the window leaves the digit.
        assert x1 - x0 <= 20 and y1 - y0 <= 20 and (x1 - x0) % 4 == 0
        original = np.asarray(Image.open(r["image"]).convert("RGB"))
        patch = np.asarray(Image.open(out / r["file"]))
        np.testing.assert_array_equal(patch, original[y0:y1, x0:x1])


def test_a_second_unit_comes_from_the_cached_index(digit_folder, tmp_path, capsys, monkeypatch):
    args = ["patches", "--model", "digits_cnn", "--layer", "relu3", "--images", str(digit_folder), "--top", "3"]
    assert run_cli(capsys, *args, "--unit", "0", "--out", str(tmp_path / "u0"))[0] == 0

    def no_rebuild(*a, **k):
        raise AssertionError("the index should come from the cache")

    monkeypatch.setattr(cache, "build_indexes", no_rebuild)
    code, lines = run_cli(capsys, *args, "--unit", "9", "--out", str(tmp_path / "u9"))
    assert code == 0 and lines[-1]["unit"] == 9 and len(manifest(tmp_path / "u9")) == 3


def test_shards_merged_give_the_same_patches_as_one_run(digit_folder, tmp_path, capsys):
    common = ["--model", "digits_cnn", "--layer", "relu3", "--images", str(digit_folder)]
    shards = tmp_path / "shards"
    for i in range(3):
        code, lines = run_cli(capsys, "patches", *common, "--shard", f"{i}/3", "--out", str(shards))
        assert code == 0 and lines[-1]["shard"] == f"{i}/3"
    code, lines = run_cli(capsys, "patches", "merge", "--out", str(shards), "--unit", "7", "--top", "6")
    assert code == 0 and lines[0]["merged"] == "relu3" and lines[0]["shards"] == 3 and lines[0]["samples"] == 40
    single = tmp_path / "single"
    assert run_cli(capsys, "patches", *common, "--unit", "7", "--top", "6", "--no-cache", "--out", str(single))[0] == 0
    assert manifest(shards) == manifest(single)
    for record in manifest(single):
        assert (shards / record["file"]).read_bytes() == (single / record["file"]).read_bytes()


def test_random_crops_of_photos_with_efficientnet(tmp_path, capsys):
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("Rocket", "Coffee cup"):
        load_sample(name).save(photos / f"{name}.png")
    (photos / "notes.txt").write_text("not an image, not listed")
    (photos / "broken.jpg").write_bytes(b"not a jpeg")
    out = tmp_path / "out"
    code, lines = run_cli(capsys, "patches", "--model", "efficientnet_lite0", "--layer", "_blocks.3", "--unit",
                          "4", "--images", str(photos), "--top", "4", "--crops", "2", "--out", str(out))
    assert code == 0
    assert lines[0]["image"].endswith("broken.jpg") and "not an image" in lines[0]["error"]
    assert lines[-1]["skipped"] == 1 and lines[-1]["samples"] == 6
    for r in manifest(out):
        w, h = Image.open(r["image"]).size
        x0, y0, x1, y1 = r["box"]
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        assert Image.open(out / r["file"]).size == (x1 - x0, y1 - y0)


@pytest.mark.parametrize(("args", "message"), [
    (["--layer", "relu2", "--images", "{d}", "--out", "{o}"], "--unit"),
    (["--layer", "nope", "--unit", "0", "--images", "{d}", "--out", "{o}"], "no layer 'nope'"),
    (["--layer", "relu2", "--unit", "99", "--images", "{d}", "--out", "{o}"], "out of range"),
    (["--layer", "relu2", "--unit", "0", "--images", "{d}", "--out", "{o}", "--shard", "3/2"], "--shard"),
    (["--layer", "relu2", "--unit", "0", "--images", "{o}", "--out", "{o}"], "--images: '"),
])
def test_usage_errors_exit_2_with_a_reason(digit_folder, tmp_path, capsys, args, message):
    args = [a.format(d=digit_folder, o=tmp_path / "missing") for a in args]
    assert main(["patches", "--model", "digits_cnn", *args]) == 2
    assert message in capsys.readouterr().err


def test_merge_without_shards_is_a_usage_error(tmp_path, capsys):
    assert main(["patches", "merge", "--out", str(tmp_path)]) == 2
    assert "no shard indexes" in capsys.readouterr().err


def test_help_names_the_merge_step(capsys):
    with pytest.raises(SystemExit):
        main(["patches", "--help"])
    out = capsys.readouterr().out
    assert "--shard" in out and "patches merge --out DIR" in out and "patches.json" in out
