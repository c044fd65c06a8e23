"""Generative models: a GAN's counterfeiter against its cop, in 2-D and on real digits, and a VAE as the contrast."""

import streamlit as st

from udl_viz.gan.explore import SAMPLE_SEED, WALK
from udl_viz.ui.gan import (
    generator_metrics,
    metrics_panel,
    nearest_neighbours,
    real_vs_fake,
    toy_playground,
    toy_settings,
    training_panel,
    vae_panel,
    walk,
)
from udl_viz.ui.layout import page_setup
from udl_viz.ui.settings import setting_widget, setting_widgets

page_setup("Generative models: counterfeiter vs cop",
           "A GAN's generator (the counterfeiter) turns random noise into data; its discriminator (the cop) "
           "learns to tell that data from the real thing. Each improves by beating the other, until the fakes "
           "look real.")

playground, digits, vae = st.tabs(["2-D playground", "Digits that look real", "Variational autoencoder"])

with playground:
    board = st.container()  # the game first, its settings below
    values = toy_settings()
    with board:
        toy_playground(values)
        st.caption(
            "**What am I looking at?** Each purple diamond is the generator's output for one fixed noise vector; "
            "the green dots are real data. The background is the discriminator: **orange** where it says *real*, "
            "**blue** where it says *fake*. The grey lines show where the generator's loss pushes each fake, "
            "uphill on the discriminator's surface. Press **▶ Play** and watch the fakes move onto the data while "
            "the surface fades to white (D = ½ everywhere: it can no longer tell).")
    with st.expander("Mode collapse: what to look for"):
        st.markdown(
            "Press **Show mode collapse**: the generator learns 20× faster than the discriminator, so all its "
            "samples rush to whichever spot the discriminator currently calls real, then jump to the next one. "
            "The fakes cover one or two of the eight Gaussians at a time: *Ring modes the fakes reach* stays low. "
            "**Avoid it** restores equal learning rates: the discriminator keeps up, penalises crowded spots, and "
            "the fakes spread over all eight. The minimax loss shows its weakness when the discriminator wins "
            "early: the grey arrows shrink to nothing (its gradient saturates), while the non-saturating loss "
            "keeps pushing.")

with digits:
    st.markdown(
        "A DCGAN-style pair on scikit-learn's 8×8 handwritten digits: the generator turns 16 random numbers into "
        "a digit with transposed convolutions; the discriminator is a small CNN. 540 digits are held out and "
        "never trained on. Train one from scratch and watch the same 16 noise vectors become digits, epoch by "
        "epoch; or replay the shipped run.")
    training_panel()

    st.subheader("Real or fake?")
    seed = setting_widget(SAMPLE_SEED, "gan_seed")
    real_vs_fake(seed)

    st.subheader("Not copying: the nearest training digit to each fake")
    nearest_neighbours(seed)
    st.caption("d = Euclidean distance on the 0–16 pixel scale. A copy would have d near 0; the generator makes "
               "new digits in the style of the training set.")

    st.subheader("A walk through latent space")
    walk(**setting_widgets(WALK, "gan_walk"))
    st.caption("Points between two noise vectors decode to digits too: the generator has learned a smooth map, "
               "not a lookup table of training images.")

    st.subheader("Measured, not eyeballed")
    st.markdown(
        "Four numbers on 540 generated digits: a classifier trained on real digits must recognise them; every "
        "class must appear (no mode collapse); few may be near-copies of a training digit (closer than 99 % of "
        "unseen real digits are); and a random forest must struggle to tell them from 540 held-out real digits.")
    metrics_panel(generator_metrics(), key="gan_metrics")

with vae:
    st.markdown(
        "A variational autoencoder learns the other way round: an encoder squeezes each digit to a point in a "
        "2-D latent space (a Gaussian around it), a decoder turns points back into digits, and a KL term keeps "
        "the points near N(0, I) so that any point there decodes to something digit-like. No adversary: its "
        "samples are smoother, and blurrier, than a GAN's.")
    vae_panel()
