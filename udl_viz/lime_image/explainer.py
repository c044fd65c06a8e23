"""LIME for images with lime's ``LimeImageExplainer``, sampled faster and stopped once converged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from lime.lime_image import LimeImageExplainer
from PIL import Image
from skimage.filters import gaussian
from threadpoolctl import threadpool_limits

from udl_viz.lime_image.segmentation import ALGORITHMS, MIN_SIDE, LimeInputError
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report
from udl_viz.settings import Setting

HIDE_COLOURS = ("mean", "gray", "black", "blur")

#: The knobs of one LIME explanation (the segmentation's own are in ``segmentation.SETTINGS``).
ALGORITHM = Setting("segmentation", "Segmentation", "quickshift", choices=ALGORITHMS,
                    help="quickshift with lime's defaults; SLIC makes compact, even superpixels; "
                         "Felzenszwalb follows colour edges.")
SAMPLES = Setting("samples", "Samples (most perturbed images to evaluate)", 1000, minimum=20, maximum=5000, step=10,
                  help="lime's default is 1000. With early stopping on, fewer are used once the ranking of "
                       "superpixels has converged.")
HIDE = Setting("hide", "Hide colour (what a switched-off superpixel becomes)", "mean", choices=HIDE_COLOURS,
               widget="radio", help="mean: its own average colour (lime's default); gray, black; "
                                    "blur: a blurred copy of the photo.")
SEED = Setting("seed", "Random seed", 0, minimum=0, maximum=10_000, widget="number",
               help="The same seed and settings always give the same explanation.")
#: How many superpixels for and against the class the page shows (``LimeResult.top``).
SHOWN = Setting("shown", "Superpixels shown (for and against)", 5, minimum=1, maximum=10)
ClassifierFn = Callable[[np.ndarray], np.ndarray]
#: Called with the fit so far: weights, intercept, R² and the samples used.
Fit = Callable[[np.ndarray, float, float, int], None]


def model_pixels(spec: ModelSpec, image: Image.Image) -> np.ndarray:
    """The crop the model sees, as RGB uint8 (H, W, 3): what LIME perturbs."""
    if min(image.size) < MIN_SIDE:
        raise LimeInputError(f"The image is {image.width}×{image.height} pixels: too small to split into "
                             "regions. LIME needs a real photo.")
    return spec.preprocess.pixels(image)


def hide_colour(pixels: np.ndarray, segments: np.ndarray, hide: str) -> np.ndarray | int | None:
    """lime's ``hide_color`` for a switched-off superpixel: ``None`` means each superpixel's mean."""
    if hide == "mean":
        # A one-pixel superpixel's mean is itself: hiding it would change nothing, use the image's mean.
        return pixels.reshape(-1, 3).mean(axis=0) if segments.max() + 1 == segments.size else None
    if hide == "gray":
        return 128
    if hide == "black":
        return 0
    if hide == "blur":
        sigma = max(pixels.shape[:2]) / 25
        return gaussian(pixels, sigma=sigma, channel_axis=-1, preserve_range=True).round().astype(np.uint8)
    raise LimeInputError(f"Unknown hide colour {hide!r}; choose one of {', '.join(HIDE_COLOURS)}.")


def pixel_spearman(a: np.ndarray, b: np.ndarray, sizes: np.ndarray) -> float:
    """Spearman correlation of two per-pixel maps that are constant on regions of ``sizes`` pixels.

    Equals ``scipy.stats.spearmanr(a[segments].ravel(), b[segments].ravel())`` without building
    the pixel maps (0 when either map is constant).
    """
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    ra, rb = _pixel_ranks(a, sizes), _pixel_ranks(b, sizes)
    w = sizes / sizes.sum()
    da, db = ra - w @ ra, rb - w @ rb
    return float(w @ (da * db) / np.sqrt((w @ da**2) * (w @ db**2)))


def _pixel_ranks(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    unique, inverse = np.unique(values, return_inverse=True)
    counts = np.bincount(inverse, weights=sizes, minlength=len(unique))
    starts = np.cumsum(counts) - counts
    return (starts + (counts + 1) / 2)[inverse]


@dataclass(frozen=True)
class StopRule:
    """When to stop sampling: once the map is as faithful as lime's own sampling would make it.

    Every ``check_every`` samples from ``min_samples`` on, LIME's ridge model is fitted to two
    halves of the samples (alternate antithetic pairs) and their per-pixel weight maps are
    correlated (Spearman, r). Spearman-Brown turns r into the reliability of the full set,
    2r / (1 + r); its square root estimates how well the current map correlates with the map
    unlimited samples would give. The first sample of every pair is an independent draw, as all of
    lime's are: the same split of those, projected by Spearman-Brown to the budget, estimates
    how faithful lime's ``num_samples`` independent samples would be. Sampling stops when two
    checks in a row estimate the current map at least that faithful (less ``margin``), at least
    ``floor``, and agree on the ``top_k`` highest-weighted superpixels. A fixed target instead
    stopped easy photos short of lime's fidelity (benchmarks/bench_lime.py on held-out photos).
    """

    margin: float = 0.0
    floor: float = 0.9
    min_samples: int = 256
    check_every: int = 64
    top_k: int = 5


EARLY_STOP = Setting(
    "early_stop", "Stop early once converged", True,
    help=f"Every {StopRule.check_every} samples (from {StopRule.min_samples} on), LIME is fitted to two halves of "
         "the samples. How well the halves agree estimates how closely the full map matches the one unlimited "
         "samples would give. Sampling stops when two checks in a row estimate it as close as lime's own sampling "
         f"would get with all the samples, and agree on the top {StopRule.top_k} superpixels.")


@dataclass
class LimeResult:
    """One LIME explanation: a weight per superpixel for the target class, and how it was reached."""

    segments: np.ndarray  # (H, W) superpixel id 0..n-1 of every pixel
    weights: np.ndarray  # (n,) ridge coefficient of each superpixel
    intercept: float
    score: float  # weighted R² of the local linear model
    target: int
    target_prob: float  # the model's probability of the target on the unperturbed image
    output_range: float  # max - min of that probability over all samples (0: nothing mattered)
    samples: int
    max_samples: int
    seed: int
    trace: list[dict] = field(default_factory=list)  # one row per convergence check

    @property
    def stopped_early(self) -> bool:
        return self.samples < self.max_samples

    @property
    def n_superpixels(self) -> int:
        return len(self.weights)

    @property
    def estimated_fidelity(self) -> float | None:
        """The stop rule's last estimate of correlation with the converged map, if it ran."""
        return self.trace[-1]["estimated_fidelity"] if self.trace else None

    def pixel_weights(self) -> np.ndarray:
        """Each pixel's superpixel weight (H, W)."""
        return self.weights[self.segments]

    def top(self, k: int, sign: int = 1) -> list[int]:
        """Up to ``k`` superpixels with the largest positive (``sign=1``) or negative weights."""
        order = np.argsort(-sign * self.weights, kind="stable")
        return [int(i) for i in order[:k] if sign * self.weights[i] > 0]


