"""LIME: which superpixels drive the prediction, and how stable that answer is."""

import streamlit as st

from udl_viz.figures.lime import (
    convergence_figure,
    segmentation_figure,
    spread_map_figure,
    top_superpixels_figure,
    weight_map_figure,
    weights_bar_figure,
)
from udl_viz.lime_image import (
    ALGORITHM,
    EARLY_STOP,
    HIDE,
    SAMPLES,
    SEED,
    SEEDS,
    SETTINGS,
    SHOWN,
    StopRule,
    model_pixels,
)
from udl_viz.settings import freeze
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.lime import (
    LimeChoice,
    explanation,
    lime_story,
    result_metrics,
    seed_stability,
    stability_metrics,
)
from udl_viz.ui.settings import setting_widget, setting_widgets
from udl_viz.ui.sidebar import cnn_sidebar
from udl_viz.ui.widgets import input_panel, target_picker

page_setup("LIME: which regions mattered?",
           "LIME switches patches of the photo (superpixels) on and off at random, watches how the model's "
           "score changes, and fits a simple linear model: its weights say which patches mattered.")
ctx = cnn_sidebar()
spec = ctx.spec

_, controls = input_panel(ctx, key="lime_predictions")
with controls:
    target = target_picker(ctx, key="lime_target")
    shown = setting_widget(SHOWN, "lime_shown", bind="query-params")
class_name = spec.class_names()[target]
main = st.container()  # the explanation, drawn once the settings below are read
story, icon = lime_story(ctx)
st.info(story, icon=icon)

st.subheader("Settings")
c1, c2, c3 = st.columns(3)
with c1:
    algorithm = setting_widget(ALGORITHM, "lime_algorithm", bind="query-params")
    params = setting_widgets(SETTINGS[algorithm], f"lime_{algorithm}", columns=1)
with c2:
    num_samples = setting_widget(SAMPLES, "lime_samples", bind="query-params")
    early_stop = setting_widget(EARLY_STOP, "lime_early_stop")
    hide = setting_widget(HIDE, "lime_hide", bind="query-params")
with c3:
    seed = setting_widget(SEED, "lime_seed")

choice = LimeChoice(target, algorithm, freeze(params), num_samples, hide, seed, early_stop)
with main:
    explained = explanation(ctx, choice)
if explained is None:
    st.stop()
segments, result = explained
pixels = model_pixels(spec, ctx.image)
result_metrics(result, class_name)

positive, negative = result.top(shown, 1), result.top(shown, -1)
with main:
    f1, f2 = st.columns(2)
    with f1:
        show_figure(top_superpixels_figure(pixels, segments, positive, negative,
                                           f"Top {shown} superpixels for and against '{class_name}'"), key="lime_top")
        st.caption("**What am I looking at?** The photo with the patches that mattered most. Orange: these patches "
                   "raise the score of the class (lime draws them green). Blue: they lower it (lime's red). "
                   "The rest is dimmed.")
    with f2:
        show_figure(segmentation_figure(pixels, segments, f"{result.n_superpixels} superpixels ({algorithm})"),
                    key="lime_segments")
        st.caption("The regions LIME switches on and off. Numbers identify superpixels in the bar chart below.")
show_figure(weight_map_figure(pixels, segments, result.weights, f"LIME weight of every superpixel for '{class_name}'"),
            key="lime_heatmap")
st.caption("Each superpixel coloured by its weight: how much the class probability changes when it is shown "
           "rather than hidden, everything else equal.")
show_figure(weights_bar_figure(result.weights, f"Superpixel weights for '{class_name}', strongest first",
                               top=10), key="lime_bars")
st.caption("The ten superpixels most for and most against the class.")

if result.trace:
    show_figure(convergence_figure(result.trace, "Has the explanation converged?"),
                key="lime_convergence")
    st.caption("How well two independent halves of the samples agree, turned into an estimate of how closely "
               "this map matches the one unlimited samples would give; dashed: how close lime's own sampling gets "
               f"with all the samples. Filled dots: the top {StopRule.top_k} superpixels did not change since the "
               "last check.")

st.subheader("Is it stable? Run several seeds")
st.markdown("LIME's answer depends on its random perturbations, a long-standing complaint about the method. "
            "Run it with several seeds and see which superpixels keep their place.")
s1, s2 = st.columns([1, 3])
with s1:
    k = setting_widget(SEEDS, "lime_k")
    run_k = st.toggle(f"Run {k} seeds", value=False, key="lime_run_k",
                      help=f"Seeds {seed} to {seed + k - 1}, with the settings above. Takes about k times as long.")
if run_k:
    stability = seed_stability(ctx, choice, segments, k)
    with s1:
        stability_metrics(stability)
    with s2:
        show_figure(weights_bar_figure(stability.mean, f"Mean weight ± std over {k} seeds", std=stability.std,
                                       top=10), key="lime_stability_bars")
    st.caption("Bars: mean weight; whiskers: one standard deviation over seeds. A superpixel whose whisker "
               "crosses zero cannot be trusted to help or hurt.")
    show_figure(spread_map_figure(pixels, segments, stability.std, f"Where LIME is unsure: std of the weight "
                                  f"over {k} seeds"), key="lime_spread")
    st.caption("Bright superpixels change weight most from seed to seed.")
