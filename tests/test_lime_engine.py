"""LIME engine: known answers on models that look at known regions, reproducibility, lime equivalence."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from lime.lime_image import LimeImageExplainer
from PIL import Image
from scipy.stats import spearmanr
from torch import nn

from udl_viz.folding import activations_in_place, fold_batchnorm
from udl_viz.lime_image import (
    ALGORITHMS,
    BatchClassifier,
    LimeInputError,
    Segmentation,
    StopRule,
    explain,
    fast_copy,
    model_pixels,
    pixel_spearman,
    run_seeds,
    segment,
)
from udl_viz.lime_image.explainer import hide_colour
from udl_viz.models import get_spec, load_model

SIDE, CELL = 96, 24  # a 4×4 grid of 24-pixel squares


@pytest.fixture(scope="module")
def grid() -> np.ndarray:
    """Sixteen squares of distinct colours with a little noise: every algorithm finds them."""
    rng = np.random.default_rng(0)
    colours = rng.permutation(np.linspace(20, 235, 16)).reshape(4, 4)
    pixels = np.zeros((SIDE, SIDE, 3))
    for i in range(4):
        for j in range(4):
            pixels[i * CELL:(i + 1) * CELL, j * CELL:(j + 1) * CELL] = [colours[i, j], 255 - colours[i, j], 128]
    return np.clip(pixels + rng.normal(0, 3, pixels.shape), 0, 255).astype(np.uint8)


REGION = (slice(CELL, 2 * CELL), slice(2 * CELL, 3 * CELL))  # row 1, column 2


class RegionModel(nn.Module):
    """Two classes; the logit of class 1 is the mean of channel 0 inside ``REGION`` only."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = 8 * x[:, 0, REGION[0], REGION[1]].mean(dim=(1, 2))
        return torch.stack([-score, score], dim=1)


def linear_classifier(segments: np.ndarray, pixels: np.ndarray, coefs: np.ndarray):
    """A "model" whose class-1 probability is a logistic function of which superpixels are intact."""
    n = len(coefs)

    def classify(images: np.ndarray) -> np.ndarray:
        intact = np.stack([(images[:, segments == s] == pixels[segments == s]).all(axis=(1, 2)) for s in range(n)], 1)
        p = 1 / (1 + np.exp(-(intact @ coefs - coefs.sum() / 2)))
        return np.stack([1 - p, p], axis=1)

    return classify


def inside_region(segments: np.ndarray, superpixel: int) -> float:
    mask = segments == superpixel
    return float(mask[REGION].sum() / mask.sum())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_model_that_looks_at_one_region_gets_it_as_the_top_superpixel(grid, algorithm):
    segments = segment(grid, Segmentation(algorithm))
    classifier = BatchClassifier(RegionModel(), lambda p: p / 255, precision="float32")
    result = explain(classifier, grid, segments, 1, num_samples=300, hide="black", seed=3, stop=None)
    top = result.top(1)[0]
    assert inside_region(segments, top) > 0.9
    outside = [s for s in range(result.n_superpixels) if inside_region(segments, s) == 0]
    assert result.weights[top] > 5 * np.abs(result.weights[outside]).max()


def test_lime_recovers_the_ranking_of_a_known_linear_model_and_stops_early(grid):
    segments = segment(grid, Segmentation("slic", {"n_segments": 16}))
    n = segments.max() + 1
    coefs = np.linspace(-2, 2, n)[np.random.default_rng(1).permutation(n)]
    result = explain(linear_classifier(segments, grid, coefs), grid, segments, 1, num_samples=2000, hide="gray", seed=0)
    assert result.stopped_early and result.samples < 2000
    assert result.estimated_fidelity >= result.trace[-1]["stop_at"] >= StopRule().floor
    assert spearmanr(result.weights, coefs).statistic > 0.95
    assert set(result.top(5)) == set(np.argsort(-coefs)[:5].tolist())
    assert [row["samples"] for row in result.trace] == sorted(row["samples"] for row in result.trace)


