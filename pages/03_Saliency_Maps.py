"""Saliency maps: attribution methods side by side, scored for faithfulness and sanity-checked."""

import streamlit as st

from udl_viz.attribution import METHODS
from udl_viz.figures.saliency import (
    MAGNITUDE_LEGEND,
    RANDOM_LABEL,
    SIGNED_LEGEND,
    auc_scatter_figure,
    faithfulness_figure,
    map_grid_figure,
    saliency_figure,
    sanity_correlation_figure,
)
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.loaders import freeze
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.saliency import (
    RANDOM,
    cached_faithfulness,
    cached_sanity,
    explain,
    map_tiles,
    settings_widgets,
    stored_settings,
)
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.widgets import input_panel, target_picker

SECTIONS = ["One method", "All methods side by side", "Faithfulness", "Sanity check"]
SANITY_DONE = "saliency_sanity_done"


def opacity_slider() -> float:
    return st.slider("Heatmap opacity", 0.0, 1.0, 0.6, 0.05, key="saliency_opacity")


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
    with st.spinner(f"Computing {METHODS[method].label}…"):
        result = explain(ctx, method, target)
    if result is not None:
        with figure:
            show_figure(saliency_figure(pixels, result.map, f"{METHODS[method].label} for '{target_name}'",
                                        opacity=opacity, absolute=not signed and METHODS[method].gradient_type),
                        key="saliency_single")
            st.caption("**What am I looking at?** The model's input with the map on top: the coloured pixels are the "
                       "ones that decide the score of the chosen class; where the photo shows through, the map is "
                       "near zero. " + ("Bright: matters most (the gradient's size; its sign is mostly noise)."
                                        if not signed and METHODS[method].gradient_type else
                                        "Orange: evidence for the class; blue: against it."))
        with info_col:
            st.metric("Forward passes", result.forward_passes)
            st.metric("Backward passes", result.backward_passes)
            st.metric("Seconds", f"{result.seconds:.2f}")
            if "convergence_delta" in result.extras:
                gap = result.extras
                st.metric("Completeness gap", f"{gap['convergence_delta']:.3g}",
                          help="Integrated Gradients promises: attributions add up to the score change from "
                               "the baseline to the photo. This is how far off the sum is (captum's convergence delta).")
                st.caption(f"Sum of attributions {gap['attribution_sum']:.3f} vs score change "
                           f"{gap['score_change']:.3f} ({gap['relative_gap']:.1%} off). More steps shrink the gap.")

elif section == "All methods side by side":
    opacity = opacity_slider()
    chosen = st.multiselect("Methods", list(METHODS), default=list(METHODS), format_func=lambda m: METHODS[m].label,
                            key="saliency_grid_methods")
    if not chosen:
        st.warning("Pick at least one method to compare.")
        st.stop()
    st.subheader(f"{len(chosen)} explanations of '{target_name}'")
    st.caption((MAGNITUDE_LEGEND if not signed else SIGNED_LEGEND).replace("<br>", "; ") + ". Quick methods come first.")
    results = map_tiles(ctx, chosen, target, pixels, opacity=opacity, absolute=not signed)
    st.caption("**What am I looking at?** The same photo explained by each method"
               + (" (magnitude only: switch on **Signed view** for for/against). " if not signed else ". ")
               + "Each tile is scaled to its own strongest values (the top 0.5 % are clipped). Under each name: forward and backward passes "
               "through the network and the seconds it took (the first time; results are cached).")
    st.dataframe([{"method": METHODS[m].label, "forward passes": r.forward_passes, "backward passes": r.backward_passes,
                   "seconds": round(r.seconds, 3), "settings": ", ".join(f"{k}={v}" for k, v in r.settings.items())}
                  for m, r in results.items()], hide_index=True)

elif section == "Faithfulness":
    st.markdown("**Deletion**: grey out the most salient pixels first and watch the probability of "
                f"'{target_name}' fall; a faithful map makes it fall fast (**lower area is better**). **Insertion**: start "
                "from a blurred image and restore the most salient pixels first (**higher area is better**). "
                "A random map is the baseline to beat (Petsiuk et al. 2018).")
    chosen = st.multiselect("Methods", list(METHODS), default=list(METHODS), format_func=lambda m: METHODS[m].label,
                            key="saliency_faith_methods")
    steps = st.slider("Steps per curve", 8, 64, 24, 8, key="saliency_faith_steps",
                      help="Each step is one image through the network, for each curve and method.")
    methods = [*chosen, RANDOM]
    bar = progress_bar("Scoring the maps…")
    curves = {}
    for i, method in enumerate(methods):
        label = RANDOM_LABEL if method == RANDOM else METHODS[method].label
        bar.label = f"Scoring {label}…"
        bar(i, len(methods))
        settings = () if method == RANDOM else freeze(stored_settings(spec, method))
        try:
            curves[label] = cached_faithfulness(spec.name, ctx.image_key, method, settings, target, steps, ctx.image)
        except ValueError as exc:
            st.error(f"{label}: {exc}")
    bar.done()
    a, b = st.columns(2)
    with a:
        show_figure(faithfulness_figure({k: f.deletion for k, f in curves.items()}, "deletion",
                                        "Deletion (lower area is better)"), key="saliency_deletion")
    with b:
        show_figure(faithfulness_figure({k: f.insertion for k, f in curves.items()}, "insertion",
                                        "Insertion (higher area is better)"),
                    key="saliency_insertion")
    rows = [{"method": k, "deletion_auc": f.deletion.auc, "insertion_auc": f.insertion.auc} for k, f in curves.items()]
    show_figure(auc_scatter_figure(rows, "Faithfulness at a glance: top-left is best"), key="saliency_auc")
    st.caption("A method that does not beat the random map on this image is not telling you what the network used. "
               "Grey pixels scattered at random also fool the network, so random deletion can look strong.")
    st.dataframe(rows, hide_index=True, column_config={
        "deletion_auc": st.column_config.NumberColumn("deletion AUC (lower is better)", format="%.3f"),
        "insertion_auc": st.column_config.NumberColumn("insertion AUC (higher is better)", format="%.3f")})

else:
    st.markdown("Randomise the network's weights from the output layer down (on a private copy) and explain "
                "again after each step. A map that barely changes cannot be explaining what the network learned "
                "(Adebayo et al. 2018).")
    chosen = st.multiselect("Methods to check", list(METHODS), default=["saliency", "guided_backprop", "gradcam"],
                            format_func=lambda m: METHODS[m].label, key="saliency_sanity_methods")
    max_steps = st.slider("Randomisation steps", 2, 8, 6, key="saliency_sanity_steps")
    opacity = opacity_slider()
    runs = st.session_state.setdefault(SANITY_DONE, set())
    keys = {m: (spec.name, ctx.image_key, m, freeze(stored_settings(spec, m)), target, max_steps) for m in chosen}
    if st.button("Run the sanity check", type="primary", key="saliency_sanity_run", disabled=not chosen):
        runs.update(keys.values())
    if not chosen:
        st.warning("Pick at least one method to check.")
    done = [m for m in chosen if keys[m] in runs]
    if chosen and not done:
        st.info("Press the button: each method is recomputed once per randomisation step.")
    checks = {}
    for method in done:
        bar = progress_bar(f"{METHODS[method].label}: randomising the layers…")
        try:
            checks[method] = cached_sanity(*keys[method][:5], max_steps, ctx.image, _progress=bar)
        except ValueError as exc:
            st.error(f"{METHODS[method].label}: {exc}")
        bar.done()
    if checks:
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
