"""The LIME page's cached loaders (segmentation per image and settings, explanations, stability) and metrics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image
from torch import nn

from udl_viz.lime_image import (
    BatchClassifier,
    LimeInputError,
    LimeResult,
    Segmentation,
    Stability,
    StopRule,
    explain,
    fast_copy,
    model_pixels,
    run_seeds,
    segment,
)
from udl_viz.ui.loaders import resolve, shared
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.sidebar import CnnContext

Params = tuple[tuple[str, float], ...]


@st.cache_resource(show_spinner=False, max_entries=4)
def fast_model(model_name: str) -> nn.Module:
    """A private inference copy of the shared model (BatchNorm folded, channels-last) for LIME."""
    spec, model = resolve(model_name)
    return fast_copy(model, (spec.channels, spec.input_size, spec.input_size))


@st.cache_data(show_spinner="Finding superpixels…", max_entries=64)
def cached_segments(model_name: str, image_key: str, algorithm: str, params: Params,
                    _image: Image.Image) -> np.ndarray:
    """Superpixels of the model's view of the image identified by ``image_key``."""
    spec, _ = resolve(model_name)
    return segment(model_pixels(spec, _image), Segmentation(algorithm, dict(params)))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_lime(model_name: str, image_key: str, target: int, algorithm: str, params: Params,
                num_samples: int, hide: str, seed: int, early_stop: bool, _image: Image.Image,
                _segments: np.ndarray) -> LimeResult:
    """One LIME explanation, with a progress bar while perturbations are evaluated.

    The bar is created inside the cached function so a cache hit replays it; every update is
    a point where streamlit can stop this run when the settings change.
    """
    spec, _ = resolve(model_name)

    def compute() -> LimeResult:
        bar = progress_bar("Evaluating perturbed images (at most):")
        result = explain(BatchClassifier.for_spec(fast_model(model_name), spec), model_pixels(spec, _image),
                         _segments, target, num_samples=num_samples, hide=hide, seed=seed,
                         stop=StopRule() if early_stop else None, progress=bar)
        bar.done()
        return result

    return shared("lime", model_name, (image_key, target, algorithm, params, num_samples, hide, seed, early_stop),
                  compute)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_stability(model_name: str, image_key: str, target: int, algorithm: str, params: Params,
                     num_samples: int, hide: str, seeds: tuple[int, ...], early_stop: bool,
                     _image: Image.Image, _segments: np.ndarray) -> Stability:
    """The same explanation over several seeds (``_segments`` as for ``cached_lime``)."""
    spec, _ = resolve(model_name)
    bar = progress_bar(f"Running {len(seeds)} seeds: perturbed images (at most)")
    result = run_seeds(BatchClassifier.for_spec(fast_model(model_name), spec), model_pixels(spec, _image), _segments,
                       target, seeds, num_samples=num_samples, hide=hide,
                       stop=StopRule() if early_stop else None, progress=bar)
    bar.done()
    return result


@dataclass(frozen=True)
class LimeChoice:
    """What to explain and how: class, segmentation and its parameters, samples, hide colour, seed, early stop."""

    target: int
    algorithm: str
    params: Params
    num_samples: int
    hide: str
    seed: int
    early_stop: bool


def explanation(ctx: CnnContext, choice: LimeChoice) -> tuple[np.ndarray, LimeResult] | None:
    """The superpixels and their explanation, or ``None`` after saying why LIME cannot explain this image."""
    try:
        segments = cached_segments(ctx.spec.name, ctx.image_key, choice.algorithm, choice.params, ctx.image)
        result = cached_lime(ctx.spec.name, ctx.image_key, choice.target, choice.algorithm, choice.params,
                             choice.num_samples, choice.hide, choice.seed, choice.early_stop, ctx.image, segments)
    except LimeInputError as exc:
        st.error(f"LIME cannot explain this image with these settings: {exc}")
        return None
    return segments, result


def result_metrics(result: LimeResult, class_name: str) -> None:
    """Samples used, superpixels, the linear model's fit and the class probability; a warning if none mattered."""
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Samples used", f"{result.samples} of {result.max_samples}",
              help="Stopped early: the ranking had converged." if result.stopped_early else None)
    m2.metric("Superpixels", result.n_superpixels)
    m3.metric("Fit of the linear model (weighted R²)", f"{result.score:.2f}")
    m4.metric(f"P({class_name}) on the full image", f"{result.target_prob:.1%}")
    if result.output_range < 1e-6:
        st.warning(f"Switching superpixels off never changed P({class_name}): every weight is zero. "
                   "Try another hide colour or segmentation.")


def seed_stability(ctx: CnnContext, choice: LimeChoice, segments: np.ndarray, k: int) -> Stability:
    """The explanation of ``choice`` for seeds ``choice.seed`` to ``choice.seed + k - 1``."""
    seeds = tuple(range(choice.seed, choice.seed + k))
    return cached_stability(ctx.spec.name, ctx.image_key, choice.target, choice.algorithm, choice.params,
                            choice.num_samples, choice.hide, seeds, choice.early_stop, ctx.image, segments)


def stability_metrics(stability: Stability) -> None:
    """How often the seeds agree on the top superpixels, and how many samples each used."""
    _, count = stability.modal_agreement()
    k = len(stability.seeds)
    st.metric(f"Same top-{stability.top_k} set", f"{count} of {k} seeds",
              help="How many seeds produced exactly the most common top-5 set.")
    st.metric(f"Mean top-{stability.top_k} overlap", f"{stability.mean_overlap():.0%}",
              help="Jaccard overlap of the top-5 sets, averaged over all pairs of seeds.")
    st.metric("Samples per seed", f"{int(np.mean(stability.samples))} on average")


#: ImageNet classes of dogs (151-268) and wolves, coyotes and other wild dogs (269-275).
CANINE = range(151, 276)

HUSKY_STORY = (
    "**The husky and the wolf.** Ribeiro et al. (2016) trained a classifier that told huskies from wolves "
    "quite well. LIME showed why: in its training photos wolves stood on snow, so the model had learned "
    "*snow = wolf*, and called a husky on snow a wolf. It was often right for the wrong reason, and only an "
    "explanation revealed it. Look at the orange superpixels above: are they on the animal, or on the "
    "background? Ask for *timber wolf* or *Siberian husky* under **Class to explain** and compare.")
PHOTO_STORY = (
    "**Right for the right reason?** The model calls this photo *{label}*. A classifier can be right for the "
    "wrong reason: one famous model told wolves from huskies by the snow behind them (Ribeiro et al. 2016). "
    "Look at the orange superpixels above: are they on the {label}, or on the background? Then pick the "
    "runner-up class under **Class to explain**: which parts speak for it instead?")
DIGIT_STORY = (
    "**Which strokes make the digit?** The model reads this digit as *{label}*. The orange superpixels above "
    "are the strokes that speak for it, the blue ones against it: would you have looked at the same ones?")


def lime_story(ctx: CnnContext) -> tuple[str, str]:
    """The lesson that fits the photo on screen, and its icon: husky and wolf only for a dog or a wolf."""
    top = ctx.predictions(1)[0]
    if len(ctx.spec.class_names()) == 1000 and top.index in CANINE:
        return HUSKY_STORY, "🐺"
    if ctx.spec.preprocess.grayscale:
        return DIGIT_STORY.format(label=top.label), "✏️"
    return PHOTO_STORY.format(label=top.label), "🔍"
