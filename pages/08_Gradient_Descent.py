"""Gradient descent: torch.optim's optimizers on 1D and 2D loss surfaces, a race, and SGD against mini-batch."""

import streamlit as st

from udl_viz.optim import figures
from udl_viz.optim.descent import Run, readouts
from udl_viz.optim.optimizers import OPTIMIZERS
from udl_viz.optim.surfaces import CURVES, SURFACES
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.optim import (
    cached_batches,
    lr_slider,
    optimizer_settings,
    random_starts,
    run_descent,
    start_inputs,
)

page_setup("Gradient descent", "Training slides the weights downhill on the loss. An optimizer only feels the "
           "slope where it stands, like a skier in fog: watch torch.optim's optimizers find, or miss, the lowest valley.")

NAMES = list(OPTIMIZERS)


def optimizer_label(name: str) -> str:
    return OPTIMIZERS[name].label


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


one_d, two_d, race, batches = st.tabs(["1D: the skier", "2D: one optimizer", "Race", "SGD vs mini-batch"])

with one_d:
    left, right = st.columns([1, 2])
    with left:
        curve = CURVES[st.selectbox("Loss curve", list(CURVES), format_func=lambda n: CURVES[n].title, key="gd1_curve", bind="query-params")]
        st.caption(curve.blurb)
        (lo, hi), = curve.bounds
        w0 = st.slider("Starting weight w", lo, hi, curve.start[0], 0.05, key=f"gd1_start_{curve.name}")
        steps = st.slider("Steps", 5, 300, 60, key="gd1_steps")
        names = st.multiselect("Optimizers", NAMES, ["sgd", "momentum", "adam"], format_func=optimizer_label,
                               key="gd1_opts")
        configs = optimizer_settings(curve, names, "gd1")
    with right:
        if not names:
            st.warning("Pick at least one optimizer on the left.")
        elif rows := run_descent(curve, configs, [[w0]], steps):
            runs = [row[0] for row in rows]
            show_figure(figures.curve_figure(curve, runs), key="gd1_figure")
            st.caption("**What am I looking at?** A loss curve with one weight, and each optimizer walking down "
                       "it. Each dot is one step; the big dot is where the optimizer stands and the black line is the "
                       "tangent, the only thing it can feel. Press ▶ Replay to watch. A skier stopping in the right "
                       "valley cannot know a deeper one lies beyond the hill; momentum can carry it over.")
            readout_panel(runs, "gd1_step")

with two_d:
    left, right = st.columns([1, 2])
    with left:
        surface = SURFACES[st.selectbox("Surface", list(SURFACES), format_func=lambda n: SURFACES[n].title,
                                        key="gd2_surface", bind="query-params")]
        st.caption(surface.blurb)
        view = st.radio("View", ["Contour map", "3D surface"], horizontal=True, key="gd2_view")
        name = st.selectbox("Optimizer", NAMES, NAMES.index("momentum"), format_func=optimizer_label, key="gd2_opt", bind="query-params")
        (config,) = optimizer_settings(surface, [name], "gd2")
        start, click = start_inputs(surface, "gd2")
        extra = st.slider("Extra random starts", 0, 12, 0, key="gd2_extra",
                          help="Run the same optimizer from more points to see which valley each start leads to.")
        steps = st.slider("Steps", 10, 1000, 200, 10, key="gd2_steps", bind="query-params")
    with right:
        if rows := run_descent(surface, [config], [start, *random_starts(surface, extra, seed=0)], steps):
            runs = rows[0]
            if view == "Contour map":
                show_figure(figures.contour_figure(surface, runs), **click)
                st.caption("**What am I looking at?** A loss surface over two weights, seen from above like a map. "
                           "Contour lines join points of equal loss; light is low. Each line is a path, each dot "
                           "one step. Click the map to start somewhere else, or press ▶ Replay.")
            else:
                show_figure(figures.surface_figure(surface, runs), key="gd2_surface3d")
                st.caption("The height is the loss (drag to turn the surface). Each line is a path down it.")
            readout_panel(runs, "gd2_step")
            show_figure(figures.state_figure(runs[0], surface.axis_labels), key="gd2_state")
            st.caption("Top: the gradient for each weight at every step. Below: what the optimizer remembers, "
                       "e.g. momentum's running sum of gradients, or Adam's averages of gradients and their squares.")

