"""Layer activations: the feature maps of any layer for the current image."""

import math

import streamlit as st

from udl_viz.activations import first_layer_filters, relative_map
from udl_viz.figures.cnn import (
    channel_strength_figure,
    feature_grid_figure,
    filter_tiles_figure,
    layer_stats_figure,
)
from udl_viz.figures.images import overlay_figure
from udl_viz.ui.layout import page_setup, show_figure, show_table
from udl_viz.ui.loaders import cached_layer_activations
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.warmup import default_layer
from udl_viz.ui.widgets import data_key, input_panel

page_setup("Layer activations", "Each channel of a conv layer is a detector; its feature map shows "
           "where in the image it fires. Early layers find edges and colours, later ones parts of objects.")
ctx = cnn_sidebar()
spec = ctx.spec
pixels = spec.preprocess.pixels(ctx.image)

labels = {layer.path: layer.label for layer in spec.layers}
under_bars, controls = input_panel(ctx)
with controls:
    layer = st.selectbox("Layer", list(labels), index=list(labels).index(default_layer(list(labels))),
                         format_func=labels.get, key=f"act_layer_{spec.name}",
                         help="Layers in the order the image passes through them.")
    acts = cached_layer_activations(spec.name, ctx.image_key, layer, ctx.image)
    channels = acts.maps.shape[0]
    c1, c2 = st.columns(2)
    per_page = c1.select_slider("Maps per page", options=[6, 12, 24, 48], value=12)
    pages = max(1, math.ceil(channels / per_page))
    page = c2.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1)
per_channel = under_bars.toggle("Scale each channel on its own", key="act_per_channel",
                                help="Off: one colour scale for all maps, to compare channels. On: each map to its "
                                     "own strongest value, to see the pattern of weak channels too.")
shown = [int(c) for c in acts.order[(page - 1) * per_page: page * per_page]]
show_figure(feature_grid_figure(acts.maps, shown, f"{labels[layer]}: channels ranked {(page - 1) * per_page + 1}–"
                                f"{(page - 1) * per_page + len(shown)} of {channels} by mean activation",
                                per_channel=per_channel), key="grid")
st.caption("**What am I looking at?** Each tile is one channel's feature map: orange where the detector fires, "
           "blue where its value is below zero, white where it is quiet. "
           + ("Each tile has its own scale." if per_channel else "All tiles share one scale, so you can compare them."))

st.subheader("One channel over the photo")
c1, c2 = st.columns([1, 3])
with c1:
    channel = st.number_input("Channel", min_value=0, max_value=channels - 1, value=int(acts.order[0]), step=1,
                              key=data_key(ctx, "act_channel", layer), help="Defaults to the strongest channel.")
    opacity = st.slider("Overlay opacity", 0.0, 1.0, 0.6, 0.05)
    rank = int((acts.order == channel).nonzero()[0][0]) + 1
    st.metric("Rank by mean activation", f"{rank} of {channels}")
    st.metric("Mean activation", f"{acts.channel_means[channel]:.3g}")
with c2:
    heat = relative_map(acts.maps[channel])  # at the layer's resolution: the figure stretches it over the photo
    show_figure(overlay_figure(pixels, heat, f"{layer}, channel {channel}, over the model's input",
                               opacity=opacity, colorbar_title="relative activation"), key="overlay")
st.caption("The feature map is stretched to the image size: where it is bright, this detector found its pattern.")

show_figure(channel_strength_figure(acts.channel_means, acts.order, f"{layer}: mean activation of each channel"),
            key="strength")

st.subheader(f"First-layer filters ({spec.first_conv})")
filters = first_layer_filters(ctx.model, spec)
show_figure(filter_tiles_figure(filters, f"{len(filters)} learned {filters.shape[1]}×{filters.shape[2]} filters "
                                "(gray = 0, bright = positive weight), numbered"), key="filters")
st.caption("The first layer's weights can be drawn as tiny images: most are edge and colour detectors.")

st.subheader("Activation statistics per layer")
show_figure(layer_stats_figure(acts.layer_stats, "Mean activation and share switched off, layer by layer"), key="stats")
show_table(acts.layer_stats, {"layer": "layer", "channels": "channels", "size": "map size", "mean": "mean",
                              "max": "max", "fraction_zero": "share of activations ≤ 0"})
st.caption("Deeper layers have more channels and smaller maps; ReLU makes many activations exactly zero.")
