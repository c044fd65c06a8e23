"""The top-k index: equal to a brute-force scan, shardable, stored without pickles, cached by content."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from udl_viz.hooks import activations
from udl_viz.models import get_spec, load_model
from udl_viz.models.spec import Layer, ModelSpec, Preprocess
from udl_viz.samples import load_sample
from udl_viz.units import cache
from udl_viz.units.collections import (
    Collection,
    Crop,
    crop_input,
    crop_pixels,
    digits_collection,
    folder_collection,
    image_collection,
)
from udl_viz.units.index import UnitIndex, _TopK, build_indexes, merge, unit_maxima
from udl_viz.units.receptive import OUTPUT

pytestmark = pytest.mark.usefixtures("private_cache")


def subset(collection: Collection, n: int) -> Collection:
    return Collection(collection.name, collection.kind, collection.names[:n], collection.loader,
                      f"{collection.fingerprint}:{n}", collection.crops, collection.seed)


def brute_force(model: nn.Module, spec: ModelSpec, collection: Collection, layer: str, k: int):
    """Every unit's k best (activation, sample, y, x) by scanning every sample and position."""
    xs, ids = [], []
    for i in range(len(collection)):
        image = collection.load(i)
        for j in range(collection.samples_per_image):
            xs.append(crop_input(image, collection.crop(i, j, image.size, spec), spec))
            ids.append(collection.sample_id(i, j))
    logits, maps = activations(model, torch.stack(xs), [] if layer == OUTPUT else [layer])
    acts = (logits[:, :, None, None] if layer == OUTPUT else maps[layer]).numpy()
    n, units, h, w = acts.shape
    best = []
    for c in range(units):
        entries = []
        for s in range(n):
            flat = int(np.argmax(acts[s, c]))  # the first maximum in raster order
            entries.append((-float(acts[s, c].flat[flat]), ids[s], flat // w, flat % w))
        best.append(sorted(entries)[:k])
    return best


def assert_matches(index: UnitIndex, expected) -> None:
    for c, entries in enumerate(expected):
        np.testing.assert_allclose(index.values[c], [-e[0] for e in entries], rtol=1e-5, atol=1e-5)
        assert index.samples[c].tolist() == [e[1] for e in entries], c
        assert index.positions[c].tolist() == [[e[2], e[3]] for e in entries], c


def test_index_equals_a_brute_force_scan_on_digits():
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    digits = subset(digits_collection(), 150)
    layers = ["relu1", "relu3", OUTPUT]
    built = build_indexes(model, spec, digits, layers, k=5, batch_size=7)
    for layer in layers:
        assert_matches(built[layer], brute_force(model, spec, digits, layer, 5))
    assert built["relu3"].values.shape == (64, 5) and built[OUTPUT].values.shape == (10, 5)
    assert built[OUTPUT].meta["samples"] == 150
    strongest = built["relu3"].strongest()
    assert built["relu3"].top(strongest, 1)[0].activation == built["relu3"].values.max()
    # The class unit's favourite digits are mostly of that class.
    labels = [int(digits.names[h.image].split("(a ")[1][0]) for u in range(10) for h in built[OUTPUT].top(u)]
    assert np.mean([lab == u for u, lab in zip(np.repeat(range(10), 5), labels, strict=True)]) > 0.9


def test_index_equals_a_brute_force_scan_on_random_crops_with_efficientnet():
    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0")
    photos = image_collection("three photos", "builtin", {name: load_sample(name) for name in
                                                          ("Rocket", "Coffee cup", "Astronaut")}, crops=2)
    built = build_indexes(model, spec, photos, ["_blocks.3", OUTPUT], k=4, batch_size=5)
    for layer in ("_blocks.3", OUTPUT):
        assert_matches(built[layer], brute_force(model, spec, photos, layer, 4))
    # Boxes are the receptive field mapped through the sample's crop and mirror, in original pixels.
    rf = built["_blocks.3"].receptive_field
    assert rf.size == (35, 35) and rf.feature_shape == (28, 28)
    for unit in (0, 7, 39):
        for hit in built["_blocks.3"].top(unit):
            i, j = divmod(hit.sample, photos.samples_per_image)
            crop = photos.crop(i, j, photos.load(i).size, spec)
            assert hit.image == i and hit.flip == crop.flip
            np.testing.assert_allclose(hit.box, crop.to_original(rf.box(*hit.position), 224), atol=1e-3)
    whole = built[OUTPUT].top(0)[0]
    i, j = divmod(whole.sample, photos.samples_per_image)
    np.testing.assert_allclose(whole.box, photos.crop(i, j, photos.load(i).size, spec).box, atol=1e-3)


def test_crops_map_back_to_original_pixels():
    assert Crop((100, 50, 200, 150)).to_original((0, 0, 112, 112), 224) == (100, 50, 150, 100)
    # Mirrored: the left half of what the model saw is the right half of the original square.
    assert Crop((100, 50, 200, 150), flip=True).to_original((0, 0, 112, 112), 224) == (150, 50, 200, 100)


class SpotNet(nn.Module):
    """One 5×5 all-ones conv: a bright-spot detector."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 5, bias=False)
        nn.init.ones_(self.conv.weight)

    def forward(self, x):
        return self.conv(x).mean(dim=(2, 3))


def spot_spec() -> ModelSpec:
    return ModelSpec(name="spot", title="spot", description="", weights_source="hand-built",
                     builder=SpotNet, class_names=lambda: ["spot"],
                     preprocess=Preprocess(resize=32, crop=32, scale=lambda x: x / 255, unscale=lambda x: x * 255,
                                           grayscale=True),
                     layers=(Layer("conv", "conv"),), first_conv="conv", cam_layer="conv")


def test_the_patches_of_a_spot_detector_contain_the_spot():
    spots = {"a": (10, 12), "b": (50, 40), "c": (30, 55)}  # (x, y) of a 2×2 white dot on 64×64 black
    images = {}
    for name, (x, y) in spots.items():
        pixels = np.zeros((64, 64), np.uint8)
        pixels[y: y + 2, x: x + 2] = 255
        images[name] = Image.fromarray(pixels)
    collection = image_collection("spots", "builtin", images, crops=6)
    index = build_indexes(SpotNet().eval(), spot_spec(), collection, ["conv"], k=8)["conv"]
    hits = [h for h in index.top(0) if h.activation > 0]
    assert len(hits) == 8
    for hit in hits:
        x, y = spots[hit.name]
        x0, y0, x1, y1 = hit.box
        assert x0 <= x + 1 and x + 1 <= x1 and y0 <= y + 1 and y + 1 <= y1, hit
        assert crop_pixels(images[hit.name], hit.box, hit.flip).max() == 255


def test_ties_go_to_the_first_position_and_the_lowest_sample():
    values, positions = unit_maxima(torch.tensor([[[[1.0, 3.0], [3.0, 0.0]]]]))
    assert values.tolist() == [[3.0]] and positions.tolist() == [[[0, 1]]]
    top = _TopK(units=1, k=2)
    top.update(np.array([[5.0, 7.0]]), np.array([[4, 5]]), np.zeros((1, 2, 2), np.int32))
    top.update(np.array([[7.0, 5.0]]), np.array([[2, 3]]), np.zeros((1, 2, 2), np.int32))
    assert top.samples.tolist() == [[2, 5]] and top.values.tolist() == [[7.0, 7.0]]


def test_shards_merge_into_the_full_index_in_any_order():
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    digits = subset(digits_collection(), 120)
    full = build_indexes(model, spec, digits, ["relu2"], k=6, batch_size=16)["relu2"]
    parts = [build_indexes(model, spec, digits, ["relu2"], k=6, shard=(i, 3), batch_size=5)["relu2"]
             for i in (2, 0, 1)]
    assert sum(p.meta["samples"] for p in parts) == 120
    merged = merge(parts)
    for name in ("values", "samples", "positions", "images", "boxes", "flips"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(full, name), err_msg=name)
    assert merged.names == full.names and merged.meta["shard"] == [0, 1]
    with pytest.raises(ValueError, match="1/3 are missing"):
        merge([parts[0], parts[1]])
    other = build_indexes(model, spec, subset(digits_collection(), 90), ["relu2"], k=6, shard=(1, 3))["relu2"]
    with pytest.raises(ValueError, match="different collections"):
        merge([parts[0], parts[1], other])


def test_index_round_trips_through_npz_and_json_without_pickles(tmp_path):
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    index = build_indexes(model, spec, subset(digits_collection(), 40), ["relu3"], k=3)["relu3"]
    index.save(tmp_path / "idx-relu3.v1")
    with np.load(tmp_path / "idx-relu3.v1.npz", allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
    again = UnitIndex.load(tmp_path / "idx-relu3.v1")
    assert again.top(5) == index.top(5) and again.receptive_field.box(1, 2) == index.receptive_field.box(1, 2)


def test_the_cache_answers_repeat_queries_and_notices_changed_folders(tmp_path, monkeypatch):
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    folder = tmp_path / "imgs"
    folder.mkdir()
    from sklearn.datasets import load_digits

    from udl_viz.datasets.digits import digit_image

    data = load_digits()
    for i in range(12):
        digit_image(data.images[i], scale=1).save(folder / f"{i:02d}.png")
    first = cache.unit_indexes(model, spec, folder_collection(folder), ["relu2", OUTPUT], k=4)
    assert (tmp_path / "cache" / "index").is_dir()

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached index should have been used")

    monkeypatch.setattr(cache, "build_indexes", no_rebuild)
    again = cache.unit_indexes(model, spec, folder_collection(folder), ["relu2", OUTPUT], k=4)
    assert again["relu2"].top(3) == first["relu2"].top(3)
    digit_image(data.images[20], scale=1).save(folder / "05.png")  # same name, new content
    with pytest.raises(AssertionError, match="cached index"):
        cache.unit_indexes(model, spec, folder_collection(folder), ["relu2"], k=4)
    with pytest.raises(AssertionError, match="cached index"):
        cache.unit_indexes(model, spec, folder_collection(folder, crops=1), ["relu2"], k=4)


def test_each_imagenet_class_unit_ranks_its_own_photo_first(shared_data):
    """The output layer's top image for a class is, nearly always, the sample photo of that class."""
    import csv

    folder = shared_data / "imagenet-sample-100"
    with open(folder / "labels.csv", newline="") as f:
        labels = {row["filename"]: int(row["class_index"]) for row in csv.DictReader(f)}
    collection = folder_collection(folder / "images")
    index = build_indexes(load_model("efficientnet_lite0"), get_spec("efficientnet_lite0"), collection, [OUTPUT],
                          k=1, batch_size=20)[OUTPUT]
    hits = [index.top(labels[name])[0] for name in collection.names]
    own = [hit.name.endswith(name) for hit, name in zip(hits, collection.names, strict=True)]
    assert sum(own) >= 85  # the model's top-1 accuracy on these photos is 89%
