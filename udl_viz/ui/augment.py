"""Widgets and cached loaders for the data-augmentation page."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st
from PIL import Image

from udl_viz.augment import (
    AugmentSettings,
    VariantResult,
    gradcam_map,
    make_variants,
    predict_variants,
    sweep,
)
from udl_viz.augment.digits import (
    DigitTransformReport,
    RotatedDigit,
    digit_transform_report,
    rotate_digit,
)
from udl_viz.augment.stability import SweepResult
from udl_viz.augment.transforms import SETTINGS
from udl_viz.samples import load_sample
from udl_viz.ui.loaders import resolve
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widgets
from udl_viz.ui.sidebar import CnnContext


def settings_panel() -> AugmentSettings:
    """Sliders for every transformation's strength, from the engine's ``SETTINGS``."""
    geometry, colour = SETTINGS[:3], SETTINGS[3:]
    values = setting_widgets(geometry, "augment")
    with st.expander("Colour jitter settings"):
        values |= setting_widgets(colour, "augment")
    return AugmentSettings(**values)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_variant_predictions(model_name: str, image_key: str, settings: AugmentSettings,
                               _image: Image.Image) -> list[VariantResult]:
    """Each variant's prediction and label stability for the image identified by ``image_key``."""
    spec, model = resolve(model_name)
    return predict_variants(model, spec, make_variants(_image, settings))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_variant_cam(model_name: str, image_key: str, settings: AugmentSettings, variant: str, target: int,
                       _image: Image.Image) -> np.ndarray:
    """Grad-CAM of class ``target`` for one named variant of the image."""
    spec, model = resolve(model_name)
    image = next(v.image for v in make_variants(_image, settings) if v.name == variant)
    return gradcam_map(model, spec, image, target)


def variants_with_cams(ctx: CnnContext, settings: AugmentSettings, explain_original: bool) -> list[VariantResult]:
    """Predictions for every variant, then their Grad-CAMs one by one under a progress bar."""
    results = cached_variant_predictions(ctx.spec.name, ctx.image_key, settings, ctx.image)
    bar = progress_bar("Grad-CAM for each variant…")
    out = []
    for i, r in enumerate(results):
        target = r.original_index if explain_original else r.index
        cam = cached_variant_cam(ctx.spec.name, ctx.image_key, settings, r.name, target, ctx.image)
        out.append(replace(r, cam=cam, cam_target=target))
        bar(i + 1, len(results))
    bar.done()
    return out


@st.cache_data(show_spinner="Trying every strength…", max_entries=64)
def cached_sweep(model_name: str, image_key: str, name: str, _image: Image.Image) -> SweepResult:
    """One transformation at every strength for the image identified by ``image_key``."""
    spec, model = resolve(model_name)
    return sweep(model, spec, _image, name)


@st.cache_data(show_spinner="Transforming all 1,797 handwritten digits…", max_entries=2)
def cached_digit_report() -> DigitTransformReport:
    """How ``digits_cnn`` reads every scikit-learn digit after each transformation."""
    spec, model = resolve("digits_cnn")
    return digit_transform_report(model, spec)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_rotated_digit(sample: str, angle: float) -> RotatedDigit:
    """A built-in digit sample rotated by ``angle``, read by ``digits_cnn`` before and after."""
    spec, model = resolve("digits_cnn")
    return rotate_digit(model, spec, load_sample(sample), angle)
