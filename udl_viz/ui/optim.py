"""Widgets and cached loaders for the gradient-descent and loss-landscape pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np
import streamlit as st

from udl_viz.figures.descent import contour_figure, race_title, surface_figure, surface_title
from udl_viz.figures.minibatch import batch_figure, epoch_loss_figure
from udl_viz.optim import landscape as landscape_mod
from udl_viz.optim.descent import Run, descend, race, readouts
from udl_viz.optim.minibatch import BatchRun, compare
from udl_viz.optim.optimizers import LEARNING_RATE, OPTIMIZERS, Config, config
from udl_viz.optim.surfaces import ALL, Surface, SurfaceView, surface_view
from udl_viz.ui.layout import show_figure
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widget, setting_widgets

N_LANDSCAPE_EXAMPLES = 500
MAX_LANDSCAPES = 16


@st.cache_data(show_spinner=False, max_entries=64)
def cached_descent(surface: str, configs: tuple[Config, ...], starts: tuple[tuple[float, ...], ...],
                   steps: int) -> list[list[Run]]:
    """``descend`` on the named surface, cached per settings."""
    return descend(ALL[surface], configs, starts, steps)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_batches(batch_size: int, lr: float, epochs: int, start: tuple[float, float], seed: int,
                   momentum: float) -> list[BatchRun]:
    """Full batch, mini-batch and SGD on the diabetes line, cached per settings."""
    return compare(batch_size, lr, epochs, start, seed=seed, momentum=momentum)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_view(surface: str) -> SurfaceView:
    """The named surface evaluated for its figures, cached."""
    return surface_view(ALL[surface])


def run_descent(surface: Surface, configs: Sequence[Config], starts: Sequence[Sequence[float]],
                steps: int) -> list[list[Run]] | None:
    """Cached runs, or ``None`` after an ``st.error`` if torch.optim rejects a setting."""
    try:
        return cached_descent(surface.name, tuple(configs), tuple(tuple(map(float, s)) for s in starts), steps)
    except (ValueError, KeyError) as exc:
        st.error(f"torch.optim refused these settings: {exc}. Change the hyperparameters and try again.")
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def cached_race(surface: str, configs: tuple[Config, ...], start: tuple[float, ...], steps: int) -> list[Run]:
    """``race`` on the named surface, cached per settings."""
    return race(ALL[surface], configs, start, steps)


def run_race(surface: Surface, configs: Sequence[Config], start: Sequence[float], steps: int) -> list[Run] | None:
    """Every config from ``start`` (cached), or ``None`` after an ``st.error`` if torch.optim rejects a setting."""
    try:
        return cached_race(surface.name, tuple(configs), tuple(map(float, start)), steps)
    except (ValueError, KeyError) as exc:
        st.error(f"torch.optim refused these settings: {exc}. Change the hyperparameters and try again.")
        return None


def surface_views(view: str, shown: SurfaceView, runs: list[Run], click: dict, key: str, *, map_caption: str,
                  surface_caption: str) -> None:
    """The paths on the loss surface: seen from above (``view`` "Contour map", clickable) or as a 3D surface."""
    if view == "Contour map":
        show_figure(contour_figure(shown, runs, race_title(shown, runs)), **click)
        st.caption(map_caption)
    else:
        show_figure(surface_figure(shown, runs, surface_title(shown)), key=f"{key}_surface3d")
        st.caption(surface_caption)


def readout_panel(runs: list[Run], key: str) -> None:
    """Per-step numbers for every run, and a note for each one that diverged."""
    steps = max(r.steps for r in runs)
    step = st.slider("Readouts at step", 0, steps, steps, key=key,
                     help="Position, loss, gradient length, step length and the optimizer's memory at this step.")
    st.dataframe(readouts(runs, step), hide_index=True)
    for r in runs:
        if r.diverged_at is not None:
            st.warning(f"{r.label} diverged at step {r.diverged_at}: its loss shot off to infinity. "
                       "Try a smaller learning rate.")


def lr_slider(label: str, default: float, key: str) -> float:
    """A learning rate on a log-spaced slider."""
    return setting_widget(replace(LEARNING_RATE, default=default), key, label=label)


def optimizer_settings(surface: Surface, names: Sequence[str], key: str) -> list[Config]:
    """Learning rate and torch.optim hyperparameters for each optimizer, defaulting to what suits ``surface``."""
    configs = []
    for name in names:
        spec = OPTIMIZERS[name]
        prefix = f"{key}_{surface.name}_{name}"
        with st.expander(f"{spec.label}: settings", expanded=len(names) == 1):
            st.caption(spec.blurb)
            lr = lr_slider("learning rate", surface.lr[name], f"{prefix}_lr")
            hyper = setting_widgets(spec.hypers, prefix, columns=1)
        configs.append(config(name, lr, **hyper))
    return configs


def _take_click(chart_key: str, axis_keys: Sequence[str], bounds: Sequence[tuple[float, float]]) -> None:
    points = st.session_state[chart_key]["selection"]["points"]
    if points:
        for axis, key, (lo, hi) in zip(("x", "y"), axis_keys, bounds, strict=False):
            st.session_state[key] = float(np.clip(round(points[0][axis], 3), lo, hi))


def start_inputs(surface: Surface, key: str) -> tuple[list[float], dict]:
    """Typed starting point, and the ``show_figure`` arguments that let a click on the map set it."""
    keys = [f"{key}_{surface.name}_start{i}" for i in range(surface.dim)]
    columns = st.columns(surface.dim)
    start = [float(col.number_input(f"start {label}", lo, hi, float(v), step=0.1, format="%.3f", key=k,
                                    help="Or click anywhere on the contour map."))
             for col, label, (lo, hi), v, k in zip(columns, surface.axis_labels, surface.bounds, surface.start, keys,
                                                   strict=True)]
    chart = f"{key}_{surface.name}_chart"
    return start, {"key": chart, "on_select": partial(_take_click, chart, keys, surface.bounds),
                   "selection_mode": "points"}


def random_starts(surface: Surface, n: int, seed: int) -> list[list[float]]:
    """``n`` reproducible random points inside the surface's window."""
    rng = np.random.default_rng(seed)
    return [[float(rng.uniform(lo, hi)) for lo, hi in surface.bounds] for _ in range(n)]