with race:
    left, right = st.columns([1, 2])
    with left:
        surface = SURFACES[st.selectbox("Surface", list(SURFACES), 1, format_func=lambda n: SURFACES[n].title,
                                        key="race_surface", bind="query-params")]
        st.caption(surface.blurb)
        view = st.radio("View", ["Contour map", "3D surface"], horizontal=True, key="race_view")
        names = st.multiselect("Optimizers", NAMES, NAMES, format_func=optimizer_label, key="race_opts")
        configs = optimizer_settings(surface, names, "race")
        start, click = start_inputs(surface, "race")
        steps = st.slider("Steps", 10, 1000, 300, 10, key="race_steps", bind="query-params")
    with right:
        if not names:
            st.warning("Pick at least one optimizer on the left.")
        elif rows := run_descent(surface, configs, [start], steps):
            runs = [row[0] for row in rows]
            if view == "Contour map":
                show_figure(figures.contour_figure(surface, runs), **click)
                st.caption("**What am I looking at?** Every optimizer on the same loss map, as seen from above. "
                           "All optimizers start from the same point; press ▶ Replay to watch the race. "
                           "Click the map to move the start.")
            else:
                show_figure(figures.surface_figure(surface, runs), key="race_surface3d")
                st.caption("The height is the loss (drag to turn the surface). Each line is one optimizer's path.")
            show_figure(figures.loss_figure(surface, runs), key="race_loss")
            st.caption("Lower is better. A straight downward line on this log scale means the gap to the best "
                       "loss shrinks by the same factor every step.")
            readout_panel(runs, "race_step")

with batches:
    surface = SURFACES["diabetes"]
    left, right = st.columns([1, 2])
    with left:
        st.caption("Fit progression ≈ w·BMI + b to 442 patients. Full batch uses every patient for each update; "
                   "SGD uses one; a mini-batch uses a few. One epoch is one pass over all patients.")
        batch = st.slider("Mini-batch size", 2, 128, 32, key="gdb_batch")
        lr = lr_slider("Learning rate (all three)", 0.1, "gdb_lr")
        epochs = st.slider("Epochs", 1, 20, 5, key="gdb_epochs")
        momentum = st.slider("Momentum", 0.0, 0.99, 0.0, 0.01, key="gdb_momentum")
        seed = st.number_input("Shuffle seed", 0, 9999, 0, key="gdb_seed")
    with right:
        runs = cached_batches(batch, lr, epochs, tuple(surface.start), int(seed), momentum)
        for col, r in zip(st.columns(len(runs)), runs, strict=True):
            final = "diverged" if r.diverged_at is not None else f"loss {r.losses[-1]:.3f}"
            col.metric(r.label, f"{len(r.positions) - 1} updates", final, delta_color="off", delta_arrow="off",
                       help="Loss on all patients after the last update; the best possible is "
                            f"{surface.min_value:.3f}.")
        show_figure(figures.batch_figure(surface, runs), key="gdb_map")
        st.caption("**What am I looking at?** The two weights of a straight-line fit, and how each way of "
                   "batching moves them. Each path has used the same number of examples at every frame. SGD's path is noisy because "
                   "each patient pulls the line their own way, yet it gets close in a fraction of an epoch.")
        show_figure(figures.epoch_loss_figure(runs, surface.min_value), key="gdb_loss")
        st.caption("Loss on all 442 patients after each update, against epochs. Full batch improves smoothly but "
                   "only once per epoch; mini-batches are the usual compromise.")
        for r in runs:
            if r.diverged_at is not None:
                st.warning(f"{r.label} diverged at update {r.diverged_at}. Try a smaller learning rate.")
