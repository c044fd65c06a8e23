"""Streamlit glue for the generative-models page: the 2-D playground, live digit-GAN training and the VAE.

Live training never runs in the background of the server: each session keeps its own small model in
``st.session_state`` and a fragment with ``run_every`` advances it a bounded chunk per rerun (a few
steps of the 2-D GAN, one epoch of the digit GAN). The work therefore runs in that session's own
script thread (other sessions are never blocked), stops when the browser tab closes (no more
reruns), and is bounded by a step, epoch and wall-clock budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st
import torch

from udl_viz.datasets.digits import held_out_split
from udl_viz.figures.gan import (
    class_share_figure,
    decoded_map_figure,
    digits_figure,
    history_figure,
    latent_map_figure,
    toy_figure,
    toy_loss_figure,
)
from udl_viz.gan import toy2d
from udl_viz.gan.checkpoints import (
    GanCheckpoint,
    VaeCheckpoint,
    load_gan,
    load_vae,
    sample_gan,
    sample_vae,
)
from udl_viz.gan.explore import decoded_grid, latent_means, latent_walk, verdicts
from udl_viz.gan.metrics import THRESHOLDS, SampleMetrics, classify, evaluate, nearest_training
from udl_viz.gan.training import GAN_SETTINGS, GanTrainer
from udl_viz.settings import resolve
from udl_viz.ui.layout import show_figure
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widgets

TOY_KEY, TOY_PLAYING = "gan_toy", "gan_toy_playing"
TOY_STEPS_PER_TICK = 25
TOY_TICK = 0.4  # seconds between automatic steps while playing
LIVE_KEY = "gan_live"
LIVE_TICK = 0.5
LIVE_SECONDS = 600  # a live training run stops after this much wall-clock time, whatever its epochs
GRID = 16  # digits in the evolving sample grid
N_METRIC = 540
SHIPPED, LIVE = "the shipped GAN", "your GAN"
HELP = {
    "recognised": "Share of generated digits that a CNN trained on real digits labels with probability ≥ 0.9.",
    "rarest_class": "Share of the least generated digit class; 10 % is an even share, under 5 % means mode collapse.",
    "near_copies": "Share of generated digits closer to a training digit than 99 % of unseen real digits are.",
    "two_sample_accuracy": "Cross-validated accuracy of a random forest telling 540 generated from 540 held-out "
                           "real digits: 0.50 means it cannot tell them apart.",
}


# ---------------------------------------------------------------- 2-D playground

def toy_settings() -> dict:
    """The playground's knobs, with buttons that set them to show mode collapse or to avoid it."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Show mode collapse", on_click=_set_toy, args=(toy2d.COLLAPSE,),
                  help="The generator learns 20× faster than the discriminator: it chases one mode at a time.")
        st.button("Avoid it (defaults)", on_click=_set_toy, args=(resolve(toy2d.SETTINGS),),
                  help="Equal learning rates: the discriminator keeps up and pushes fakes to every mode.")
        st.caption("Changing any setting starts a new game.")
    return setting_widgets(toy2d.SETTINGS, "gan_toy", columns=3)


def _set_toy(values: dict) -> None:
    for name, value in values.items():
        st.session_state[f"gan_toy_{name}"] = value
    st.session_state[TOY_PLAYING] = True


def _toy(values: dict) -> toy2d.ToyGan:
    """This session's 2-D GAN; a new one whenever the settings change."""
    gan = st.session_state.get(TOY_KEY)
    if gan is None or {k: getattr(gan, k) for k in values} != values:
        gan = st.session_state[TOY_KEY] = toy2d.ToyGan(**values)
    return gan


def _toy_toggle() -> None:
    st.session_state[TOY_PLAYING] = not st.session_state.get(TOY_PLAYING, False)


def _toy_step() -> None:
    gan = st.session_state.get(TOY_KEY)
    if gan is not None:
        gan.step(1)


def _toy_reset() -> None:
    st.session_state.pop(TOY_KEY, None)
    st.session_state[TOY_PLAYING] = False