@pytest.mark.parametrize("stop", [StopRule(), None])
def test_partial_results_come_at_each_check_and_end_with_the_final_result(grid, stop):
    segments = segment(grid, Segmentation("slic", {"n_segments": 16}))
    n = segments.max() + 1
    coefs = np.linspace(-2, 2, n)[np.random.default_rng(1).permutation(n)]
    partials = []
    result = explain(linear_classifier(segments, grid, coefs), grid, segments, 1, num_samples=700, hide="gray",
                     seed=0, stop=stop, partial=partials.append)
    schedule = stop or StopRule()
    checks = [p.samples for p in partials[:-1]]
    assert checks and checks[0] >= schedule.min_samples
    assert all(b - a == schedule.check_every for a, b in zip(checks, checks[1:], strict=False))
    assert all(p.weights.shape == (n,) and p.segments is segments for p in partials)
    assert partials[-1] is result and checks[-1] < result.samples
    if stop is not None:  # a check that stops sampling gives the final result itself
        assert [row["samples"] for row in result.trace] in (checks, [*checks, result.samples])
    else:  # without a stop rule every check is reported, up to the last sample
        assert len(checks) == (700 - schedule.min_samples) // schedule.check_every + 1
    assert spearmanr(partials[0].weights, result.weights).statistic > 0.9


def test_a_fixed_seed_reproduces_the_explanation_and_another_seed_does_not(grid):
    segments = segment(grid, Segmentation("felzenszwalb"))
    classifier = BatchClassifier(RegionModel(), lambda p: p / 255, precision="float32")
    runs = [explain(classifier, grid, segments, 1, num_samples=200, hide=hide, seed=seed)
            for seed, hide in ((7, "mean"), (7, "mean"), (8, "mean"))]
    np.testing.assert_array_equal(runs[0].weights, runs[1].weights)
    assert runs[0].samples == runs[1].samples
    assert not np.array_equal(runs[0].weights, runs[2].weights)


def test_without_the_speed_ups_we_compute_exactly_what_lime_computes(grid):
    segments = segment(grid, Segmentation("quickshift"))
    classifier = BatchClassifier(RegionModel(), lambda p: p / 255, precision="float32")
    ours = explain(classifier, grid, segments, 1, num_samples=150, hide="black", seed=5, stop=None, antithetic=False,
                   batch_size=10)
    exp = LimeImageExplainer(random_state=5).explain_instance(
        grid, classifier, labels=(1,), top_labels=None, hide_color=0, num_samples=150, batch_size=10,
        segmentation_fn=lambda _image: segments, random_seed=5)
    theirs = np.zeros(segments.max() + 1)
    for feature, weight in exp.local_exp[1]:
        theirs[feature] = weight
    np.testing.assert_allclose(ours.weights, theirs, rtol=1e-10, atol=1e-12)
    assert ours.intercept == pytest.approx(exp.intercept[1])


def test_progress_is_reported_after_every_batch(grid):
    segments = segment(grid, Segmentation("slic"))
    calls = []
    explain(BatchClassifier(RegionModel(), lambda p: p / 255), grid, segments, 1, num_samples=130, batch_size=64,
            stop=None, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(65, 130), (129, 130), (130, 130)]  # the first batch also holds the unperturbed image


def test_blas_runs_on_one_thread_while_explaining_and_is_restored_after(grid):
    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    segments = segment(grid, Segmentation("slic"))
    before = blas_threads()
    seen = []
    classify = BatchClassifier(RegionModel(), lambda p: p / 255)

    def watching(images):
        seen.append(blas_threads())  # the stop rule's fits come between these calls
        return classify(images)

    explain(watching, grid, segments, 1, num_samples=400, seed=0)
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == before


def test_stability_over_seeds(grid):
    segments = segment(grid, Segmentation("slic", {"n_segments": 16}))
    n = segments.max() + 1
    coefs = np.linspace(-2, 2, n)
    stability = run_seeds(linear_classifier(segments, grid, coefs), grid, segments, 1, [0, 1, 2], num_samples=400,
                          hide="black")
    assert stability.weights.shape == (3, n) and stability.seeds == [0, 1, 2]
    top, count = stability.modal_agreement()
    assert top == frozenset(np.argsort(-coefs)[:5].tolist()) and count == 3
    assert stability.mean_overlap() == 1.0
    assert (stability.std < np.abs(stability.mean).max() / 5).all()
    np.testing.assert_array_equal(stability.top_frequency()[list(top)], 1.0)


