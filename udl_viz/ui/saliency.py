"""The saliency page's cached loaders (maps, faithfulness and sanity checks per input), widgets and views."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st
from PIL import Image
from streamlit.delta_generator import DeltaGenerator

from udl_viz.attribution import METHODS, AttributionResult, get_method
from udl_viz.attribution.faithfulness import Faithfulness, deletion_insertion, random_map
from udl_viz.attribution.sanity import SanityCheck, cascading_randomisation
from udl_viz.figures.saliency import (
    MAGNITUDE_LEGEND,
    RANDOM_LABEL,
    SIGNED_LEGEND,
    auc_scatter_figure,
    faithfulness_figure,
    map_grid_figure,
    map_tile_figure,
    saliency_figure,
    sanity_correlation_figure,
)
from udl_viz.models import ModelSpec
from udl_viz.progress import Progress
from udl_viz.settings import freeze
from udl_viz.ui.layout import show_figure
from udl_viz.ui.loaders import resolve, shared
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widgets
from udl_viz.ui.sidebar import CnnContext

#: Pseudo-method name for the random-map baseline of the faithfulness metrics.
RANDOM = "random"
SETTINGS_KEY = "saliency_settings"
#: The sanity checks the button has started, by cache key: they stay on the page until the inputs change.
SANITY_DONE = "saliency_sanity_done"

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


def opacity_slider() -> float:
    """The heatmap opacity, one value for every view."""
    return st.slider("Heatmap opacity", 0.0, 1.0, 0.6, 0.05, key="saliency_opacity")


def one_method_view(ctx: CnnContext, method: str, target: int, pixels: np.ndarray, *, opacity: float,
                    signed: bool, figure: DeltaGenerator, info: DeltaGenerator) -> None:
    """One method's map in ``figure``; what it cost (and Integrated Gradients' completeness gap) in ``info``."""
    label = METHODS[method].label
    with st.spinner(f"Computing {label}…"):
        result = explain(ctx, method, target)
    if result is None:
        return
    magnitude = not signed and METHODS[method].gradient_type
    with figure:
        show_figure(saliency_figure(pixels, result.map, f"{label} for '{ctx.spec.class_names()[target]}'",
                                    opacity=opacity, absolute=magnitude),
                    key="saliency_single")
        st.caption("**What am I looking at?** The model's input with the map on top: the coloured pixels are the "
                   "ones that decide the score of the chosen class; where the photo shows through, the map is "
                   "near zero. " + ("Bright: matters most (the gradient's size; its sign is mostly noise)."
                                    if magnitude else "Orange: evidence for the class; blue: against it."))
    with info:
        st.metric("Forward passes", result.forward_passes)
        st.metric("Backward passes", result.backward_passes)
        st.metric("Seconds", f"{result.seconds:.2f}")
        if "convergence_delta" in result.extras:
            gap = result.extras
            st.metric("Completeness gap", f"{gap['convergence_delta']:.3g}",
                      help="Integrated Gradients promises: attributions add up to the score change from the "
                           "baseline to the photo. This is how far off the sum is (captum's convergence delta).")
            st.caption(f"Sum of attributions {gap['attribution_sum']:.3f} vs score change "
                       f"{gap['score_change']:.3f} ({gap['relative_gap']:.1%} off). More steps shrink the gap.")


def side_by_side_view(ctx: CnnContext, methods: list[str], target: int, pixels: np.ndarray, *, opacity: float,
                      signed: bool) -> None:
    """Every chosen method's map in its own tile, and what each cost in a table."""
    st.subheader(f"{len(methods)} explanations of '{ctx.spec.class_names()[target]}'")
    st.caption((MAGNITUDE_LEGEND if not signed else SIGNED_LEGEND).replace("<br>", "; ")
               + ". Quick methods come first.")
    results = map_tiles(ctx, methods, target, pixels, opacity=opacity, absolute=not signed)
    st.caption("**What am I looking at?** The same photo explained by each method"
               + (" (magnitude only: switch on **Signed view** for for/against). " if not signed else ". ")
               + "Each tile is scaled to its own strongest values (the top 0.5 % are clipped). Under each name: "
               "forward and backward passes through the network and the seconds it took (the first time; results "
               "are cached).")
    st.dataframe([{"method": METHODS[m].label, "forward passes": r.forward_passes,
                   "backward passes": r.backward_passes, "seconds": round(r.seconds, 3),
                   "settings": ", ".join(f"{k}={v}" for k, v in r.settings.items())}
                  for m, r in results.items()], hide_index=True)


