"""Training the digit GAN and VAE, one epoch at a time, so a page can show every epoch as it happens."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import torch
from torch.nn import functional as F

from udl_viz.datasets.digits import PIXEL_MAX, held_out_split
from udl_viz.gan.models import VAE, Discriminator, Generator
from udl_viz.progress import Progress, report
from udl_viz.settings import Setting

GAN_SETTINGS = (
    Setting("epochs", "Epochs", 160, minimum=1, maximum=400, step=1,
            help="One epoch shows every training digit to the discriminator once."),
    Setting("lr_g", "Generator learning rate (Adam)", 0.002, choices=(0.0002, 0.0005, 0.001, 0.002, 0.005)),
    Setting("lr_d", "Discriminator learning rate (Adam)", 0.002, choices=(0.0002, 0.0005, 0.001, 0.002, 0.005)),
    Setting("batch", "Batch size", 64, minimum=16, maximum=256, step=16),
)
VAE_SETTINGS = (
    Setting("epochs", "Epochs", 200, minimum=1, maximum=400, step=1),
    Setting("lr", "Learning rate (Adam)", 0.002, choices=(0.0005, 0.001, 0.002, 0.005)),
)
EMA_DECAY = 0.99  # the shown generator is an exponential moving average of the trained one's weights


def training_images(seed: int = 0) -> torch.Tensor:
    """The training digits as N×1×8×8 on [0, 1]."""
    return torch.from_numpy(held_out_split(seed).x_train / PIXEL_MAX).unsqueeze(1)


@dataclass
class GanTrainer:
    """A generator, a discriminator, their Adam optimizers and the history of one training run."""

    lr_g: float = 0.002
    lr_d: float = 0.002
    batch: int = 64
    seed: int = 0
    epoch: int = 0
    losses: list[tuple[float, float]] = field(default_factory=list)  # (discriminator, generator) per epoch
    verdicts: list[tuple[float, float]] = field(default_factory=list)  # mean D(real), D(fake) per epoch

    def __post_init__(self) -> None:
        self.rng = torch.Generator().manual_seed(self.seed)
        torch.manual_seed(self.seed)
        self.generator, self.discriminator = Generator(), Discriminator()
        self.average = copy.deepcopy(self.generator).requires_grad_(False).eval()
        # beta1 = 0.5 as in DCGAN: less momentum keeps the two players from overshooting each other.
        self.opt_g = torch.optim.Adam(self.generator.parameters(), self.lr_g, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), self.lr_d, betas=(0.5, 0.999))
        self.data = training_images()

    def train_epoch(self) -> tuple[float, float]:
        """One pass over the training digits in shuffled batches; returns the mean (D loss, G loss)."""
        g, d = self.generator.train(), self.discriminator.train()
        order = torch.randperm(len(self.data), generator=self.rng)
        totals = np.zeros(4)
        batches = 0
        for start in range(0, len(order) - self.batch + 1, self.batch):
            real = self.data[order[start:start + self.batch]]
            z = torch.randn(len(real), g.latent, generator=self.rng)
            fake = g(z)
            real_logit, fake_logit = d(real), d(fake.detach())
            # Non-saturating GAN loss; the real label is smoothed to 0.9 so D never gets overconfident.
            loss_d = (F.binary_cross_entropy_with_logits(real_logit, torch.full_like(real_logit, 0.9))
                      + F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit)))
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()
            fake_logit = d(fake)
            loss_g = F.binary_cross_entropy_with_logits(fake_logit, torch.ones_like(fake_logit))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
            with torch.no_grad():
                for avg, new in zip(self.average.parameters(), g.parameters(), strict=True):
                    avg.lerp_(new, 1 - EMA_DECAY)
                for avg, new in zip(self.average.buffers(), g.buffers(), strict=True):
                    avg.copy_(new)
            totals += [loss_d.item(), loss_g.item(), torch.sigmoid(real_logit).mean().item(),
                       torch.sigmoid(fake_logit).mean().item()]
            batches += 1
        self.epoch += 1
        mean = totals / max(batches, 1)
        self.losses.append((float(mean[0]), float(mean[1])))
        self.verdicts.append((float(mean[2]), float(mean[3])))
        return self.losses[-1]

    def state(self) -> dict:
        """What a checkpoint keeps: the averaged generator, the discriminator and the run's history."""
        return {"generator": self.average.state_dict(), "discriminator": self.discriminator.state_dict(),
                "latent": self.generator.latent, "epochs": self.epoch, "losses": self.losses,
                "verdicts": self.verdicts, "seed": self.seed,
                "settings": {"lr_g": self.lr_g, "lr_d": self.lr_d, "batch": self.batch}}


def vae_loss(model: VAE, x: torch.Tensor) -> torch.Tensor:
    """Negative ELBO per image: binary cross-entropy reconstruction plus KL(q(z|x) || N(0, I))."""
    logits, mean, log_var = model(x)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp())
    return (reconstruction + kl) / len(x)


def train_vae(epochs: int, seed: int = 0, lr: float = 0.002, batch: int = 64,
              progress: Progress | None = None) -> tuple[VAE, list[float]]:
    """A VAE trained on the training digits, and its loss per epoch."""
    torch.manual_seed(seed)
    model, data = VAE(), training_images(seed=0)
    optimizer = torch.optim.Adam(model.parameters(), lr)
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(data)).split(batch):
            loss = vae_loss(model, data[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(data))
        report(progress, epoch + 1, epochs)
    return model.eval(), losses