def test_pixel_spearman_equals_scipy_on_the_pixel_maps():
    rng = np.random.default_rng(2)
    segments = rng.integers(0, 12, (30, 40))
    a, b = rng.normal(size=12), rng.normal(size=12)
    a[3] = a[5] = a[7]  # ties across superpixels
    sizes = np.bincount(segments.ravel(), minlength=12).astype(float)
    expected = spearmanr(a[segments].ravel(), b[segments].ravel()).statistic
    assert pixel_spearman(a, b, sizes) == pytest.approx(expected, abs=1e-12)
    assert pixel_spearman(a, np.zeros(12), sizes) == 0.0


def test_segmentations_number_superpixels_from_zero(grid):
    for algorithm in ALGORITHMS:
        segments = segment(grid, Segmentation(algorithm))
        assert segments.shape == grid.shape[:2]
        assert set(np.unique(segments)) == set(range(segments.max() + 1)), algorithm
    tiny = np.random.default_rng(0).integers(0, 255, (8, 8, 3), dtype=np.uint8)
    np.testing.assert_array_equal(segment(tiny), np.arange(64).reshape(8, 8))  # digits: pixel by pixel


def test_bad_inputs_give_plain_messages(grid):
    spec = get_spec("efficientnet_lite0")
    with pytest.raises(LimeInputError, match="1×1 pixels: too small"):
        model_pixels(spec, Image.new("RGB", (1, 1), (200, 10, 10)))
    with pytest.raises(LimeInputError, match="1×1 pixels: too small"):
        segment(np.zeros((1, 1, 3), np.uint8))
    with pytest.raises(LimeInputError, match="uniform colour"):
        segment(model_pixels(spec, Image.new("RGB", (300, 200), (90, 120, 30))))
    two_halves = np.zeros((64, 64, 3), np.uint8)
    two_halves[:, 32:] = 3
    with pytest.raises(LimeInputError, match="only one superpixel"):
        segment(two_halves, Segmentation("felzenszwalb", {"scale": 5000, "min_size": 5000}))
    with pytest.raises(LimeInputError, match=r"slic: Number of superpixels \(approx.\) must be between 2 and 500"):
        segment(grid, Segmentation("slic", {"n_segments": 1}))
    with pytest.raises(LimeInputError, match="slic has no setting kernel_size"):
        segment(grid, Segmentation("slic", {"kernel_size": 3}))
    with pytest.raises(LimeInputError, match="Unknown segmentation"):
        segment(grid, Segmentation("watershed"))
    segments = segment(grid)
    classifier = BatchClassifier(RegionModel(), lambda p: p / 255)
    with pytest.raises(LimeInputError, match="between"):
        explain(classifier, grid, segments, 1, num_samples=5)
    with pytest.raises(LimeInputError, match="does not exist"):
        explain(classifier, grid, segments, 2, num_samples=50)
    with pytest.raises(LimeInputError, match="Unknown hide colour"):
        explain(classifier, grid, segments, 1, hide="pink")


def test_hide_colours(grid):
    segments = segment(grid)
    assert hide_colour(grid, segments, "mean") is None  # lime's own per-superpixel mean
    assert hide_colour(grid, segments, "gray") == 128 and hide_colour(grid, segments, "black") == 0
    blurred = hide_colour(grid, segments, "blur")
    assert blurred.shape == grid.shape and blurred.dtype == np.uint8
    assert np.abs(blurred.astype(int) - grid).mean() > 5
    pixel_segments = np.arange(SIDE * SIDE).reshape(SIDE, SIDE)
    np.testing.assert_allclose(hide_colour(grid, pixel_segments, "mean"), grid.reshape(-1, 3).mean(0))


