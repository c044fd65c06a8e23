"""Saliency maps: attribution methods side by side, scored for faithfulness and sanity-checked."""

import streamlit as st

from udl_viz.attribution import METHODS
from udl_viz.ui.layout import page_setup
from udl_viz.ui.saliency import (
    faithfulness_view,
    one_method_view,
    opacity_slider,
    sanity_view,
    settings_widgets,
    side_by_side_view,
)
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.widgets import input_panel, target_picker

SECTIONS = ["One method", "All methods side by side", "Faithfulness", "Sanity check"]

page_setup("Saliency maps", "Which pixels made the network choose this class? Several ways to ask, each "
           "with its cost, a faithfulness score and a sanity check.")
ctx = cnn_sidebar()
spec = ctx.spec
pixels = spec.preprocess.pixels(ctx.image)

under_bars, controls = input_panel(ctx)
with controls:
    target = target_picker(ctx, key="saliency_target")
    section = st.selectbox("View", SECTIONS, key="saliency_section", bind="query-params",
                           help="One method in detail; all of them side by side; how faithful each map is; "
                                "and whether it survives randomising the network.")
with under_bars:
    signed = st.toggle("Signed view", key="saliency_signed", bind="query-params",
                       help="Off: gradient maps (vanilla, SmoothGrad, guided backprop) show only how much each pixel "
                            "matters, since their sign is noise. On: orange pushes towards the class, blue against it.")
target_name = spec.class_names()[target]

if section == "One method":
    fig_col, info_col = st.columns([2, 1])
    with info_col:
        method = st.selectbox("Method", list(METHODS), index=list(METHODS).index("gradcam"),
                              format_func=lambda m: METHODS[m].label, key="saliency_method", bind="query-params")
        st.caption(METHODS[method].description)
        opacity = opacity_slider()
    with fig_col:
        figure = st.container()  # the map above its method's settings
        settings_widgets(spec, method)
    one_method_view(ctx, method, target, pixels, opacity=opacity, signed=signed, figure=figure, info=info_col)

elif section == "All methods side by side":
    opacity = opacity_slider()
    chosen = st.multiselect("Methods", list(METHODS), default=list(METHODS), format_func=lambda m: METHODS[m].label,
                            key="saliency_grid_methods")
    if not chosen:
        st.warning("Pick at least one method to compare.")
        st.stop()
    side_by_side_view(ctx, chosen, target, pixels, opacity=opacity, signed=signed)

elif section == "Faithfulness":
    st.markdown("**Deletion**: grey out the most salient pixels first and watch the probability of "
                f"'{target_name}' fall; a faithful map makes it fall fast (**lower area is better**). "
                "**Insertion**: start from a blurred image and restore the most salient pixels first "
                "(**higher area is better**). A random map is the baseline to beat (Petsiuk et al. 2018).")
    chosen = st.multiselect("Methods", list(METHODS), default=list(METHODS), format_func=lambda m: METHODS[m].label,
                            key="saliency_faith_methods")
    steps = st.slider("Steps per curve", 8, 64, 24, 8, key="saliency_faith_steps",
                      help="Each step is one image through the network, for each curve and method.")
    faithfulness_view(ctx, chosen, target, steps)

else:
    st.markdown("Randomise the network's weights from the output layer down (on a private copy) and explain "
                "again after each step. A map that barely changes cannot be explaining what the network learned "
                "(Adebayo et al. 2018).")
    chosen = st.multiselect("Methods to check", list(METHODS), default=["saliency", "guided_backprop", "gradcam"],
                            format_func=lambda m: METHODS[m].label, key="saliency_sanity_methods")
    max_steps = st.slider("Randomisation steps", 2, 8, 6, key="saliency_sanity_steps")
    opacity = opacity_slider()
    run = st.button("Run the sanity check", type="primary", key="saliency_sanity_run", disabled=not chosen)
    sanity_view(ctx, chosen, target, max_steps, pixels, run=run, opacity=opacity, signed=signed)
