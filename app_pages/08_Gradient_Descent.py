"""Gradient descent: torch.optim's optimizers on 1D and 2D loss surfaces, a race, and SGD against mini-batch."""

import streamlit as st

from udl_viz.figures.descent import (
    curve_figure,
    loss_figure,
    race_title,
    state_figure,
)
from udl_viz.optim.descent import CURVE_STEPS, EXTRA_STARTS, STEPS
from udl_viz.optim.minibatch import SETTINGS as BATCH_SETTINGS
from udl_viz.optim.optimizers import OPTIMIZERS
from udl_viz.optim.surfaces import CURVES, SURFACES, start_setting
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.optim import (
    cached_view,
    lr_slider,
    minibatch_section,
    optimizer_settings,
    random_starts,
    readout_panel,
    run_descent,
    run_race,
    start_inputs,
    surface_views,
)
from udl_viz.ui.settings import setting_widget, setting_widgets

page_setup("Gradient descent", "Training slides the weights downhill on the loss. An optimizer only feels the "
           "slope where it stands, like a skier in fog: watch torch.optim's optimizers find, or miss, the lowest "
           "valley.")

NAMES = list(OPTIMIZERS)


def optimizer_label(name: str) -> str:
    return OPTIMIZERS[name].label


one_d, two_d, race, batches = st.tabs(["1D: the skier", "2D: one optimizer", "Race", "SGD vs mini-batch"])

with one_d:
    left, right = st.columns([1, 2])
    with left:
        curve = CURVES[st.selectbox("Loss curve", list(CURVES), format_func=lambda n: CURVES[n].title, key="gd1_curve",
                                    bind="query-params")]
        st.caption(curve.blurb)
        w0 = setting_widget(start_setting(curve), f"gd1_start_{curve.name}")
        steps = setting_widget(CURVE_STEPS, "gd1_steps")
        names = st.multiselect("Optimizers", NAMES, ["sgd", "momentum", "adam"], format_func=optimizer_label,
                               key="gd1_opts")
        configs = optimizer_settings(curve, names, "gd1")
    with right:
        if not names:
            st.warning("Pick at least one optimizer on the left.")
        elif runs := run_race(curve, configs, [w0], steps):
            view = cached_view(curve.name)
            show_figure(curve_figure(view, runs, race_title(view, runs)), key="gd1_figure")
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
        name = st.selectbox("Optimizer", NAMES, NAMES.index("momentum"), format_func=optimizer_label, key="gd2_opt",
                            bind="query-params")
        (config,) = optimizer_settings(surface, [name], "gd2")
        start, click = start_inputs(surface, "gd2")
        extra = setting_widget(EXTRA_STARTS, "gd2_extra")
        steps = setting_widget(STEPS, "gd2_steps", bind="query-params")
    with right:
        if rows := run_descent(surface, [config], [start, *random_starts(surface, extra, seed=0)], steps):
            runs, shown = rows[0], cached_view(surface.name)
            surface_views(view, shown, runs, click, "gd2",
                          map_caption="**What am I looking at?** A loss surface over two weights, seen from above "
                                      "like a map. Contour lines join points of equal loss; light is low. Each line "
                                      "is a path, each dot one step. Click the map to start somewhere else, or press "
                                      "▶ Replay.",
                          surface_caption="The height is the loss (drag to turn the surface). Each line is a path "
                                          "down it.")
            readout_panel(runs, "gd2_step")
            show_figure(state_figure(runs[0], surface.axis_labels,
                                     f"{runs[0].label}: gradient and optimizer memory, per weight"), key="gd2_state")
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
        steps = setting_widget(STEPS, "race_steps", 300, bind="query-params")
    with right:
        if not names:
            st.warning("Pick at least one optimizer on the left.")
        elif runs := run_race(surface, configs, start, steps):
            shown = cached_view(surface.name)
            surface_views(view, shown, runs, click, "race",
                          map_caption="**What am I looking at?** Every optimizer on the same loss map, as seen from "
                                      "above. All optimizers start from the same point; press ▶ Replay to watch the "
                                      "race. Click the map to move the start.",
                          surface_caption="The height is the loss (drag to turn the surface). Each line is one "
                                          "optimizer's path.")
            show_figure(loss_figure(runs, shown.min_value,
                                    "How far above the lowest loss each optimizer is, step by step"),
                        key="race_loss")
            st.caption("Lower is better. A straight downward line on this log scale means the gap to the best "
                       "loss shrinks by the same factor every step.")
            readout_panel(runs, "race_step")

with batches:
    left, right = st.columns([1, 2])
    with left:
        st.caption("Fit progression ≈ w·BMI + b to 442 patients. Full batch uses every patient for each update; "
                   "SGD uses one; a mini-batch uses a few. One epoch is one pass over all patients.")
        knobs = setting_widgets(BATCH_SETTINGS, "gdb", columns=1)
        lr = lr_slider("Learning rate (all three)", 0.1, "gdb_lr")
    with right:
        minibatch_section(knobs, lr)