@st.cache_resource(show_spinner="Loading the digits CNN and its training path…")
def digits_setup():
    """The trained digits CNN, a fixed set of training digits and the per-epoch weights."""
    from udl_viz.datasets.digits import digits_split
    from udl_viz.models.digits import load_trajectory
    from udl_viz.ui.loaders import resolve

    _, model = resolve("digits_cnn")
    x, y, _, _ = digits_split()
    return model, x[:N_LANDSCAPE_EXAMPLES], y[:N_LANDSCAPE_EXAMPLES], load_trajectory()


@st.cache_resource(show_spinner=False)
def _landscapes() -> dict[tuple, landscape_mod.Landscape]:
    # A store of finished landscapes shared by all sessions. st.cache_data cannot be used here: it
    # records the progress bar's updates made inside the function and fails replaying them on a hit.
    return {}


def cached_landscape(directions: str, resolution: int, span: float, seed: int) -> landscape_mod.Landscape:
    """The loss landscape, computed under a progress bar the first time and cached after."""
    store, key = _landscapes(), (directions, resolution, span, seed)
    if key not in store:
        model, x, y, trajectory = digits_setup()
        bar = progress_bar("Evaluating the loss on the grid…")
        store[key] = landscape_mod.loss_landscape(model, x, y, trajectory, directions=directions,
                                                  resolution=resolution, span=span, seed=seed, progress=bar)
        bar.done()
        while len(store) > MAX_LANDSCAPES:
            store.pop(next(iter(store)))
    return store[key]


def minibatch_section(knobs: dict, lr: float) -> None:
    """Full batch, mini-batch and SGD on the diabetes line: final losses, their paths and loss per epoch."""
    surface = ALL["diabetes"]
    runs = cached_batches(knobs["batch"], lr, knobs["epochs"], tuple(surface.start), knobs["seed"],
                          knobs["momentum"])
    for col, r in zip(st.columns(len(runs)), runs, strict=True):
        final = "diverged" if r.diverged_at is not None else f"loss {r.losses[-1]:.3f}"
        col.metric(r.label, f"{len(r.positions) - 1} updates", final, delta_color="off", delta_arrow="off",
                   help="Loss on all patients after the last update; the best possible is "
                        f"{surface.min_value:.3f}.")
    show_figure(batch_figure(cached_view(surface.name), runs, "Same examples seen, different numbers of steps"),
                key="gdb_map")
    st.caption("**What am I looking at?** The two weights of a straight-line fit, and how each way of batching "
               "moves them. Each path has used the same number of examples at every frame. SGD's path is noisy because "
               "each patient pulls the line their own way, yet it gets close in a fraction of an epoch.")
    show_figure(epoch_loss_figure(runs, surface.min_value,
                                  "Loss on all patients after every update (dots: ends of epochs)"), key="gdb_loss")
    st.caption("Loss on all 442 patients after each update, against epochs. Full batch improves smoothly but "
               "only once per epoch; mini-batches are the usual compromise.")
    for r in runs:
        if r.diverged_at is not None:
            st.warning(f"{r.label} diverged at update {r.diverged_at}. Try a smaller learning rate.")
