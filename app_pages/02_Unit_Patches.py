"""What a unit has learned: the patches of a collection that excite it most, and its synthesized image."""

from dataclasses import replace

import streamlit as st

from udl_viz.ui import units as ui
from udl_viz.ui.layout import page_setup
from udl_viz.ui.settings import setting_widget
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.widgets import data_key
from udl_viz.units.featurevis import AUTO, OBJECTIVE, PATCHES, STEPS, default_objective
from udl_viz.units.receptive import OUTPUT, ReceptiveFieldError

page_setup("What a unit has learned", "A unit is one channel of a layer: a detector for one kind of pattern. "
           "Search many images for the patches that excite it most, then let it paint its favourite image.")
ctx = cnn_sidebar()
spec, model = ctx.spec, ctx.model

sources = ui.sources(model, spec)

c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
with c1:
    choice = st.selectbox("Images to search", list(sources), format_func=lambda key: sources[key].label,
                          key="units_source",
                          help="Folders appear here once indexed from the command line (see the bottom of the page).")
source = sources[choice]
if source.collection is None and source.indexed is None:
    st.info("You have not uploaded any images yet: choose **Upload** as the image source in the sidebar, "
            "upload a few photos, then come back here.")
    st.stop()
layers = source.layers(spec)
with c2:
    layer = st.selectbox("Layer", layers, index=min(len(spec.layers) // 3, len(layers) - 1),
                         format_func=lambda p: ui.layer_label(spec, p),
                         key=f"units_layer_{spec.name}")
try:
    index = ui.layer_index(model, spec, source, layer)
except (ReceptiveFieldError, ValueError, OSError) as exc:
    st.error(f"Could not index this layer: {exc}")
    st.stop()

with c3:
    if layer == OUTPUT:
        names = spec.class_names()
        unit = st.selectbox("Class", range(len(names)), index=ctx.predictions(1)[0].index,
                            format_func=lambda i: f"{names[i]} (class {i})", key=data_key(ctx, "units_class"),
                            help="Defaults to the class predicted for the sidebar image. Type to search.")
    else:
        unit = int(st.number_input(f"Unit (0–{index.units - 1})", min_value=0, max_value=index.units - 1,
                                   value=index.strongest(), step=1,
                                   key=f"units_unit_{spec.name}_{layer}",
                                   help="The unit is one channel of the layer. Starts at the unit with the "
                                        "strongest response in this collection."))

kept = index.values.shape[1]
with c4:
    count = setting_widget(replace(PATCHES, maximum=kept, default=min(PATCHES.default, kept)), "units_count")
hits = index.top(unit, count)
what = ui.unit_name(spec, layer, unit)
left, right = st.columns([3, 2])
with left:
    ui.patches_section(source, hits, layer, what)
with right:
    st.subheader("Its favourite image")
    objective = "neuron" if layer == OUTPUT else setting_widget(OBJECTIVE, f"units_objective_{spec.name}",
                                                                default_objective(spec))
    steps = setting_widget(STEPS, "units_steps")
    auto = setting_widget(AUTO, f"units_auto_{spec.name}", spec.input_size <= 64)
    vis = ui.synthesis(model, spec, layer, unit, objective, steps,
                       run=lambda: auto or st.button("Synthesize", type="primary",
                                                     help="Gradient ascent from noise; seconds to a minute."))
    ui.synthesis_section(vis, hits, layer, objective)

ui.index_metrics(index)

st.subheader("Where a patch comes from")
if hits:
    rank = st.selectbox("Patch", [h.rank for h in hits], format_func=lambda r: f"#{r}: {hits[r - 1].name}")
    ui.source_section(source, hits[rank - 1], layer, what)

with st.expander("Search a folder of your own (command line)"):
    st.markdown("Index any folder once from a terminal; it then appears under **Images to search**:")
    st.code(f"python -m udl_viz patches --model {spec.name} --layer {layer} --unit {unit} "
            "--images PHOTOS_DIR --out patches_out --all-layers", language="bash")
    st.markdown("Split a large folder over many jobs with `--shard i/n`, then join them with "
                "`python -m udl_viz patches merge --out patches_out`.")
