"""Fooling the network: adversarial examples, their flip ε, robustness curves, Grad-CAM, transfer, rotation."""

import streamlit as st

from udl_viz.figures.adversarial import (
    amplification,
    attack_figure,
    gradcam_figure,
    robustness_figure,
    top5_pair_figure,
)
from udl_viz.figures.augment import sweep_figure
from udl_viz.ui.adversarial import (
    attack_controls,
    cached_curves,
    curve_photos,
    download_button,
    gradcams,
    link_page,
    run_attack,
    smallest_eps,
    transfer_to,
)
from udl_viz.ui.augment import cached_sweep
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.sidebar import cnn_sidebar

page_setup("Fooling the network", "The deepest problem with deep learning: change every pixel by a level or two, "
           "invisible to you, and a confident network changes its mind. Turn the photo, and it may too.")
ctx = cnn_sidebar()
names = ctx.spec.class_names()

st.subheader("An invisible change")
choice = attack_controls(ctx)
result = run_attack(ctx, choice)
before, after = result.original_top[0], result.adversarial_top[0]
show_figure(attack_figure(result, f"{ctx.spec.title}: {choice.method.upper()} at ε = {choice.eps}"
                          + (f", aiming for '{names[choice.target]}'" if choice.target is not None else "")),
            key="adv_attack")
show_figure(top5_pair_figure(result.original_top, result.adversarial_top, ("original", "adversarial"),
                             "Top-5 before and after", highlight=choice.target), key="adv_top5")
st.caption(f"**What am I looking at?** A photo, a change too small to see, and the network's answer before and "
           f"after. Left: what the model sees. Middle: the change, multiplied by {amplification(result)} to be visible "
           "(mid-grey means untouched; every colour channel of every pixel moved by at most "
           f"{result.linf} level{'s' if result.linf != 1 else ''} of 255). Right: the sum of the two, which "
           "looks the same to you. Below: the five most likely classes of each (the target in orange). The attack "
           "follows the sign of the gradient of the loss with respect to the pixels: it pushes every pixel a tiny "
           "step in the direction that hurts the network most.")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Before", f"{before.label} ({before.prob:.0%})")
m2.metric("After", f"{after.label} ({after.prob:.0%})")
m3.metric("Largest change per pixel", f"{result.linf} of 255 levels")
goal = "reached the target" if choice.target is not None else "fooled the model"
m4.metric("Attack", f"✓ {goal}" if result.success else "✗ not fooled",
          help="Judged on the rounded 8-bit image, the one you can download.")
download_button(result, ctx.image_label.rsplit(".", 1)[0])

st.subheader("Where does the network look now?")
opacity = st.slider("Grad-CAM opacity", 0.0, 1.0, 0.5, 0.05, key="adv_opacity")
show_figure(gradcam_figure(result, gradcams(ctx, choice, result), "Grad-CAM: original vs adversarial",
                           opacity=opacity), key="adv_gradcam")
st.caption("Each map explains the image's own top class. The adversarial image often looks at the same place: "
           "the object is still there for the network too, but the tiny change has moved its answer. "
           "Explanations tell you where the evidence is, not whether it can be trusted.")

st.subheader("Does the trick work on another network?")
moved = transfer_to(ctx, choice, result)
if isinstance(moved, str):
    st.info(moved)
else:
    m1, m2 = st.columns(2)
    m1.metric(f"{moved.model_title} on the original", f"{moved.clean_top[0].label} ({moved.clean_top[0].prob:.0%})")
    m2.metric(f"{moved.model_title} on the adversarial image",
              f"{moved.adversarial_top[0].label} ({moved.adversarial_top[0].prob:.0%})",
              delta="fooled too" if moved.fooled else "not fooled", delta_color="off")
    show_figure(top5_pair_figure(moved.clean_top, moved.adversarial_top, ("original", "adversarial"),
                                 f"{moved.model_title.split(' (')[0]} on both images", highlight=choice.target),
                key="adv_transfer")
    st.caption(f"The perturbation was computed on {ctx.spec.title} only; {moved.model_title} never took part "
               f"(both images are resized to its input the same way). Its probability of '{moved.clean_top[0].label}' "
               f"went from {moved.clean_top[0].prob:.0%} to {moved.label_prob_after:.0%}. "
               "Attacks that transfer work even on networks whose weights the "
               "attacker cannot see; a larger ε transfers more often.")

st.subheader("How small can the change be?")
if st.toggle("Search for the smallest ε that works", key="adv_flip",
             help="A binary search over whole pixel levels: about seven attacks, so it takes a while."):
    flip = smallest_eps(ctx, choice)
    if flip.eps is None:
        st.metric("Smallest ε that works", f"none up to {flip.max_eps}")
    else:
        st.metric("Smallest ε that works", f"{flip.eps} level{'s' if flip.eps != 1 else ''} of 255",
                  help="Binary search over whole pixel levels with captum's MinParamPerturbation.")
        st.caption(f"At ε = {flip.eps}, {choice.method.upper()} turns '{names[flip.label]}' into "
                   f"'{names[flip.adv_label]}'. One level of 255 is less than 0.4 % of the brightness range.")

st.subheader("Accuracy against ε")
photos = curve_photos(ctx)
if st.toggle(f"Attack all {len(photos)} built-in images at ε = 0 … 16 (FGSM and PGD)", key="adv_curves",
             help="Takes a while: every ε is a full attack on every image."):
    curves = cached_curves(ctx.spec.name, choice.steps)
    show_figure(robustness_figure(curves, f"{ctx.spec.title}: share of images that keep their label"),
                key="adv_curves_fig")
    st.caption("Each image's own clean prediction counts as its label. PGD, which takes many small steps, "
               "fools more images at the same ε than FGSM's single step: a few levels are enough for almost all. "
               "Hover over a point to see which images were fooled.")

st.subheader("Turn the photo")
swept = cached_sweep(ctx.spec.name, ctx.image_key, "rotation", ctx.image)
show_figure(sweep_figure(swept, f"Probability of '{swept.original_label}' as the photo turns"), key="adv_rotation")
st.caption(f"No pixel trickery: the photo is just rotated. The label survives {int(swept.stable.sum())} of "
           f"{len(swept.values)} angles; crosses mark angles where the network names something else (hover to "
           "see what), like the school bus it calls a snow plough when turned over.")
link_page("app_pages/10_Data_Augmentation.py", "Data augmentation: rotate, shift, crop and recolour, and see which "
          "changes the label survives")
