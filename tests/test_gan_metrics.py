"""The four generator metrics on known cases, and on the shipped checkpoints."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz.datasets.digits import N_HELD_OUT, held_out_split
from udl_viz.gan.checkpoints import GAN_CHECKPOINT, VAE_CHECKPOINT, generate, load_gan, to_pixels
from udl_viz.gan.metrics import (
    THRESHOLDS,
    classify,
    copy_threshold,
    evaluate,
    nearest_training,
    two_sample_accuracy,
)


def test_split_is_stratified_and_holds_out_540():
    split = held_out_split()
    assert split.x_test.shape == (N_HELD_OUT, 8, 8) and len(split.x_train) == 1797 - N_HELD_OUT
    assert np.bincount(split.y_test).min() >= 52  # every class held out in proportion (about 54 each)
    assert split.x_train.max() == 16 and np.all(split.x_train == np.round(split.x_train))


def test_real_against_real():
    split = held_out_split()
    assert two_sample_accuracy(split.x_train[:N_HELD_OUT], split.x_test) < 0.6  # the forest cannot tell them apart
    assert two_sample_accuracy(np.zeros((100, 8, 8)) + 3, split.x_test[:100]) == 1.0
    probs = classify(split.x_test)
    assert (probs.argmax(1) == split.y_test).mean() > 0.95  # the judge knows real digits
    distance, _ = nearest_training(split.x_test)
    # by definition: 1 % of unseen real digits
    assert (distance < copy_threshold()).mean() == pytest.approx(0.01, abs=0.002)
    copies = evaluate(split.x_train[:N_HELD_OUT])  # training digits themselves are copies
    assert copies.near_copies == 1.0 and copies.recognised > 0.9 and copies.rarest_class > 0.07


def test_to_pixels_rounds_onto_the_digits_scale():
    import torch

    pixels = to_pixels(torch.tensor([0.0, 0.02, 0.51, 1.2] + [0.5] * 60).reshape(1, 1, 8, 8))
    assert pixels.dtype == np.float32 and pixels.shape == (1, 8, 8)
    assert pixels.ravel()[:4].tolist() == [0.0, 0.0, 8.0, 16.0]


@pytest.mark.skipif(not GAN_CHECKPOINT.exists(), reason="run scripts/train_gan.py --seed 0")
def test_shipped_gan_meets_every_threshold():
    assert GAN_CHECKPOINT.stat().st_size < 2e6
    metrics = evaluate(generate("gan", N_HELD_OUT, seed=0))
    assert all(metrics.passes().values()), metrics
    for name, _label, limit, higher in THRESHOLDS:  # and with room to spare
        value = getattr(metrics, name)
        assert (value >= limit * 1.2) if higher else (value <= limit * 0.9), (name, value)
    gan = load_gan()
    assert len(gan.grids) == len(gan.losses) == len(gan.verdicts)


@pytest.mark.skipif(not VAE_CHECKPOINT.exists(), reason="run scripts/train_vae.py --seed 0")
def test_shipped_vae_samples_digits():
    images = generate("vae", 50, seed=1)
    assert images.shape == (50, 8, 8) and images.min() >= 0 and images.max() <= 16
    assert np.array_equal(images, generate("vae", 50, seed=1))  # the seed fixes the samples
    assert classify(images).max(1).mean() > 0.5
