"""`predict` through ONNX Runtime gives plain torch fp32's top-1 on real photos, in input order."""

from __future__ import annotations

import json

import torch

from udl_viz.cli import main
from udl_viz.fingerprint import model_fingerprint
from udl_viz.images import load_image
from udl_viz.models import get_spec, load_model
from udl_viz.runtime import Forward


def test_predict_matches_plain_torch_top1_on_the_imagenet_sample(shared_data, private_cache, capsys):
    paths = sorted(str(p) for p in (shared_data / "imagenet-sample-100" / "images").iterdir())
    assert main(["predict", "--top", "1", *paths]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["image"] for r in rows] == paths
    assert list((private_cache / "onnx").glob("efficientnet_lite0-*.onnx"))  # exported into the cache
    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0")
    with torch.inference_mode():
        plain = [int(model(spec.preprocess(load_image(p)).unsqueeze(0)).argmax()) for p in paths]
    assert [r["top"][0]["index"] for r in rows] == plain


def test_the_runtime_returns_torchs_logits_and_layer_outputs(private_cache):
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    forward = Forward(model, spec, ["relu2"], fingerprint=model_fingerprint(model))
    x = torch.randn(3, 1, 8, 8, generator=torch.Generator().manual_seed(1))
    logits, relu2 = forward(x)
    assert forward.engine == "onnxruntime", forward.reason
    with torch.inference_mode():
        expected = model(x)
    assert torch.allclose(torch.from_numpy(logits), expected, atol=1e-4)
    assert relu2.ndim == 4 and relu2.shape[0] == 3 and (relu2 >= 0).all()


def test_without_a_fingerprint_the_runtime_is_plain_torch():
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn")
    forward = Forward(model, spec)
    assert forward.engine == "torch" and forward.reason
    x = torch.randn(2, 1, 8, 8)
    with torch.inference_mode():
        assert torch.equal(torch.from_numpy(forward(x)[0]), model(x))
