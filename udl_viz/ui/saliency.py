"""Cached loaders and widgets for the saliency page: maps, faithfulness and sanity checks per input."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from udl_viz.attribution import METHODS, AttributionResult, get_method
from udl_viz.attribution.faithfulness import Faithfulness, deletion_insertion, random_map
from udl_viz.attribution.sanity import SanityCheck, cascading_randomisation
from udl_viz.figures.saliency import map_tile_figure
from udl_viz.models import ModelSpec
from udl_viz.ui.layout import show_figure
from udl_viz.ui.loaders import freeze, resolve, shared
from udl_viz.ui.progress import Progress
from udl_viz.ui.settings import setting_widgets
from udl_viz.ui.sidebar import CnnContext

#: Pseudo-method name for the random-map baseline of the faithfulness metrics.
RANDOM = "random"
SETTINGS_KEY = "saliency_settings"

Settings = tuple[tuple[str, Any], ...]


@st.cache_data(show_spinner=False, max_entries=256)
def cached_attribution(model_name: str, key: str, method: str, settings: Settings, target: int,
                       _image: Image.Image) -> AttributionResult:
    """One method's map for the image identified by ``key``."""
    spec, model = resolve(model_name)

    def compute() -> AttributionResult:
        x = spec.preprocess(_image).unsqueeze(0)
        return get_method(method).attribute(model, x, target, spec=spec, **dict(settings))

    return shared("attribution", model_name, (key, method, settings, target), compute)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_faithfulness(model_name: str, key: str, method: str, settings: Settings, target: int, steps: int,
                        _image: Image.Image) -> Faithfulness:
    """Deletion/insertion curves of one method's map (``RANDOM``: a random map) for the image ``key``."""
    spec, model = resolve(model_name)
    x = spec.preprocess(_image).unsqueeze(0)
    if method == RANDOM:
        ranking = random_map(tuple(x.shape[-2:]))
    else:
        ranking = cached_attribution(model_name, key, method, settings, target, _image).ranking
    return deletion_insertion(model, x, target, ranking, steps=steps)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_sanity(model_name: str, key: str, method: str, settings: Settings, target: int, max_steps: int,
                  _image: Image.Image, _progress: Progress | None = None) -> SanityCheck:
    """Cascading randomisation of a copy of the model, for one method and the image ``key``."""
    spec, model = resolve(model_name)
    x = spec.preprocess(_image).unsqueeze(0)
    original = cached_attribution(model_name, key, method, settings, target, _image).map
    return cascading_randomisation(model, x, target, get_method(method), spec=spec, settings=dict(settings),
                                   max_steps=max_steps, original=original, progress=_progress)


def explain(ctx: CnnContext, method: str, target: int, container: Any = st) -> AttributionResult | None:
    """The cached map of one method for the current image, or ``None`` after showing the error in ``container``."""
    try:
        return cached_attribution(ctx.spec.name, ctx.image_key, method, freeze(stored_settings(ctx.spec, method)),
                                  target, ctx.image)
    except ValueError as exc:
        container.error(f"{METHODS[method].label}: {exc}")
        return None


def map_tiles(ctx: CnnContext, methods: list[str], target: int, pixels: np.ndarray, *, opacity: float,
              absolute: bool, columns: int = 3) -> dict[str, AttributionResult]:
    """Each method's map in its own tile, cheapest first: every tile is drawn as soon as its map is ready.

    All tiles start as placeholders, so the grid's shape is there at once.
    """
    order = sorted(methods, key=lambda m: METHODS[m].expected_passes(ctx.spec, stored_settings(ctx.spec, m)))
    cells = [cell for _ in range(0, len(order), columns) for cell in st.columns(columns)]
    slots = {}
    for method, cell in zip(order, cells, strict=False):
        slots[method] = cell.empty()
        slots[method].info(f"**{METHODS[method].label}**: waiting…")
    results = {}
    for method in order:
        slots[method].info(f"**{METHODS[method].label}**: computing…")
        result = explain(ctx, method, target, container=slots[method])
        if result is not None:
            results[method] = result
            with slots[method].container():
                show_figure(map_tile_figure(pixels, result.map, f"{METHODS[method].label}<br>{cost_label(result)}",
                                            opacity=opacity, absolute=absolute), key=f"saliency_tile_{method}")
    return results


def cost_label(result: AttributionResult) -> str:
    """What a map cost, for a tile title."""
    return f"{result.forward_passes} fwd + {result.backward_passes} bwd · {result.seconds:.2f} s"


def stored_settings(spec: ModelSpec, method: str) -> dict[str, Any]:
    """The settings chosen for ``method`` on this model in this session (defaults until changed)."""
    chosen = st.session_state.get(SETTINGS_KEY, {}).get((spec.name, method), {})
    try:
        return get_method(method).resolve(spec, chosen)
    except ValueError:
        return get_method(method).resolve(spec)


def settings_widgets(spec: ModelSpec, method: str) -> dict[str, Any]:
    """Draw the method's settings (values kept per model and method); return the chosen ones."""
    current = stored_settings(spec, method)
    chosen = setting_widgets(get_method(method).settings(spec), f"saliency_{spec.name}_{method}", current)
    st.session_state.setdefault(SETTINGS_KEY, {})[(spec.name, method)] = chosen
    return chosen
