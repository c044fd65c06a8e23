"""Widgets, cached features and session-private registration for the fine-tuning page."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st
from PIL import Image
from torch import nn

from udl_viz.finetune import (
    TASKS,
    Examples,
    FineTuneRun,
    TrainSettings,
    extract_features,
    fine_tune,
)
from udl_viz.finetune.data import CLASSES, MAX_IMAGES_PER_CLASS
from udl_viz.finetune.train import SETTINGS
from udl_viz.images import ImageError, load_image
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress
from udl_viz.ui.loaders import image_key, register_session_model, resolve
from udl_viz.ui.progress import ProgressBar, progress_bar
from udl_viz.ui.settings import setting_widget, setting_widgets
from udl_viz.ui.sidebar import UPLOAD_TYPES, CnnContext

RUNS_KEY = "finetune_runs"  # {fingerprint: FineTuneRun}, this session's trained heads
LAST_KEY = "finetune_last"  # {source of the images: fingerprint of its latest run}
BASES_KEY = "finetune_bases"  # {fine-tuned model name: the registry model it was built on}
#: What the run is doing, in the order ``fine_tune`` reports it: training images, test images, epochs.
STAGES = ("Running the frozen backbone on the training images…", "…and on the held-out test images…",
          "Training the new head…")


@st.cache_data(show_spinner="Preparing the built-in images…", max_entries=8)
def cached_task(name: str, train: int, test: int) -> tuple[Examples, Examples]:
    """A built-in task's training and held-out test images."""
    return TASKS[name].make(train, test)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_features(model_name: str, keys: tuple[str, ...], _images: list[Image.Image]) -> np.ndarray:
    """Backbone features (inputs of the final layer) of the images identified by ``keys``."""
    spec, model = resolve(model_name)
    return extract_features(model, spec, _images)


def uploaded_classes() -> list[tuple[str, list[Image.Image]]]:
    """Class names and images from the student's uploads; unreadable files get a warning and are skipped."""
    count = setting_widget(CLASSES, "ft_classes")
    per_class = []
    for column, c in zip(st.columns(count), range(count), strict=True):
        with column:
            name = st.text_input(f"Class {c + 1} name", value=f"class {c + 1}", key=f"ft_name_{c}", max_chars=40)
            files = st.file_uploader(f"Images of class {c + 1}", type=UPLOAD_TYPES, accept_multiple_files=True,
                                     key=f"ft_files_{c}",
                                     help=f"A few photos; at most {MAX_IMAGES_PER_CLASS} are used.")
            images = []
            for file in (files or [])[:MAX_IMAGES_PER_CLASS]:
                try:
                    images.append(load_image(file.getvalue()))
                except ImageError as exc:
                    st.warning(f"Skipped {file.name}: {exc}")
            if images:
                st.image(images[:4], width=70)
            per_class.append((name, images))
    return per_class


def settings_panel() -> TrainSettings:
    """The optimiser's knobs, from the engine's ``SETTINGS``."""
    with st.expander("Training settings"):
        return TrainSettings(**setting_widgets(SETTINGS, "ft"))


def backbone(ctx: CnnContext) -> tuple[ModelSpec, nn.Module]:
    """The pretrained model to fine-tune: the sidebar's model, or the one a fine-tuned model was built on."""
    base = st.session_state.get(BASES_KEY, {}).get(ctx.spec.name)
    return resolve(base) if base is not None else (ctx.spec, ctx.model)


def _staged(bar: ProgressBar, train: Examples, test: Examples | None) -> Progress:
    """``bar``, labelled with the stage of ``fine_tune`` that ``done`` has reached."""
    ends = (len(train.images), len(train.images) + (0 if test is None else len(test.images)))

    def progress(done: int, total: int) -> None:
        bar.label = STAGES[sum(done >= end for end in ends)]
        bar(done, total)
    return progress


def session_fine_tune(base: ModelSpec, backbone_model: nn.Module, train: Examples, test: Examples | None,
                      settings: TrainSettings, source: str) -> FineTuneRun:
    """``fine_tune`` (or this session's identical run again) and register the model for this session.

    ``source`` names where the images came from, so ``last_run(source)`` finds this run again.
    """
    keys = tuple(image_key(im) for im in train.images)
    test_keys = () if test is None else tuple(image_key(im) for im in test.images)
    fingerprint = (base.name, tuple(train.classes), keys, tuple(train.labels), test_keys, settings)
    runs = st.session_state.setdefault(RUNS_KEY, {})
    if fingerprint not in runs:
        bar = progress_bar(STAGES[0])

        def features(images: Sequence[Image.Image]) -> np.ndarray:
            return cached_features(base.name, tuple(image_key(im) for im in images), list(images))

        run = fine_tune(backbone_model, base, train, test, settings, features=features,
                        progress=_staged(bar, train, test))
        bar.done()
        register_session_model(run.spec, run.model)
        st.session_state.setdefault(BASES_KEY, {})[run.spec.name] = base.name
        runs[fingerprint] = run
    st.session_state.setdefault(LAST_KEY, {})[source] = fingerprint
    return runs[fingerprint]


def last_run(source: str) -> FineTuneRun | None:
    """This session's most recent run on images from ``source``, if any."""
    return st.session_state.get(RUNS_KEY, {}).get(st.session_state.get(LAST_KEY, {}).get(source))
