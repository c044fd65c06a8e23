"""Widgets and cached loaders for the gradient-descent and loss-landscape pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np
import streamlit as st

from udl_viz.optim import landscape as landscape_mod
from udl_viz.optim.descent import Run, descend
from udl_viz.optim.minibatch import BatchRun, compare
from udl_viz.optim.optimizers import LEARNING_RATE, OPTIMIZERS, Config, config
from udl_viz.optim.surfaces import ALL, Surface
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


def run_descent(surface: Surface, configs: Sequence[Config], starts: Sequence[Sequence[float]],
                steps: int) -> list[list[Run]] | None:
    """Cached runs, or ``None`` after an ``st.error`` if torch.optim rejects a setting."""
    try:
        return cached_descent(surface.name, tuple(configs), tuple(tuple(map(float, s)) for s in starts), steps)
    except (ValueError, KeyError) as exc:
        st.error(f"torch.optim refused these settings: {exc}. Change the hyperparameters and try again.")
        return None


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