def toy_playground(values: dict) -> None:
    """Play / pause and reset, then the live view: a fragment that advances the game while it plays.

    Play, pause and reset rerun the page; the ticks and **One step** rerun only the fragment.
    """
    gan = _toy(values)
    playing = bool(st.session_state.get(TOY_PLAYING, False)) and not gan.finished
    with st.container(horizontal=True):
        st.button("Pause" if playing else "▶ Play", on_click=_toy_toggle, type="primary", disabled=gan.finished)
        st.button("Reset", on_click=_toy_reset, help="New networks, step 0.")
    if gan.finished:
        st.info(f"This run stopped at its limit of {toy2d.MAX_STEPS:,} steps; press Reset to start again.")

    @st.fragment(run_every=TOY_TICK if playing else None)
    def live() -> None:
        gan = st.session_state.get(TOY_KEY)
        if gan is None:
            return
        if st.session_state.get(TOY_PLAYING) and not gan.finished:
            gan.step(TOY_STEPS_PER_TICK)
            if gan.finished:
                st.session_state[TOY_PLAYING] = False
                st.rerun()
        view = gan.view()
        plane = st.container()  # the game above its numbers
        st.button("One step", on_click=_toy_step, disabled=playing or gan.finished,
                  help="One discriminator update, then one generator update (while paused).")
        with st.container(horizontal=True):
            st.metric("Step", f"{view.step:,}")
            st.metric("Data covered", f"{view.coverage:.0%}",
                      help=f"Share of real points with a fake within {toy2d.COVER_RADIUS} of it.")
            if gan.target == "ring":
                st.metric("Modes reached", f"{toy2d.ring_modes_hit(view.fake)} of 8",
                          help="Gaussians of the ring holding at least 2 % of the fakes.")
            if len(view.losses):
                st.metric("Loss D / G", f"{view.losses[-1, 0]:.2f} / {view.losses[-1, 1]:.2f}")
        with plane:
            show_figure(toy_figure(view.real, view.fake, view.arrows, view.grid, view.surface,
                                   f"{toy2d.TARGETS[gan.target]}: step {view.step}"), key="gan_toy_plane")
        if len(view.losses):
            show_figure(toy_loss_figure(view.losses, gan.loss, "Both losses over time"), key="gan_toy_losses")
        else:
            st.info("Press **▶ Play** or **One step** to start the game.")

    live()


# ---------------------------------------------------------------- the digit GAN

@st.cache_resource(show_spinner="Loading the digits GAN…")
def shipped_gan() -> GanCheckpoint:
    """The GAN trained by ``scripts/train_gan.py``, shared by every session."""
    return load_gan()


@st.cache_resource(show_spinner="Loading the digits VAE…")
def shipped_vae() -> VaeCheckpoint:
    """The VAE trained by ``scripts/train_vae.py``, shared by every session."""
    return load_vae()


@dataclass
class LiveRun:
    """This session's GAN training run: the trainer, its target epochs and the grid after each epoch."""

    trainer: GanTrainer
    epochs: int
    seconds: float = 0.0  # wall-clock time spent training so far
    grids: list[np.ndarray] = field(default_factory=list)
    running: bool = True
    measured: dict[int, SampleMetrics] = field(default_factory=dict)  # epoch -> metrics

    @property
    def out_of_time(self) -> bool:
        return self.seconds > LIVE_SECONDS


def _start_live(values: dict) -> None:
    trainer = GanTrainer(lr_g=values["lr_g"], lr_d=values["lr_d"], batch=values["batch"],
                         seed=int(time.time()) % 10_000)
    st.session_state[LIVE_KEY] = LiveRun(trainer, values["epochs"])


def _toggle_live() -> None:
    run = st.session_state.get(LIVE_KEY)
    if run is not None:
        run.running = not run.running and run.trainer.epoch < run.epochs and not run.out_of_time


def _discard_live() -> None:
    st.session_state.pop(LIVE_KEY, None)


def live_run() -> LiveRun | None:
    """This session's own training run, if it started one."""
    return st.session_state.get(LIVE_KEY)


