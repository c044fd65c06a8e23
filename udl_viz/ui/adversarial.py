"""Widgets and cached loaders for the "Fooling the network" page."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image
from streamlit.errors import StreamlitPageNotFoundError

from udl_viz.adversarial import (
    SETTINGS,
    AttackResult,
    FlipResult,
    RobustnessCurve,
    TransferResult,
    attack,
    flip_epsilon,
    gradcam_pair,
    robustness_curves,
    suggested_target,
    transfer,
)
from udl_viz.adversarial.pixels import to_image
from udl_viz.models import REGISTRY, ModelUnavailable
from udl_viz.samples import load_sample, sample_names
from udl_viz.ui.loaders import resolve
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widgets
from udl_viz.ui.sidebar import CnnContext

#: Which model an attack is carried over to, to test transfer.
PARTNERS = {"efficientnet_lite2": "efficientnet_lite0"}
DEFAULT_PARTNER = "efficientnet_lite2"


@dataclass(frozen=True)
class AttackChoice:
    """What the student asked for: attack, ε, steps and an optional target class."""

    method: str
    eps: int
    steps: int
    target: int | None


def attack_controls(ctx: CnnContext) -> AttackChoice:
    """Attack, ε and steps (ranges from the engine), and the targeted-attack picker."""
    values = setting_widgets(SETTINGS, "adv", columns=3)
    names = ctx.spec.class_names()
    label = ctx.predictions(1)[0].index
    targeted = st.toggle("Targeted: make it a class I choose", key="adv_targeted",
                           help="Untargeted: any wrong answer will do. Targeted: the attack aims for one class.")
    target = None
    if targeted:
        # Keyed by model and image: a new photo or model starts again from the suggested target.
        target = st.selectbox("Target class", range(len(names)), index=suggested_target(names, label),
                                 format_func=lambda i: f"{names[i]} (class {i})",
                                 key=f"adv_target_{ctx.spec.name}_{ctx.image_key}",
                                 help="Type to search, e.g. 'timber wolf' to make a husky a wolf.")
    return AttackChoice(values["method"], int(values["eps"]), int(values["steps"]), target)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_attack(model_name: str, image_key: str, choice: AttackChoice, _image: Image.Image) -> AttackResult:
    """One attack on the image identified by ``image_key``, under a progress bar."""
    spec, model = resolve(model_name)
    bar = progress_bar(f"{choice.method.upper()} attack: gradient steps")
    result = attack(model, spec, _image, method=choice.method, eps=choice.eps, target=choice.target,
                    steps=choice.steps, progress=bar)
    bar.done()
    return result


def run_attack(ctx: CnnContext, choice: AttackChoice) -> AttackResult:
    return cached_attack(ctx.spec.name, ctx.image_key, choice, ctx.image)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_gradcam(model_name: str, image_key: str, choice: AttackChoice,
                   _result: AttackResult) -> tuple[np.ndarray, np.ndarray]:
    """Grad-CAM of the original and of the adversarial crop of one cached attack."""
    spec, model = resolve(model_name)
    return gradcam_pair(model, spec, _result)


def gradcams(ctx: CnnContext, choice: AttackChoice, result: AttackResult) -> tuple[np.ndarray, np.ndarray]:
    with st.spinner("Grad-CAM of both images…"):
        return cached_gradcam(ctx.spec.name, ctx.image_key, choice, result)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_flip(model_name: str, image_key: str, method: str, target: int | None, steps: int,
                _image: Image.Image) -> FlipResult:
    """The smallest ε that fools the model on the image identified by ``image_key``."""
    spec, model = resolve(model_name)
    bar = progress_bar("Searching for the smallest ε: attacks tried")
    result = flip_epsilon(model, spec, _image, method=method, target=target, steps=steps, progress=bar)
    bar.done()
    return result


def smallest_eps(ctx: CnnContext, choice: AttackChoice) -> FlipResult:
    return cached_flip(ctx.spec.name, ctx.image_key, choice.method, choice.target, choice.steps, ctx.image)


def curve_photos(ctx: CnnContext) -> list[str]:
    """The built-in samples the accuracy curve runs on (digits for the digits model)."""
    return sample_names(digits=ctx.spec.preprocess.grayscale)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_curves(model_name: str, steps: int) -> list[RobustnessCurve]:
    """FGSM and PGD accuracy against ε over every built-in sample."""
    spec, model = resolve(model_name)
    images = {name: load_sample(name) for name in sample_names(digits=spec.preprocess.grayscale)}
    bar = progress_bar(f"Attacking all {len(images)} sample images at every ε: gradient steps")
    curves = robustness_curves(model, spec, images, steps=steps, progress=bar)
    bar.done()
    return curves


def partner(ctx: CnnContext) -> str | None:
    """The other ImageNet model to carry the attack over to, or ``None`` for other class lists."""
    name = PARTNERS.get(ctx.spec.name, DEFAULT_PARTNER)
    if name == ctx.spec.name or REGISTRY[name].class_names() != ctx.spec.class_names():
        return None
    return name


@st.cache_data(show_spinner="Showing both images to the other model…", max_entries=64)
def cached_transfer(model_name: str, image_key: str, choice: AttackChoice, other: str,
                    _result: AttackResult) -> TransferResult:
    spec, _ = resolve(model_name)
    other_spec, other_model = resolve(other)
    return transfer(_result, other_model, other_spec, spec.class_names())


def transfer_to(ctx: CnnContext, choice: AttackChoice, result: AttackResult) -> TransferResult | str:
    """The transfer result, or a sentence saying why there is none."""
    other = partner(ctx)
    if other is None:
        return f"Transfer needs a second model with the same classes as {ctx.spec.title}; pick an ImageNet model."
    try:
        return cached_transfer(ctx.spec.name, ctx.image_key, choice, other, result)
    except ModelUnavailable as exc:
        return f"The second model cannot be loaded here: {exc}"


def download_button(result: AttackResult, label: str) -> None:
    """Offer the adversarial crop as a lossless PNG (what the CLI writes as ``<stem>.adv.png``)."""
    buffer = io.BytesIO()
    to_image(result.adversarial).save(buffer, format="PNG")
    st.download_button("Download the adversarial image (PNG)", buffer.getvalue(), file_name=f"{label}.adv.png",
                       mime="image/png", help="8-bit and lossless: loaded again as the model's input crop, "
                                              "it still fools the model.")


def link_page(path: str, label: str) -> None:
    """A link to another page of the app (a plain relative link when this page runs on its own)."""
    try:
        st.page_link(path, label=label)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}]({path.rsplit('/', 1)[-1][3:-3]})")
