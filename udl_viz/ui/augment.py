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
from udl_viz.samples import load_sample
from udl_viz.ui.loaders import resolve
from udl_viz.ui.sidebar import CnnContext


def settings_panel() -> AugmentSettings:
    """Sliders for every transformation's strength, defaults from ``AugmentSettings``."""
    d = AugmentSettings()
    c1, c2, c3 = st.columns(3)
    angle = c1.slider("Rotation (degrees)", -180, 180, int(d.angle), 5,
                      help="Counter-clockwise. Try 180 on a digit 6.")
    shift = c2.slider("Translation (fraction of the side)", 0.0, 0.5, d.shift, 0.05)
    crop = c3.slider("Crop (fraction of each side kept)", 0.2, 1.0, d.crop, 0.05,
                     help="The centre part is kept and zoomed back to full size.")
    with st.expander("Colour jitter settings"):
        j1, j2, j3, j4 = st.columns(4)
        brightness = j1.slider("Brightness ×", 0.0, 3.0, d.brightness, 0.1)
        contrast = j2.slider("Contrast ×", 0.0, 3.0, d.contrast, 0.1)
        saturation = j3.slider("Saturation ×", 0.0, 3.0, d.saturation, 0.1)
        hue = j4.slider("Hue shift", -0.5, 0.5, d.hue, 0.02, help="A fraction of the colour wheel.")
    return AugmentSettings(float(angle), shift, crop, brightness, contrast, saturation, hue)


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
    bar = st.progress(0.0, text="Grad-CAM for each variant…")
    out = []
    for i, r in enumerate(results):
        target = r.original_index if explain_original else r.index
        cam = cached_variant_cam(ctx.spec.name, ctx.image_key, settings, r.name, target, ctx.image)
        out.append(replace(r, cam=cam, cam_target=target))
        bar.progress((i + 1) / len(results), text=f"Grad-CAM for each variant… {i + 1}/{len(results)}")
    bar.empty()
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