def training_panel() -> None:
    """Settings and buttons to train a GAN from scratch here, and the sample grid evolving epoch by epoch."""
    with st.expander("Training settings"):
        values = setting_widgets(GAN_SETTINGS, "gan_live", columns=4)
    run = live_run()
    buttons = st.container(horizontal=True)
    buttons.button("Train a GAN from scratch", type="primary", on_click=_start_live, args=(values,))
    if run is not None:
        finished = run.trainer.epoch >= run.epochs
        buttons.button("Pause" if run.running else "▶ Resume", on_click=_toggle_live, disabled=finished)
        buttons.button("Discard it", on_click=_discard_live, help="Back to the shipped GAN.")
    if run is None:
        _shipped_recording()
        return

    @st.fragment(run_every=LIVE_TICK if run.running else None)
    def live() -> None:
        run = live_run()
        if run is None:
            return
        if run.running:
            start = time.perf_counter()
            run.trainer.train_epoch()
            run.grids.append(sample_gan(run.trainer.average, GRID, seed=0))
            run.seconds += time.perf_counter() - start
            if run.trainer.epoch >= run.epochs or run.out_of_time:
                run.running = False
                st.rerun()
        bar = progress_bar("Training")
        bar(run.trainer.epoch, run.epochs)
        if not run.grids:
            st.info("Press ▶ Resume to train the first epoch.")
            return
        state = "training…" if run.running else ("finished" if run.trainer.epoch >= run.epochs else "paused")
        show_figure(digits_figure(run.grids[-1], f"The same 16 noise vectors after epoch {run.trainer.epoch} "
                                                 f"({state})"), key="gan_live_grid")
        show_figure(history_figure(run.trainer.losses, run.trainer.verdicts, "Your GAN, epoch by epoch"),
                    key="gan_live_history")
        if run.out_of_time and not run.running:
            st.info(f"Live training stops after {LIVE_SECONDS // 60} minutes; this run is kept as it is.")

    live()


def _shipped_recording() -> None:
    """The shipped run, replayed: the same noise vectors' digits after any epoch, and its curves."""
    gan = shipped_gan()
    epochs = len(gan.grids)
    epoch = st.slider("Replay the shipped training run: epoch", 1, epochs, epochs, key="gan_replay_epoch",
                      help="The same 16 noise vectors, decoded by the generator as it was after each epoch.")
    show_figure(digits_figure(gan.grids[epoch - 1], f"The shipped GAN after epoch {epoch} of {epochs}"),
                key="gan_replay_grid")
    show_figure(history_figure(gan.losses, gan.verdicts, "The shipped run, epoch by epoch"),
                key="gan_replay_history")


def current_generator() -> tuple[str, torch.nn.Module, torch.nn.Module, int]:
    """The generator the rest of the page shows: this session's own once it has trained, else the shipped one.

    Returns its label, generator, discriminator and epoch count.
    """
    run = live_run()
    if run is not None and run.trainer.epoch > 0:
        return LIVE, run.trainer.average, run.trainer.discriminator, run.trainer.epoch
    gan = shipped_gan()
    return SHIPPED, gan.generator, gan.discriminator, len(gan.grids)


def real_vs_fake(seed: int) -> None:
    """Held-out real digits beside generated ones, each with the discriminator's verdict and the classifier's."""
    label, generator, discriminator, epoch = current_generator()
    real = held_out_split().x_test[np.random.default_rng(seed).choice(N_METRIC, GRID, replace=False)]
    fake = sample_gan(generator, GRID, seed)

    def captions(images: np.ndarray) -> list[str]:
        probs = classify(images)
        return [f"{p.argmax()} {p.max():.0%}<br>D {d:.2f}" for p, d in zip(probs, verdicts(discriminator, images),
                                                                           strict=True)]

    show_figure(digits_figure(real, "Real digits (held out, never trained on)", captions(real)), key="gan_real")
    show_figure(digits_figure(fake, f"Generated by {label} (epoch {epoch})", captions(fake)), key="gan_fake")
    st.caption("Above each digit: what a classifier trained on real digits reads (and how sure it is) · "
               "D = the discriminator's probability that the digit is real.")


