"""What a unit has learned: the patches of a collection that excite it most, and its synthesized image."""

from dataclasses import replace

import numpy as np
import streamlit as st

from udl_viz.figures.units import ascent_figure, patch_grid_figure, source_figure, synthesis_figure
from udl_viz.images import ImageError
from udl_viz.ui import units as ui
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.settings import setting_widget
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.widgets import data_key
from udl_viz.units.featurevis import AUTO, OBJECTIVE, PATCHES, STEPS, default_objective
from udl_viz.units.receptive import OUTPUT, ReceptiveFieldError

page_setup("What a unit has learned", "A unit is one channel of a layer: a detector for one kind of pattern. "
           "Search many images for the patches that excite it most, then let it paint its favourite image.")
ctx = cnn_sidebar()
spec, model = ctx.spec, ctx.model

builtin = ui.builtin_for(spec)
mine = ui.uploads()
sources = {"builtin": ui.Source(f"{builtin.name} (built-in)", builtin),
           "uploads": ui.Source(f"your uploads ({len(mine)} images)", mine) if mine
           else ui.Source("your uploads (none yet)")}
sources |= {f"folder:{folder.root}": folder for folder in ui.folders(model, spec)}

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
labels = {entry.path: entry.label for entry in spec.layers} | {OUTPUT: "output: one unit per class"}
layers = source.layers(spec)
with c2:
    layer = st.selectbox("Layer", layers, index=min(len(spec.layers) // 3, len(layers) - 1),
                         format_func=lambda p: labels.get(p, f"{p} (from the CLI)"),
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
                                   value=int(np.argmax(index.values[:, 0])), step=1,
                                   key=f"units_unit_{spec.name}_{layer}",
                                   help="The unit is one channel of the layer. Starts at the unit with the "
                                        "strongest response in this collection."))

kept = index.values.shape[1]
with c4:
    count = setting_widget(replace(PATCHES, maximum=kept, default=min(PATCHES.default, kept)), "units_count")
hits = index.top(unit, count)
what = names[unit] if layer == OUTPUT else f"{layer}, unit {unit}"
left, right = st.columns([3, 2])
with left:
    pixels, problems = ui.patches(source, hits)
    show_figure(patch_grid_figure(pixels, [f"#{h.rank}: {h.activation:.3g}" for h in hits],
                                  f"{what}: the {len(hits)} crops that excite it most",
                                  hovers=[f"{h.name}<br>box {[round(v) for v in h.box]}" for h in hits]),
                key="patches")
    st.caption("**What am I looking at?** " + (
        "The image patches where this unit fires most. Each is exactly what the unit sees (its receptive field), "
        "cut from the original image; the number is the unit's activation there. Mirrored crops are shown as "
        "the model saw them." if layer != OUTPUT else "The whole crops the model scores highest for this "
        "class; the number is the class score (logit)."))
    for problem in problems:
        st.warning(f"Could not load {problem}")
    if hits and hits[0].activation <= 0:
        st.warning("This unit never fires (activation ≤ 0) on these images: it may be dead, or wait for a "
                   "pattern the collection lacks.")
with right:
    st.subheader("Its favourite image")
    objective = "neuron" if layer == OUTPUT else setting_widget(OBJECTIVE, f"units_objective_{spec.name}",
                                                                default_objective(spec))
    steps = setting_widget(STEPS, "units_steps")
    auto = setting_widget(AUTO, f"units_auto_{spec.name}", spec.input_size <= 64)
    vis = ui.synthesis(model, spec, layer, unit, objective, steps,
                       run=lambda: auto or st.button("Synthesize", type="primary",
                                                     help="Gradient ascent from noise; seconds to a minute."))
    if vis is None:
        st.caption("Press **Synthesize** to start from noise and change the pixels, step by step, "
                   "to make this unit fire as strongly as possible.")
    else:
        seen = "" if vis.box is None else f", {vis.patch.shape[1]}×{vis.patch.shape[0]} px"
        show_figure(synthesis_figure(vis.patch, f"Synthesized{seen}"), key="synthesis")
        best = hits[0].activation if hits else float("nan")
        s1, s2 = st.columns(2)
        s1.metric("Unit's peak on this image", f"{vis.peak:.3g}")
        s2.metric("Best real crop", f"{best:.3g}")
        show_figure(ascent_figure(vis.trace, "Response during gradient ascent",
                                  "class score" if layer == OUTPUT else "mean activation of the channel"
                                  if objective == "channel" else "activation of the centre unit"),
                    key="ascent")
        st.caption(("The part of the image the centre unit sees (its receptive field). " if vis.box else "")
                   + "Made by gradient ascent from noise, with random jitter and a smooth (1/frequency) image "
                   "basis as in Olah et al.'s Feature Visualization: the pattern the unit looks for, often "
                   "stronger than any photo.")

rf = index.receptive_field
m1, m2, m3 = st.columns(3)
m1.metric("Receptive field", "whole image" if rf.whole else f"{rf.size[1]}×{rf.size[0]} px",
          help=f"How much of the {rf.input_size}×{rf.input_size} model input one unit can see.")
m2.metric("Feature map", f"{index.units} × {rf.feature_shape[0]}×{rf.feature_shape[1]}",
          help="units (channels) × positions")
m3.metric("Crops searched", f"{index.meta['samples']:,}")

st.subheader("Where a patch comes from")
if hits:
    rank = st.selectbox("Patch", [h.rank for h in hits], format_func=lambda r: f"#{r}: {hits[r - 1].name}")
    hit = hits[rank - 1]
    try:
        original = np.asarray(source.image(hit).convert("RGB"))
        show_figure(source_figure(original, hit.box, f"Patch #{hit.rank} in {hit.name}"), key="where")
        st.caption("The box is the crop the model saw." if layer == OUTPUT else
                   f"The box is the receptive field of {what} at feature-map position {hit.position}"
                   + (" (in a mirrored crop)" if hit.flip else "") + ": the only pixels this unit looks at.")
    except (ImageError, ValueError, OSError) as exc:
        st.warning(f"Could not load {hit.name}: {exc}")

with st.expander("Search a folder of your own (command line)"):
    st.markdown("Index any folder once from a terminal; it then appears under **Images to search**:")
    st.code(f"python -m udl_viz patches --model {spec.name} --layer {layer} --unit {unit} "
            "--images PHOTOS_DIR --out patches_out --all-layers", language="bash")
    st.markdown("Split a large folder over many jobs with `--shard i/n`, then join them with "
                "`python -m udl_viz patches merge --out patches_out`.")
