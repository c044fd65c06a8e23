"""The model registry: offline weights, preprocessing, availability and the digits CNN."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from tests.browser import ROOT
from udl_viz.datasets.digits import digits_split
from udl_viz.inference import batched, probabilities
from udl_viz.models import (
    FORECASTING,
    IMAGE_CLASSIFICATION,
    REGISTRY,
    SENTIMENT,
    ModelUnavailable,
    get_spec,
    load_model,
    select,
    torchvision_zoo,
)
from udl_viz.models.digits import checkpoint_metrics, load_trajectory
from udl_viz.models.efficientnet_lite import Conv2dSame


@pytest.fixture(scope="module")
def lite0():
    return load_model("efficientnet_lite0")


# Published ImageNet top-1: Lite0 75.1 %, Lite2 77.6 %; the 100-photo sample is easier (Lite0: 0.89).
@pytest.mark.parametrize("name,least", [("efficientnet_lite0", 0.85), ("efficientnet_lite2", 0.89)])
def test_efficientnet_lite_top1_on_imagenet_sample(name, least, shared_data):
    folder = shared_data / "imagenet-sample-100"
    rows = list(csv.DictReader((folder / "labels.csv").open()))
    spec, model = get_spec(name), load_model(name)
    correct = 0
    for chunk in batched(rows, 25):
        x = torch.stack([spec.preprocess(Image.open(folder / "images" / r["filename"])) for r in chunk])
        pred = probabilities(model, x).argmax(1)
        correct += sum(int(p) == int(r["class_index"]) for p, r in zip(pred, chunk, strict=True))
    accuracy = correct / len(rows)
    assert accuracy >= least, f"top-1 {accuracy:.2f} on {len(rows)} images"


def test_efficientnet_lite2_reads_260_pixel_crops():
    spec = get_spec("efficientnet_lite2")
    assert (spec.preprocess.resize, spec.preprocess.crop) == (292, 260)
    assert spec.preprocess(Image.new("RGB", (400, 300))).shape == (3, 260, 260)
    assert len(spec.layers) == 1 + 21 + 1 and spec.unavailable_reason() is None


def test_efficientnet_lite0_is_confident_on_a_cat(lite0):
    from udl_viz.inference import predict
    from udl_viz.samples import load_sample

    top = predict(lite0, get_spec("efficientnet_lite0"), load_sample("Chelsea the cat"), 5)
    assert any("cat" in p.label for p in top[:3]), top


def test_lite0_scaling_and_inverse():
    pre = get_spec("efficientnet_lite0").preprocess
    image = Image.new("RGB", (300, 200), (255, 127, 0))
    x = pre(image)
    assert x.shape == (3, 224, 224)
    assert torch.allclose(x[:, 0, 0], torch.tensor([1.0, 0.0, -127 / 128]))
    assert (pre.to_pixels(x)[0, 0] == [255, 127, 0]).all()


def test_crop_box_is_the_centre_square():
    pre = get_spec("efficientnet_lite0").preprocess
    x0, y0, x1, y1 = pre.crop_box((512, 256))
    assert (x1 - x0) == pytest.approx(256 * 224 / 256) == (y1 - y0)
    assert (x0 + x1) / 2 == pytest.approx(256) and (y0 + y1) / 2 == pytest.approx(128)


def test_conv2d_same_pads_like_tensorflow():
    conv = Conv2dSame(1, 1, 3, stride=2, bias=False)
    conv.weight.data.fill_(1.0)
    x = torch.ones(1, 1, 4, 4)
    # TF "same" with stride 2 on 4×4: output 2×2, total padding 1, all of it bottom/right.
    out = conv(x)[0, 0]
    assert out.tolist() == [[9.0, 6.0], [6.0, 4.0]]


@pytest.mark.parametrize("kernel,stride", [(3, 1), (5, 1), (3, 2), (5, 2), (4, 2)])
@pytest.mark.parametrize("size", [7, 8, 224])
def test_conv2d_same_equals_explicit_tensorflow_padding(kernel, stride, size):
    torch.manual_seed(kernel * stride)
    conv = Conv2dSame(2, 2, kernel, stride, groups=2, bias=True)
    x = torch.randn(1, 2, size, size + 1)
    ph = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    pw = max((-(-(size + 1) // stride) - 1) * stride + kernel - size - 1, 0)
    padded = torch.nn.functional.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
    expected = torch.nn.functional.conv2d(padded, conv.weight, conv.bias, stride, groups=2)
    torch.testing.assert_close(conv(x), expected)


def test_every_registry_entry_is_complete():
    for spec in REGISTRY.values():
        assert spec.name and spec.title and spec.kind and spec.task and spec.layers and spec.class_names()
    for spec in select(task=IMAGE_CLASSIFICATION).values():
        assert spec.first_conv and spec.cam_layer
        assert len(spec.class_names()) in (10, 1000)
        assert spec.input_size in (8, 224, 260)
    assert {spec.task for spec in REGISTRY.values()} >= {IMAGE_CLASSIFICATION, SENTIMENT, FORECASTING}


@pytest.mark.parametrize("name", ["efficientnet_lite0", "efficientnet_lite2", "digits_cnn", "lstm", "gru_frozen",
                                  "sunspots_gru", "sunspots_mlp"])
def test_named_layers_resolve_in_offline_models(name):
    spec = get_spec(name)
    model = load_model(name)
    assert not model.training
    modules = dict(model.named_modules())
    paths = [layer.path for layer in spec.layers] + [p for p in (spec.first_conv, spec.cam_layer) if p]
    assert [p for p in paths if p not in modules] == []
    if spec.first_conv:
        assert isinstance(modules[spec.first_conv], torch.nn.Conv2d)
        assert modules[spec.first_conv].in_channels == spec.channels


def test_lookup_by_task_names_the_models_of_that_task():
    assert set(select(task=SENTIMENT)) == {"simple_rnn", "lstm", "gru", "simple_rnn_frozen", "lstm_frozen",
                                           "gru_frozen", "simple_rnn_glove", "lstm_glove", "gru_glove"}
    assert get_spec("lstm", task=SENTIMENT).kind == "lstm"
    with pytest.raises(KeyError,
                       match="unknown model 'lstm' for image classification; choose one of efficientnet_lite0"):
        get_spec("lstm", task=IMAGE_CLASSIFICATION)


def test_one_model_unavailable_for_every_kind(monkeypatch, tmp_path):
    from udl_viz.models import sentiment

    monkeypatch.setattr(sentiment, "ASSETS", tmp_path)
    sentiment._saved.cache_clear()
    assert "lstm.pt is missing" in get_spec("lstm").unavailable_reason()
    with pytest.raises(ModelUnavailable, match="lstm.pt is missing"):
        load_model("lstm")
    sentiment._saved.cache_clear()


def test_torchvision_models_are_listed_unavailable_when_uncached(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("no internet")

    import torchvision.models._api as weights_api

    monkeypatch.setattr(weights_api, "load_state_dict_from_url", offline)
    for name in ("resnet18", "vgg16", "alexnet", "mobilenet_v3_large"):
        reason = get_spec(name).unavailable_reason()
        assert reason is not None and "not in the torch hub cache" in reason
    with pytest.raises(ModelUnavailable, match="ResNet-18.*cannot be loaded.*no internet"):
        load_model("resnet18")


def test_torchvision_weight_files_are_torchvisions_defaults_and_checking_them_imports_no_torchvision():
    import torchvision

    for arch, name in torchvision_zoo.WEIGHT_FILES.items():
        assert os.path.basename(torchvision.models.get_model_weights(arch).DEFAULT.url) == name
    probe = ("import sys; from udl_viz.models import get_spec; get_spec('resnet18').unavailable_reason(); "
             "print('torchvision' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_torchvision_model_loads_from_the_hub_cache(tmp_path, monkeypatch):
    import torchvision

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    path = torchvision_zoo.cached_weights_path("resnet18")
    (tmp_path / "checkpoints").mkdir()
    reference = torchvision.models.resnet18()
    torch.save(reference.state_dict(), path)
    assert get_spec("resnet18").unavailable_reason() is None
    model = load_model("resnet18")
    assert torch.equal(model.fc.weight, reference.fc.weight)
    assert not model.training


def test_digits_cnn_held_out_accuracy():
    model = load_model("digits_cnn")
    _, _, x_test, y_test = digits_split(0)
    accuracy = (probabilities(model, x_test).argmax(1) == y_test).float().mean().item()
    assert accuracy >= 0.97
    assert accuracy == pytest.approx(checkpoint_metrics()["test_accuracy"], abs=1e-6)


def test_digits_cnn_reads_dark_ink_on_white_paper():
    from sklearn.datasets import load_digits

    from udl_viz.datasets.digits import digit_image

    digits = load_digits()
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    index = int(np.flatnonzero(digits.target == 3)[5])
    light_on_dark = digit_image(digits.images[index])
    ink_on_paper = Image.fromarray(255 - np.asarray(light_on_dark))
    for image in (light_on_dark, ink_on_paper):
        assert probabilities(model, spec.preprocess(image)[None]).argmax().item() == 3


def test_digits_trajectory_ends_at_the_checkpoint():
    model = load_model("digits_cnn")
    trajectory = load_trajectory()
    final = torch.nn.utils.parameters_to_vector(model.parameters())
    assert len(trajectory) >= 2
    assert torch.allclose(trajectory[-1], final)
