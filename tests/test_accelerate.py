"""Forward-only attribution work on a registry model runs in ONNX Runtime, with torch's results and counts."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from udl_viz import runtime
from udl_viz.attribution import get_method
from udl_viz.attribution.faithfulness import deletion_insertion
from udl_viz.hooks import private_view
from udl_viz.models import get_spec, load_model


@pytest.fixture
def digits(private_cache, monkeypatch):
    """The registry's digits CNN (published by ``load_model``), one digit, and no sessions from other tests."""
    monkeypatch.setattr(runtime, "_SESSIONS", {})
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn").requires_grad_(False)
    x = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(3)) * 2 - 1
    return spec, model, x


def test_occlusion_of_a_registry_model_runs_in_onnx_runtime_with_torchs_map_and_counts(digits, private_cache):
    spec, model, x = digits
    method = get_method("occlusion")
    fast = method.attribute(model, x, 4, spec=spec)
    plain = method.attribute(copy.deepcopy(model), x, 4, spec=spec)  # a copy's weights are not published
    assert fast.extras["engine"] == "onnxruntime" and plain.extras["engine"] == "torch"
    assert list((private_cache / "onnx").glob("*.onnx"))
    np.testing.assert_allclose(fast.map, plain.map, atol=1e-5 * float(np.abs(plain.map).max()))
    # every patch and the unoccluded input counted, the export's own probe forwards not
    assert fast.forward_passes == plain.forward_passes == method.expected_passes(spec, fast.settings)
    assert fast.backward_passes == 0


def test_a_target_out_of_range_still_fails_with_the_plain_message(digits):
    spec, model, x = digits
    with pytest.raises(ValueError, match="out of range"):
        get_method("occlusion").attribute(model, x, 10, spec=spec)


def test_weights_that_are_not_all_published_stay_in_torch_and_export_nothing(digits, private_cache):
    spec, model, x = digits
    randomised = copy.deepcopy(model)  # e.g. the sanity check's copy: new tensors
    assert runtime.accelerate(private_view(randomised), x, 16)[0] == "torch"
    head = private_view(model)  # e.g. a fine-tuned model: the backbone's tensors and a new last layer
    name, last = [(n, m) for n, m in head.named_modules() if isinstance(m, nn.Linear)][-1]
    parent, _, attr = name.rpartition(".")
    setattr(head.get_submodule(parent), attr, nn.Linear(last.in_features, 3))
    assert runtime.accelerate(head, x, 16)[0] == "torch"
    assert not (private_cache / "onnx").exists()


def test_an_export_that_fails_leaves_the_view_in_torch(digits, monkeypatch):
    spec, model, x = digits

    def broken(*args, **kwargs):
        raise RuntimeError("exporter unavailable")

    monkeypatch.setattr(runtime, "_session", broken)
    view = private_view(model)
    assert runtime.accelerate(view, x, 16)[0] == "torch"
    with torch.inference_mode():
        assert torch.equal(view(x), model(x))


def test_deletion_and_insertion_curves_are_torchs(digits):
    spec, model, x = digits
    saliency = np.arange(64, dtype=np.float32).reshape(8, 8)
    fast = deletion_insertion(model, x, 4, saliency, steps=8)
    plain = deletion_insertion(copy.deepcopy(model), x, 4, saliency, steps=8)
    np.testing.assert_allclose(fast.deletion.probs, plain.deletion.probs, atol=1e-5)
    np.testing.assert_allclose(fast.insertion.probs, plain.insertion.probs, atol=1e-5)
    assert runtime._SESSIONS and all(s is not None for s in runtime._SESSIONS.values())