class SharedConv(nn.Module):
    """conv -> bn, but the conv's output is also added back: folding the bn here would be wrong."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)
        self.head = nn.Linear(3, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        return self.head((self.bn(y) + y).mean(dim=(2, 3)))


def _with_statistics(model: nn.Module) -> nn.Module:
    for bn in model.modules():
        if isinstance(bn, nn.BatchNorm2d):
            bn.running_mean.uniform_(-1, 1)
            bn.running_var.uniform_(0.5, 2)
    return model.eval().requires_grad_(False)


def test_fast_copy_folds_batchnorm_only_where_that_keeps_the_outputs():
    torch.manual_seed(0)
    plain = _with_statistics(nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU6(), nn.Flatten(),
                                           nn.Linear(4 * 6 * 6, 2)))
    x = torch.rand(5, 3, 8, 8)
    fast = fast_copy(plain, (3, 8, 8))
    assert isinstance(fast[1], nn.Identity) and isinstance(plain[1], nn.BatchNorm2d)  # the shared one is untouched
    with torch.inference_mode():
        torch.testing.assert_close(fast(x.contiguous(memory_format=torch.channels_last)), plain(x), rtol=1e-4,
                                   atol=1e-5)
    shared = _with_statistics(SharedConv())
    assert fold_batchnorm(shared, (3, 8, 8)) == 0 and isinstance(shared.bn, nn.BatchNorm2d)


class ReusedInput(nn.Module):
    """relu(x) + x: a ReLU working in place would change the x that is added back."""

    def __init__(self) -> None:
        super().__init__()
        self.relu = nn.ReLU6()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.relu(x) + x).mean(dim=(2, 3))


def test_activations_go_in_place_only_where_that_keeps_the_outputs():
    chain = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU6(), nn.Conv2d(4, 2, 3), nn.ReLU(), nn.Flatten())
    assert activations_in_place(chain, (3, 8, 8)) == 2 and chain[1].inplace and chain[3].inplace
    reused = ReusedInput()
    assert activations_in_place(reused, (3, 8, 8)) == 0 and not reused.relu.inplace


def test_elementwise_scaling_of_a_batch_equals_scaling_image_by_image(grid):
    spec = get_spec("efficientnet_lite0")
    assert spec.preprocess.elementwise and not get_spec("digits_cnn").preprocess.elementwise
    model = nn.Sequential(nn.Conv2d(3, 4, 3, stride=4), nn.Flatten(), nn.LazyLinear(5))
    model(torch.zeros(1, 3, SIDE, SIDE))
    images = np.stack([grid, grid[::-1], 255 - grid])
    batched = BatchClassifier(model, spec.preprocess.scale, precision="float32", elementwise=True)(images)
    one_by_one = BatchClassifier(model, spec.preprocess.scale, precision="float32", elementwise=False)(images)
    np.testing.assert_allclose(batched, one_by_one, rtol=1e-6)


def test_the_fast_copy_of_efficientnet_gives_the_models_probabilities():
    spec = get_spec("efficientnet_lite0")
    model = load_model(spec.name)
    fast = fast_copy(model, (3, 224, 224))
    assert not any(isinstance(m, nn.BatchNorm2d) for m in fast.modules())
    assert all(m.inplace for m in fast.modules() if isinstance(m, nn.ReLU6))
    assert not any(m.inplace for m in model.modules() if isinstance(m, nn.ReLU6))  # the shared model is untouched
    images = np.random.default_rng(0).integers(0, 256, (3, 224, 224, 3), dtype=np.uint8)
    x = torch.stack([spec.preprocess.scale(torch.from_numpy(i).permute(2, 0, 1).float()) for i in images])
    with torch.inference_mode():
        expected = torch.softmax(model(x), dim=1).numpy()
    fast_probs = BatchClassifier.for_spec(fast, spec, "float32")(images)
    np.testing.assert_allclose(fast_probs, expected, atol=1e-5)
    bf16 = BatchClassifier.for_spec(fast, spec, "bfloat16")(images)
    assert (bf16.argmax(1) == expected.argmax(1)).all() and np.abs(bf16 - expected).max() < 0.05
