"""Loss landscape: a real network's loss on a 2D slice of weight space, and its training path."""

import streamlit as st

from udl_viz.figures.landscape import landscape_figure, landscape_surface_figure
from udl_viz.models import ModelUnavailable
from udl_viz.optim.landscape import DIRECTIONS, SETTINGS
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.optim import cached_landscape, digits_setup
from udl_viz.ui.settings import setting_widget

page_setup("Loss landscape", "A network has thousands of weights, so its loss lives in thousands of dimensions. "
           "Cut a 2D slice through the trained weights and look: this is the valley training found.")

try:
    digits_setup()
except (ModelUnavailable, FileNotFoundError) as exc:
    st.warning(f"This page needs the trained digits CNN and its training path (scripts/train_digits.py): {exc}")
    st.stop()

left, right = st.columns([1, 3])
with left:
    knobs = {s.name: s for s in SETTINGS}
    directions = setting_widget(knobs["directions"], "land_directions", bind="query-params")
    resolution = setting_widget(knobs["resolution"], "land_resolution")
    span = setting_widget(knobs["span"], "land_span", disabled=directions != "random")
    seed = setting_widget(knobs["seed"], "land_seed", disabled=directions != "random")

with right:
    land = cached_landscape(directions, resolution, span, seed)
    tab_map, tab_3d = st.tabs(["Contour map", "3D surface"])
    with tab_map:
        show_figure(landscape_figure(land, f"Loss of the digits CNN on a slice along {DIRECTIONS[land.directions]}"),
                    key="land_map")
    with tab_3d:
        show_figure(landscape_surface_figure(land, "The same slice in 3D: valleys are low loss"), key="land_3d")
    st.caption(f"**What am I looking at?** A map of the loss around the trained weights, like a hiker's map "
               f"of a valley. Cross-entropy loss on {land.n_examples} training digits at θ* + α·d₁ + β·d₂, "
               "where θ* are the trained weights. The orange line is the weights after every epoch of training, "
               "projected onto the slice; hover a dot for that epoch's true loss.")
    m1, m2, m3 = st.columns(3)
    m1.metric("Loss at the trained weights", f"{land.center_loss:.4f}")
    m2.metric("Loss at the random start", f"{land.path_loss[0]:.3f}")
    m3.metric("Share of the training path in this slice", f"{land.in_plane:.0%}")
    if directions == "random":
        st.info("With tens of thousands of weights, two random directions are almost at right angles to the way "
                "training moved, so only a sliver of the training path lies in this slice and it shrinks to a "
                "point near the centre. Slice along the principal components of the training path to see the "
                "plane training actually moved in.")