def faithfulness_curves(ctx: CnnContext, methods: list[str], target: int, steps: int) -> dict[str, Faithfulness]:
    """Deletion and insertion curves of each method's map and of a random one, by label, with a progress bar."""
    methods = [*methods, RANDOM]
    bar = progress_bar("Scoring the maps…")
    curves = {}
    for i, method in enumerate(methods):
        label = RANDOM_LABEL if method == RANDOM else METHODS[method].label
        bar.label = f"Scoring {label}…"
        bar(i, len(methods))
        settings = () if method == RANDOM else freeze(stored_settings(ctx.spec, method))
        try:
            curves[label] = cached_faithfulness(ctx.spec.name, ctx.image_key, method, settings, target, steps,
                                                ctx.image)
        except ValueError as exc:
            st.error(f"{label}: {exc}")
    bar.done()
    return curves


def faithfulness_view(ctx: CnnContext, methods: list[str], target: int, steps: int) -> None:
    """Deletion and insertion curves side by side, their areas in a scatter plot and a table."""
    curves = faithfulness_curves(ctx, methods, target, steps)
    a, b = st.columns(2)
    with a:
        show_figure(faithfulness_figure({k: f.deletion for k, f in curves.items()}, "deletion",
                                        "Deletion (lower area is better)"), key="saliency_deletion")
    with b:
        show_figure(faithfulness_figure({k: f.insertion for k, f in curves.items()}, "insertion",
                                        "Insertion (higher area is better)"),
                    key="saliency_insertion")
    rows = [{"method": k, "deletion_auc": f.deletion.auc, "insertion_auc": f.insertion.auc}
            for k, f in curves.items()]
    show_figure(auc_scatter_figure(rows, "Faithfulness at a glance: top-left is best"), key="saliency_auc")
    st.caption("A method that does not beat the random map on this image is not telling you what the network used. "
               "Grey pixels scattered at random also fool the network, so random deletion can look strong.")
    st.dataframe(rows, hide_index=True, column_config={
        "deletion_auc": st.column_config.NumberColumn("deletion AUC (lower is better)", format="%.3f"),
        "insertion_auc": st.column_config.NumberColumn("insertion AUC (higher is better)", format="%.3f")})


def sanity_view(ctx: CnnContext, methods: list[str], target: int, max_steps: int, pixels: np.ndarray, *,
                run: bool, opacity: float, signed: bool) -> None:
    """Cascading randomisation of each method the button (``run``) has started for these inputs."""
    runs = st.session_state.setdefault(SANITY_DONE, set())
    keys = {m: (ctx.spec.name, ctx.image_key, m, freeze(stored_settings(ctx.spec, m)), target, max_steps)
            for m in methods}
    if run:
        runs.update(keys.values())
    if not methods:
        st.warning("Pick at least one method to check.")
    done = [m for m in methods if keys[m] in runs]
    if methods and not done:
        st.info("Press the button: each method is recomputed once per randomisation step.")
    checks = {}
    for method in done:
        bar = progress_bar(f"{METHODS[method].label}: randomising the layers…")
        try:
            checks[method] = cached_sanity(*keys[method][:5], max_steps, ctx.image, _progress=bar)
        except ValueError as exc:
            st.error(f"{METHODS[method].label}: {exc}")
        bar.done()
    if not checks:
        return
    show_figure(sanity_correlation_figure({METHODS[m].label: ([s.label for s in c.steps], [s.spearman for s in c.steps])
                                           for m, c in checks.items()},
                                          "Cascading randomisation: does the map still match the trained model's?"),
                key="saliency_sanity_corr")
    st.caption("Spearman rank correlation of |map| with the trained model's |map|. It should drop towards 0 "
               "as layers are randomised; a method that stays near 1 is exposed.")
    for method, check in checks.items():
        tiles = [("trained model", check.original)] + [
            (f"down to {s.label}<br>ρ = {s.spearman:.2f}", s.map) for s in check.steps]
        show_figure(map_grid_figure(pixels, tiles, f"{METHODS[method].label}: map after each randomisation step",
                                    opacity=opacity, absolute=not signed, columns=min(4, len(tiles))),
                    key=f"saliency_sanity_{method}")
