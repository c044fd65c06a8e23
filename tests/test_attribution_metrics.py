"""Faithfulness (deletion/insertion) and the cascading-randomisation sanity check."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from udl_viz.attribution import get_method
from udl_viz.attribution.faithfulness import Curve, deletion_insertion, pixel_order, random_map
from udl_viz.attribution.inputs import blurred
from udl_viz.attribution.sanity import cascading_randomisation, layer_groups, step_sizes
from udl_viz.models import get_spec, load_model

C, H, W = 3, 12, 12


@pytest.fixture
def linear() -> nn.Module:
    """A linear two-class model: the logit of class 0 is a weighted sum of pixels; class 1 is 0."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(C * H * W, 2))
    with torch.no_grad():
        model[1].weight[1].zero_()
        model[1].bias.zero_()
    return model.eval().requires_grad_(False)


@pytest.fixture
def x() -> torch.Tensor:
    return torch.randn(1, C, H, W, generator=torch.Generator().manual_seed(1)).abs() * 3


def _contribution(model: nn.Module, image: torch.Tensor) -> np.ndarray:
    return (model[1].weight[0].reshape(C, H, W) * image[0]).sum(0).numpy()


def test_deletion_ranks_a_perfect_oracle_above_a_random_map(linear, x):
    # Deleting a pixel (to 0) removes exactly its contribution: the oracle orders them by it.
    oracle = deletion_insertion(linear, x, 0, _contribution(linear, x), steps=16)
    randoms = [deletion_insertion(linear, x, 0, random_map((H, W), seed), steps=16) for seed in range(5)]
    assert oracle.deletion.auc < min(r.deletion.auc for r in randoms)
    anti = deletion_insertion(linear, x, 0, -_contribution(linear, x), steps=16)
    assert anti.deletion.auc > max(r.deletion.auc for r in randoms)


def test_insertion_ranks_its_oracle_above_a_random_map(linear, x):
    # Inserting a pixel replaces its blurred value: the oracle orders them by the change that makes.
    oracle_map = _contribution(linear, x) - _contribution(linear, blurred(x))
    oracle = deletion_insertion(linear, x, 0, oracle_map, steps=16)
    randoms = [deletion_insertion(linear, x, 0, random_map((H, W), seed), steps=16) for seed in range(5)]
    assert oracle.insertion.auc > max(r.insertion.auc for r in randoms)


def test_curves_start_and_end_where_they_should(linear, x):
    result = deletion_insertion(linear, x, 0, random_map((H, W)), steps=8)

    def prob(image: torch.Tensor) -> float:
        return float(torch.softmax(linear(image), 1)[0, 0])

    assert result.forward_passes == 2 * 9
    np.testing.assert_allclose(result.deletion.fractions, np.linspace(0, 1, 9))
    assert result.deletion.probs[0] == pytest.approx(prob(x), abs=1e-6)
    assert result.deletion.probs[-1] == pytest.approx(0.5, abs=1e-6)  # all grey: both logits 0
    assert result.insertion.probs[0] == pytest.approx(prob(blurred(x)), abs=1e-6)
    assert result.insertion.probs[-1] == pytest.approx(prob(x), abs=1e-6)


def test_area_under_a_curve():
    fractions = np.linspace(0, 1, 5)
    assert Curve(fractions, np.full(5, 0.4)).auc == pytest.approx(0.4)
    assert Curve(fractions, fractions).auc == pytest.approx(0.5)


def test_pixel_order_is_most_salient_first_and_breaks_ties_at_random():
    saliency = np.array([[0.1, 0.9], [0.5, 0.2]])
    assert pixel_order(saliency).tolist() == [1, 2, 3, 0]
    flat = pixel_order(np.zeros((10, 10)))
    assert sorted(flat.tolist()) == list(range(100)) and flat.tolist() != list(range(100))


def test_deletion_checks_the_map_size(linear, x):
    with pytest.raises(ValueError, match="does not match"):
        deletion_insertion(linear, x, 0, np.zeros((3, 3)))


def test_step_sizes_are_fine_near_the_output():
    assert step_sizes(4, 6) == [1, 2, 3, 4]
    assert step_sizes(19, 6) == [1, 2, 3, 6, 11, 19]
    assert step_sizes(50, 3) == [1, 7, 50]


def test_randomising_a_linear_model_turns_its_gradient_into_the_new_weights(linear, x):
    check = cascading_randomisation(linear, x, 0, get_method("saliency"), seed=5)
    assert len(check.steps) == 1 and check.steps[0].modules == 1
    torch.manual_seed(5)  # the seed of the first step
    fresh = nn.Linear(C * H * W, 2)
    np.testing.assert_allclose(check.steps[0].map, fresh.weight[0].detach().reshape(C, H, W).sum(0).numpy(),
                               rtol=1e-5, atol=1e-6)
    assert check.steps[0].spearman < 0.5
    assert float(linear[1].weight[1].abs().sum()) == 0  # the model itself was not touched


@pytest.fixture(scope="module")
def digits():
    spec = get_spec("digits_cnn")
    model = load_model("digits_cnn").requires_grad_(False)
    from sklearn.datasets import load_digits

    image = torch.tensor(load_digits().images[3] / 16, dtype=torch.float32).view(1, 1, 8, 8)
    return spec, model, image


def test_layer_groups_follow_the_named_layers_from_the_output_down(digits):
    spec, model, x = digits
    assert layer_groups(model, x, spec) == [("output layer", ["fc"]), ("conv3", ["conv3"]),
                                            ("conv2", ["conv2"]), ("conv1", ["conv1"])]


def test_sanity_check_on_digits_exposes_guided_backprop_not_gradcam(digits):
    spec, model, x = digits
    before = {k: v.clone() for k, v in model.state_dict().items()}
    gradcam = cascading_randomisation(model, x, 3, get_method("gradcam"), spec=spec)
    guided = cascading_randomisation(model, x, 3, get_method("guided_backprop"), spec=spec)
    assert [s.label for s in gradcam.steps] == ["output layer", "conv3", "conv2", "conv1"]
    assert [s.groups for s in gradcam.steps] == [1, 2, 3, 4]
    # Grad-CAM depends on the trained classifier; guided backprop barely notices it is gone.
    assert gradcam.steps[0].spearman < 0.6 < guided.steps[0].spearman
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
