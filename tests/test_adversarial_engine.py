"""Adversarial engine: known answers on a hand-built linear model, 8-bit rounding, saving, flip ε, transfer."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from udl_viz.adversarial import (
    attack,
    flip_epsilon,
    fooled,
    perturb,
    robustness_curves,
    suggested_target,
    transfer,
)
from udl_viz.adversarial.pixels import load_crop, predict_pixels, save_crop
from udl_viz.models.spec import Layer, ModelSpec, Preprocess


def linear_spec(classes: int = 2, size: int = 4) -> ModelSpec:
    return ModelSpec(
        name="linear", title="Linear", description="", weights_source="", builder=lambda: None,
        preprocess=Preprocess(resize=size, crop=size, scale=lambda x: (x - 127) / 128,
                              unscale=lambda x: x * 128 + 127, elementwise=True),
        class_names=lambda: [f"class {i}" for i in range(classes)], layers=(Layer("0", "flatten"),),
        first_conv="1", cam_layer="0")


def linear_model(seed: int = 0, classes: int = 2, size: int = 4) -> nn.Module:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * size * size, classes))
    return model.eval().requires_grad_(False)


def crop(seed: int = 1, size: int = 4) -> np.ndarray:
    return np.random.default_rng(seed).integers(20, 236, (size, size, 3), dtype=np.uint8)


def test_fgsm_on_a_linear_model_moves_each_pixel_by_eps_along_the_weight_difference():
    # Two classes, label 0: d CE / d x = p1 (w1 - w0) / 128, so FGSM adds eps * sign(w1 - w0).
    model, spec, pixels = linear_model(), linear_spec(), crop()
    w = model[1].weight
    direction = torch.sign(w[1] - w[0]).view(3, 4, 4).permute(1, 2, 0).numpy()
    label = int(predict_pixels(model, spec, pixels)[0].argmax())
    sign = 1 if label == 0 else -1
    out = perturb(model, spec, pixels, [label], method="fgsm", eps=5)[0]
    np.testing.assert_array_equal(out.astype(int), pixels.astype(int) + sign * 5 * direction.astype(int))


def test_targeted_fgsm_steps_towards_the_target():
    model, spec, pixels = linear_model(), linear_spec(), crop()
    label = int(predict_pixels(model, spec, pixels)[0].argmax())
    other = 1 - label
    away = perturb(model, spec, pixels, [label], method="fgsm", eps=3)
    towards = perturb(model, spec, pixels, [other], method="fgsm", eps=3, targeted=True)
    np.testing.assert_array_equal(away, towards)  # two classes: leaving one is reaching the other


def test_fgsm_respects_the_pixel_range():
    model, spec = linear_model(), linear_spec()
    pixels = np.full((4, 4, 3), 254, dtype=np.uint8)
    pixels[0] = 1
    out = perturb(model, spec, pixels, [0], method="fgsm", eps=10)[0]
    assert out.min() >= 0 and out.max() <= 255


@pytest.mark.parametrize("eps", [0.4, 1, 2.7, 6])
def test_pgd_result_is_whole_levels_within_eps_and_judged_after_rounding(eps):
    model, spec, pixels = linear_model(3, classes=10, size=6), linear_spec(10, 6), crop(size=6)
    result = attack(model, spec, pixels, method="pgd", eps=eps, steps=7)
    assert result.adversarial.dtype == np.uint8 and result.adversarial.shape == pixels.shape
    assert result.linf <= eps
    probs = predict_pixels(model, spec, result.adversarial)[0]
    assert result.adv_label == int(probs.argmax())
    assert result.success == (result.adv_label != result.label)
    if eps < 1:
        np.testing.assert_array_equal(result.adversarial, pixels)


def test_saved_png_loaded_again_still_fools_and_stays_within_eps(tmp_path):
    model, spec, pixels = linear_model(5, classes=10, size=8), linear_spec(10, 8), crop(size=8)
    result = attack(model, spec, pixels, method="pgd", eps=8, steps=10)
    assert result.success
    save_crop(result.adversarial, tmp_path / "adv.png")
    again = load_crop(tmp_path / "adv.png")
    np.testing.assert_array_equal(again, result.adversarial)
    assert np.abs(again.astype(int) - pixels.astype(int)).max() <= 8
    assert int(predict_pixels(model, spec, again)[0].argmax()) != result.label


def test_targeted_pgd_reaches_the_target_on_a_linear_model():
    model, spec, pixels = linear_model(7, classes=10, size=8), linear_spec(10, 8), crop(size=8)
    label = int(predict_pixels(model, spec, pixels)[0].argmax())
    target = (label + 3) % 10
    result = attack(model, spec, pixels, method="pgd", eps=16, target=target, steps=20)
    assert result.success and result.adv_label == target


def test_attack_reports_progress_and_refuses_a_target_out_of_range():
    model, spec, pixels = linear_model(), linear_spec(), crop()
    seen = []
    attack(model, spec, pixels, method="pgd", eps=2, steps=4, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    with pytest.raises(ValueError, match="out of range"):
        attack(model, spec, pixels, target=2)


def test_fooled_and_suggested_target():
    assert fooled(3, 1, None) and not fooled(1, 1, None)
    assert fooled(5, 1, 5) and not fooled(3, 1, 5)
    names = ["a"] * 269 + ["timber wolf"] + ["Siberian husky"]
    assert suggested_target(names, 0) == 269 and suggested_target(names, 269) == 270
    assert suggested_target(["0", "1", "2"], 2) == 0


def test_flip_epsilon_is_the_smallest_eps_that_fools():
    model, spec, pixels = linear_model(5, classes=10, size=8), linear_spec(10, 8), crop(size=8)
    flip = flip_epsilon(model, spec, pixels, method="fgsm", max_eps=64)
    assert flip.eps is not None and flip.adv_label != flip.label
    assert attack(model, spec, pixels, method="fgsm", eps=flip.eps).success
    assert not attack(model, spec, pixels, method="fgsm", eps=flip.eps - 1).success


def test_flip_epsilon_is_none_when_nothing_in_range_fools():
    model, spec = linear_model(), linear_spec()
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].bias.copy_(torch.tensor([1.0, 0.0]))
    flip = flip_epsilon(model, spec, crop(), method="fgsm", max_eps=8)
    assert flip.eps is None and flip.adv_label is None


def test_robustness_curves_start_at_full_accuracy_and_fall():
    model, spec = linear_model(5, classes=10, size=8), linear_spec(10, 8)
    images = {f"photo {i}": Image.fromarray(crop(i, 8)) for i in range(4)}
    seen = []
    curves = robustness_curves(model, spec, images, epsilons=(0, 2, 32), steps=3,
                               progress=lambda d, t: seen.append((d, t)))
    assert [c.method for c in curves] == ["fgsm", "pgd"]
    for curve in curves:
        assert curve.accuracy[0] == 1.0 and curve.accuracy[-1] < 1.0
        assert curve.kept.shape == (3, 4)
    assert seen[-1] == (2 * (1 + 3), 2 * (1 + 3))


def test_transfer_to_the_same_model_is_fooled_and_needs_the_same_classes():
    model, spec, pixels = linear_model(5, classes=10, size=8), linear_spec(10, 8), crop(size=8)
    result = attack(model, spec, pixels, method="pgd", eps=8, steps=10)
    same = transfer(result, model, spec, spec.class_names())
    assert same.fooled == result.success and same.adversarial_top[0].index == result.adv_label
    with pytest.raises(ValueError, match="other classes"):
        transfer(result, model, spec, ["x"] * 10)


def test_pgd_strength_on_a_few_imagenet_photos(shared_data):
    # The full 100-photo measurement is benchmarks/bench_adversarial.py; this is its first three photos.
    import csv

    from udl_viz.adversarial.pixels import crop_pixels
    from udl_viz.models import get_spec, load_model

    folder = shared_data / "imagenet-sample-100"
    rows = list(csv.DictReader((folder / "labels.csv").open()))[:3]
    spec, model = get_spec("efficientnet_lite0"), load_model("efficientnet_lite0").requires_grad_(False)
    pixels = np.stack([crop_pixels(spec, Image.open(folder / "images" / r["filename"]).convert("RGB")) for r in rows])
    labels = predict_pixels(model, spec, pixels).argmax(dim=1)
    untargeted = perturb(model, spec, pixels, labels.tolist(), method="pgd", eps=2, steps=10)
    assert (predict_pixels(model, spec, untargeted).argmax(dim=1) != labels).all()
    targets = (labels + 500) % 1000
    targeted = perturb(model, spec, pixels, targets.tolist(), method="pgd", eps=8, steps=10, targeted=True)
    assert (predict_pixels(model, spec, targeted).argmax(dim=1) == targets).sum() >= 2