def nearest_neighbours(seed: int) -> None:
    """Each generated digit next to its nearest real training digit: close, but not a copy."""
    _label, generator, _d, _epoch = current_generator()
    fake = sample_gan(generator, 8, seed)
    distance, index = nearest_training(fake)
    train = held_out_split().x_train
    pairs = np.stack([fake, train[index]], 1).reshape(-1, 8, 8)
    labels = [text for d in distance for text in ("fake", f"real<br>d={d:.0f}")]
    show_figure(digits_figure(pairs, "Each generated digit and its nearest training digit", labels, columns=8),
                key="gan_nearest")


def walk(seed_a: int, seed_b: int, steps: int) -> None:
    """Digits along a straight line between two noise vectors."""
    _label, generator, _d, _epoch = current_generator()
    images = latent_walk(generator, seed_a, seed_b, steps)
    show_figure(digits_figure(images, f"From noise #{seed_a} to noise #{seed_b} in {steps} steps",
                              [f"{t:.2f}" for t in np.linspace(0, 1, steps)], columns=steps),
                key="gan_walk")


@st.cache_data(show_spinner="Measuring the shipped generators…", max_entries=2)
def _shipped_metrics(model: str) -> SampleMetrics:
    if model == "gan":
        return evaluate(sample_gan(shipped_gan().generator, N_METRIC, seed=0))
    return evaluate(sample_vae(shipped_vae().model, N_METRIC, seed=0))


def generator_metrics() -> SampleMetrics | None:
    """The four numbers for the current generator (``None`` while a live run is training)."""
    label, generator, _d, epoch = current_generator()
    if label == SHIPPED:
        return _shipped_metrics("gan")
    run = live_run()
    if run.running:
        return None
    if epoch not in run.measured:
        with st.spinner("Measuring your GAN on 540 samples…"):
            run.measured = {epoch: evaluate(sample_gan(generator, N_METRIC, seed=0))}
    return run.measured[epoch]


def metrics_panel(metrics: SampleMetrics | None, key: str) -> None:
    """The four numbers as metrics, each against its threshold, and the class shares."""
    if metrics is None:
        st.info("The numbers are measured when training pauses or finishes (it takes a few seconds).")
        return
    passes = metrics.passes()
    columns = [column for _row in range(2) for column in st.columns(2)]
    for column, (name, label, limit, higher) in zip(columns, THRESHOLDS, strict=True):
        verdict = "meets" if passes[name] else "misses"
        column.metric(label, f"{getattr(metrics, name):.0%}" if name != "two_sample_accuracy"
                      else f"{metrics.two_sample_accuracy:.2f}",
                      delta=f"{verdict} {'≥' if higher else '≤'} {limit:.0%}" if name != "two_sample_accuracy"
                      else f"{verdict} ≤ {limit:.2f} (real vs real: 0.50)",
                      delta_color="normal" if passes[name] else "inverse", delta_arrow="off", help=HELP[name])
    show_figure(class_share_figure(metrics.class_shares, f"Which digits come out ({metrics.n} samples)"),
                key=f"{key}_shares")


# ---------------------------------------------------------------- the VAE

@st.cache_data(show_spinner=False, max_entries=1)
def _vae_map() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    vae = shipped_vae().model
    split = held_out_split()
    images, axis = decoded_grid(vae)
    return latent_means(vae, split.x_train), split.y_train, images, axis


def vae_panel() -> None:
    """The VAE's 2-D latent map of the training digits, decoded digits across it, and its samples' numbers."""
    means, labels, images, axis = _vae_map()
    show_figure(latent_map_figure(means, labels, "Where the encoder puts each training digit"), key="vae_map")
    show_figure(decoded_map_figure(images, axis, "What the decoder makes at each point"), key="vae_decoded")
    st.caption("Similar digits land close together, and the decoder fills the space between them with smooth "
               "blends: you can walk from a 0 to a 6 to a 5. Samples come from z ~ N(0, I), the middle of this map.")
    metrics_panel(_shipped_metrics("vae"), key="vae_metrics")

