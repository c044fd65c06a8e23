"""The digit networks, the VAE's loss by hand, the explore helpers and the figures."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from udl_viz.figures.gan import (
    class_share_figure,
    decoded_map_figure,
    digits_figure,
    history_figure,
    latent_map_figure,
    toy_figure,
    toy_loss_figure,
)
from udl_viz.gan.explore import decoded_grid, latent_means, latent_walk, verdicts
from udl_viz.gan.models import VAE, Discriminator, Generator, MinibatchStd
from udl_viz.gan.training import GanTrainer, vae_loss


def test_vae_loss_is_64_ln2_when_encoder_and_decoder_output_zeros():
    model = VAE()
    with torch.no_grad():
        for layer in (model.encoder[-1], model.decoder[-1]):
            layer.weight.zero_()
            layer.bias.zero_()
    x = torch.rand(5, 1, 8, 8)
    # mean 0 and log-variance 0: KL(N(0, 1) || N(0, 1)) = 0; logits 0: each pixel costs ln 2 whatever its value
    assert vae_loss(model, x).item() == pytest.approx(64 * math.log(2), rel=1e-5)


def test_minibatch_std_sees_a_collapsed_batch():
    layer = MinibatchStd()
    same = layer(torch.ones(4, 3, 2, 2))
    assert same.shape == (4, 4, 2, 2) and torch.all(same[:, 3] == 0)
    spread = layer(torch.tensor([0.0, 2.0]).view(2, 1, 1, 1))
    assert torch.all(spread[:, 1] == 1.0)  # population std of {0, 2}


def test_networks_shapes_and_one_training_epoch():
    g, d = Generator(), Discriminator()
    images = g.eval()(torch.randn(6, g.latent))
    assert images.shape == (6, 1, 8, 8) and images.min() >= 0 and images.max() <= 1
    assert d(images).shape == (6,)
    trainer = GanTrainer(batch=256)
    trainer.train_epoch()
    assert trainer.epoch == 1 and len(trainer.losses) == len(trainer.verdicts) == 1
    assert all(0 <= v <= 1 for v in trainer.verdicts[0])
    walk = latent_walk(trainer.average, 1, 2, steps=5)
    assert walk.shape == (5, 8, 8)
    p = verdicts(trainer.discriminator, walk)
    assert p.shape == (5,) and np.all((p > 0) & (p < 1))
    vae = VAE().eval()
    assert latent_means(vae, walk).shape == (5, 2)
    grid, axis = decoded_grid(vae, k=4, span=2)
    assert grid.shape == (4, 4, 8, 8) and axis.tolist() == pytest.approx(np.linspace(-2, 2, 4).tolist())


def test_figures_have_titles_and_the_expected_traces():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(10, 2))
    grid = np.linspace(-3, 3, 5)
    fig = toy_figure(points, points + 0.1, points, grid, np.full((5, 5), 0.5), "plane")
    assert fig.layout.title.text == "plane" and len(fig.data) == 4  # surface, real, arrows, fakes
    assert len(toy_figure(points, points, points, grid, np.zeros((5, 5)), "t", show_arrows=False).data) == 3
    assert len(toy_loss_figure(np.ones((7, 2)), "minimax", "losses").data) == 2
    images = rng.integers(0, 17, size=(5, 8, 8))
    fig = digits_figure(images, "digits", labels=list("abcde"), columns=4)
    assert fig.layout.title.text == "digits" and [a.text for a in fig.layout.annotations] == list("abcde")
    assert fig.data[0].z.shape == (2 * 12, 4 * 9 - 1)  # two rows of (label band, digit, gap)
    assert history_figure([(1, 2)] * 3, [(0.6, 0.4)] * 3, "h").layout.title.text == "h"
    bars = class_share_figure([0.1] * 9 + [0.01], "shares")
    assert bars.data[0].marker.color[-1] != bars.data[0].marker.color[0]  # the class under 5 % stands out
    assert len(latent_map_figure(points, np.arange(10), "map").data) == 10
    assert decoded_map_figure(np.zeros((3, 3, 8, 8)), np.linspace(-1, 1, 3), "decoded").data[0].z.shape == (24, 24)
