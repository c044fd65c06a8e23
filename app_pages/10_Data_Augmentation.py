"""Data augmentation: which transformations keep the label, and which turn a 6 into a 9."""

import streamlit as st

from udl_viz.augment import SWEEPS
from udl_viz.augment.digits import DIGIT_TRANSFORMS
from udl_viz.figures.augment import (
    digit_confusion_figure,
    digit_kept_figure,
    paired_probs_figure,
    stability_figure,
    sweep_figure,
    variant_grid_figure,
)
from udl_viz.models import ModelUnavailable
from udl_viz.samples import sample_names
from udl_viz.ui.augment import (
    cached_digit_report,
    cached_rotated_digit,
    cached_sweep,
    settings_panel,
    variants_with_cams,
)
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.loaders import resolve
from udl_viz.ui.sidebar import cnn_sidebar

page_setup("Data augmentation", "With little data, train on mirrored, rotated, shifted, cropped and recoloured "
           "copies of each image: the network learns that these changes do not alter the label. "
           "But only the changes that really don't: a 6 upside down is a 9.")
ctx = cnn_sidebar(default_sample="Coffee cup")  # a photo the model is sure of: "label kept" means something

st.subheader("Variants of the current image")
grid = st.container()  # the variants first; their settings below
settings = settings_panel()
try:
    settings.check()
except ValueError as exc:
    st.error(f"{exc} Move the slider back into range.")
    st.stop()
c1, c2 = st.columns([2, 1])
explain = c1.radio("Grad-CAM explains", ["each variant's own prediction", "the original image's prediction"],
                   horizontal=True, help="Explaining the original's class shows whether the model still looks "
                                         "at the same object after the change.")
opacity = c2.slider("Grad-CAM opacity", 0.0, 1.0, 0.45, 0.05)
with grid:
    results = variants_with_cams(ctx, settings, explain_original=explain.startswith("the original"))
    original, variants = results[0], results[1:]
    show_figure(variant_grid_figure(results, f"{ctx.spec.title}: each variant, its prediction and its Grad-CAM",
                                    opacity=opacity), key="variants")
    st.caption("**What am I looking at?** Each tile is what the model sees after one transformation, with its "
               "top label; ✓ means the label is unchanged, ✗ that it changed. The heat shows where Grad-CAM finds "
               "the evidence for the explained class.")
    kept = sum(r.stable for r in variants)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Original prediction", f"{original.label} ({original.prob:.0%})")
    m2.metric("Label kept", f"{kept} of {len(variants)} variants")
    m3.metric("Original class still in the top 5", f"{sum(r.original_rank <= 5 for r in variants)} of {len(variants)}")
    weakest = min(variants, key=lambda r: r.original_prob)
    m4.metric("Lowest probability of the original class", f"{weakest.original_prob:.0%} ({weakest.name})")

show_figure(stability_figure(results, f"How sure is the model still that this is '{original.label}'?"),
            key="stability")
st.caption("A transformation is safe to train with when the label stays the same. Near-ties (two similar "
           "classes sharing the probability) can flip the top label even for a harmless change.")
st.dataframe([{"variant": r.name, "what was done": r.detail, "prediction": r.label, "probability": f"{r.prob:.1%}",
               f"P('{original.label}')": f"{r.original_prob:.1%}",
               f"rank of '{original.label}'": r.original_rank, "label kept": "✓" if r.stable else "✗"}
              for r in results], hide_index=True)

st.subheader("How far can you go?")
family = st.selectbox("Transformation to sweep", list(SWEEPS), format_func=lambda n: f"{n} ({SWEEPS[n].axis})")
swept = cached_sweep(ctx.spec.name, ctx.image_key, family, ctx.image)
show_figure(sweep_figure(swept, f"{family.capitalize()}: the original class's probability at every strength"),
            key="sweep")
st.metric(f"Strengths that keep '{swept.original_label}'", f"{int(swept.stable.sum())} of {len(swept.values)}")
st.caption("Each point is one strength of the transformation; crosses mark strengths where the model "
           "switches to another label (hover to see which).")

st.subheader("Allowable perturbations depend on the data: a 6 upside down is a 9")
try:
    resolve("digits_cnn")
except ModelUnavailable as exc:
    st.warning(f"The 6-vs-9 lesson needs the digits CNN: {exc}")
    st.stop()
left, right = st.columns([1, 2])
with left:
    sample = st.selectbox("Digit to turn upside down", sample_names(digits=True), index=6)
    turned = cached_rotated_digit(sample, 180.0)
    st.image([turned.before, turned.after], caption=[sample, "rotated 180°"], width=120)
    st.metric("The digits CNN reads it after rotating as", f"{turned.read_as} ({turned.probs_after.max():.0%})")
with right:
    show_figure(paired_probs_figure(turned.classes, turned.probs_before, turned.probs_after,
                                    (sample, "rotated 180°"),
                                    "Digits CNN: class probabilities before and after rotating by 180°"),
                key="six_nine")
st.caption("Rotation is a fine augmentation for cats, but not for digits: turned upside down, a 6 becomes a 9, "
           "so training on rotated 6s labelled '6' would teach the network something false.")

report = cached_digit_report()
show_figure(digit_kept_figure(report, "All 1,797 handwritten digits: how often each keeps its label"),
            key="digit_kept")
upside_down = report.kept[report.transforms.index("rotate 180°")]
survivors = ", ".join(d for d, kept in zip(report.digits, upside_down, strict=True) if kept >= 0.8)
st.caption(f"Small rotations and shifts keep almost every label. Turned upside down, only {survivors} mostly stay "
           f"themselves, and {report.read_as('rotate 180°', 6)[1]:.0%} of the 6s become "
           f"{report.read_as('rotate 180°', 6)[0]}s. Mirroring breaks most digits too.")
transform = st.selectbox("Transformation", list(DIGIT_TRANSFORMS), index=list(DIGIT_TRANSFORMS).index("rotate 180°"))
show_figure(digit_confusion_figure(report.confusion[transform], report.digits,
                                   f"What the digits CNN reads after '{transform}'"), key="digit_confusion")
six_as, share = report.read_as(transform, 6)
st.caption(f"Each row is one true digit. After '{transform}', {share:.0%} of all 6s are read as {six_as}.")