class FastLimeImageExplainer(LimeImageExplainer):
    """lime's explainer with a faster, stoppable ``data_labels``; everything else is lime's own.

    lime draws every perturbation up front, builds each image with a Python loop over
    superpixels and calls the model in batches of 10. Here the images are built with one
    vectorised copy per batch, perturbations come in antithetic pairs (a random on/off
    pattern and its complement: every superpixel is on in exactly half the samples, which
    lowers the variance of the ridge weights), and ``StopRule`` ends sampling once the
    explanation has converged. ``antithetic=False`` draws exactly lime's samples.
    """

    def __init__(self, target: int, *, stop: StopRule | None = None, progress: Progress | None = None,
                 antithetic: bool = True, on_fit: Fit | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.stop = stop
        self.progress = progress
        self.on_fit = on_fit
        self.antithetic = antithetic
        self.trace: list[dict] = []
        self.samples = 0
        self.first_probs = np.zeros(0)
        self.output_range = 0.0

    def design(self, num_samples: int, n_features: int) -> np.ndarray:
        """The on/off matrix (num_samples, n_features); row 0 is the unperturbed image."""
        if self.antithetic:
            pairs = self.random_state.randint(0, 2, (num_samples // 2, n_features))
            data = np.empty((2 * len(pairs), n_features), dtype=pairs.dtype)
            data[0::2], data[1::2] = pairs, 1 - pairs
            data = np.vstack([np.ones((1, n_features), dtype=data.dtype), data])[:num_samples]
        else:
            data = self.random_state.randint(0, 2, num_samples * n_features).reshape((num_samples, n_features))
        data[0, :] = 1
        return data

    def data_labels(self, image, fudged_image, segments, classifier_fn, num_samples, batch_size=10):
        n_features = int(segments.max()) + 1
        data = self.design(num_samples, n_features)
        labels: list[np.ndarray] = []
        done, last_check, previous = 0, 0, None
        # Without a stop rule, fits for ``on_fit`` still come on the default rule's schedule.
        schedule = self.stop or StopRule()
        while done < num_samples:
            # The first batch also takes row 0, so that later batches end on whole antithetic pairs.
            rows = data[done:done + batch_size + (done == 0)]
            probs = np.asarray(classifier_fn(self._perturb(rows, image, fudged_image, segments)))
            if not 0 <= self.target < probs.shape[1]:
                raise LimeInputError(f"Class {self.target} does not exist: the model has {probs.shape[1]} classes.")
            labels.append(probs)
            self.first_probs = labels[0][0]
            done += len(rows)
            report(self.progress, done, num_samples)
            if (self.stop is None and self.on_fit is None) or done >= num_samples \
                    or done < schedule.min_samples or done - last_check < schedule.check_every:
                continue
            last_check = done
            so_far = np.concatenate(labels)
            self.output_range = float(np.ptp(so_far[:, self.target]))
            weights, intercept, score = self._fit(data[:done], so_far)
            if self.stop is not None:
                fidelity, lime_fidelity = self._estimate(data[:done], so_far, segments, num_samples)
                stop_at = max(self.stop.floor, lime_fidelity - self.stop.margin)
                top = frozenset(np.argsort(-weights, kind="stable")[: self.stop.top_k].tolist())
                stable = previous is not None and top == previous[1]
                self.trace.append({"samples": done, "estimated_fidelity": fidelity, "stop_at": stop_at,
                                   "top_stable": stable})
                if stable and fidelity >= stop_at and previous[0]:
                    break  # the final fit, on these same samples, is reported by ``explain``
                previous = fidelity >= stop_at, top
            if self.on_fit is not None:
                self.on_fit(weights, intercept, score, done)
        probs = np.concatenate(labels)
        self.samples = done
        self.output_range = float(np.ptp(probs[:, self.target]))
        return data[:done], probs

    @staticmethod
    def _perturb(rows: np.ndarray, image: np.ndarray, fudged_image: np.ndarray, segments: np.ndarray) -> np.ndarray:
        """One image per row of the design, C-contiguous (``np.where`` would not give that here)."""
        images = np.empty((len(rows), *image.shape), dtype=np.result_type(image, fudged_image))
        images[:] = fudged_image
        np.copyto(images, image, where=rows.astype(bool)[:, segments][..., None])
        return images

    def _estimate(self, data: np.ndarray, labels: np.ndarray, segments: np.ndarray,
                  budget: int) -> tuple[float, float]:
        """Estimated correlations with the converged map: this map's, and that of ``budget`` independent samples."""
        sizes = np.bincount(segments.ravel(), minlength=data.shape[1]).astype(float)
        rows = np.arange(len(data))
        pair = (rows - 1) // 2  # row 0, the unperturbed image, is in every half
        alternate = [(pair % 2 == h) | (pair < 0) for h in (0, 1)]
        first = (rows % 2 == 1) | (pair < 0)
        r_all, r_first = (self._split_half(data, labels, [np.flatnonzero(h & keep) for h in alternate], sizes)
                          for keep in (True, first))
        k = budget / (first.sum() / 2)  # the independent halves hold about n/4 samples each
        return float(np.sqrt(2 * r_all / (1 + r_all))), float(np.sqrt(k * r_first / (1 + (k - 1) * r_first)))

    def _split_half(self, data: np.ndarray, labels: np.ndarray, halves: list[np.ndarray], sizes: np.ndarray) -> float:
        wa, wb = (self._fit(data[i], labels[i])[0] for i in halves)
        return max(pixel_spearman(wa, wb, sizes), 0.0)

    def _fit(self, data: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float, float]:
        """LIME's ridge fit on these samples: a weight per superpixel, the intercept and R²."""
        # The cosine distance to the all-on row, as explain_instance computes it.
        distances = 1 - np.sqrt(data.sum(axis=1) / data.shape[1])
        intercept, exp, score, _ = self.base.explain_instance_with_data(data, labels, distances, self.target,
                                                                        num_features=data.shape[1])
        weights = np.zeros(data.shape[1])
        for feature, weight in exp:
            weights[feature] = weight
        return weights, float(intercept), float(score)


def explain(classifier_fn: ClassifierFn, pixels: np.ndarray, segments: np.ndarray, target: int, *,
            num_samples: int = 1000, hide: str = "mean", seed: int = 0, batch_size: int = 8,
            stop: StopRule | None = StopRule(), antithetic: bool = True,
            progress: Progress | None = None, partial: Callable[[LimeResult], None] | None = None) -> LimeResult:
    """Explain ``classifier_fn``'s probability of class ``target`` for ``pixels`` (H, W, 3) by superpixel.

    ``segments`` comes from ``segment``. At most ``num_samples`` perturbations are evaluated
    (fewer when ``stop`` finds the ranking converged); ``progress(done, total)`` is called after
    every batch. ``partial(result)``, if given, gets the explanation fitted to the samples so far
    at every check of the stop rule (on the default rule's schedule when ``stop`` is None), and
    last the final result. The same ``seed`` gives the same result. Small batches are faster per image on
    CPU: a batch of 8 keeps each layer's activations in cache (1.7x the throughput of 32 here).
    """
    try:
        SAMPLES.check(num_samples)
    except ValueError as exc:
        raise LimeInputError(str(exc)) from None
    if batch_size < 1:
        raise LimeInputError(f"The batch size must be at least 1, got {batch_size}.")
    if segments.shape != pixels.shape[:2]:
        raise LimeInputError(f"The segmentation {segments.shape} does not match the image {pixels.shape[:2]}.")
    if segments.max() < 1:
        raise LimeInputError("The image has only one superpixel; LIME needs at least two regions to compare.")
    if target < 0:
        raise LimeInputError(f"Class {target} does not exist.")
    def result(weights: np.ndarray, intercept: float, score: float, samples: int) -> LimeResult:
        return LimeResult(segments=segments, weights=weights, intercept=intercept, score=score, target=target,
                          target_prob=float(explainer.first_probs[target]), output_range=explainer.output_range,
                          samples=samples, max_samples=num_samples, seed=seed, trace=list(explainer.trace))

    on_fit = None if partial is None else lambda *fit: partial(result(*fit))
    explainer = FastLimeImageExplainer(target, stop=stop, progress=progress, antithetic=antithetic,
                                       on_fit=on_fit, random_state=seed)
    # The stop rule's small ridge fits run between forward passes: with two BLAS threads, OpenBLAS's
    # helper keeps spinning after each fit and takes a core from the model (1000 samples: 3.9 s vs 3.0 s).
    with threadpool_limits(1, user_api="blas"):
        exp = explainer.explain_instance(
            pixels, classifier_fn, labels=(target,), top_labels=None, hide_color=hide_colour(pixels, segments, hide),
            num_samples=num_samples, batch_size=batch_size, segmentation_fn=lambda _image: segments,
            random_seed=seed)
    weights = np.zeros(int(segments.max()) + 1)
    for feature, weight in exp.local_exp[target]:
        weights[feature] = weight
    final = result(weights, float(exp.intercept[target]), float(exp.score), explainer.samples)
    if partial is not None:
        partial(final)
    return final
