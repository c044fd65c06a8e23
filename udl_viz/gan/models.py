"""The networks: a DCGAN-style generator and discriminator for 8×8 digits, and a small VAE.

Images go in and out on ``[0, 1]`` (the digits' 0–16 scale divided by 16), shaped N×1×8×8.
"""

from __future__ import annotations

import torch
from torch import nn

LATENT = 16  # the GAN's noise dimension
VAE_LATENT = 2  # two, so the whole latent space fits on one map


class Generator(nn.Module):
    """DCGAN-style: noise → 2×2 → transposed convs up to 8×8 → sigmoid pixels."""

    def __init__(self, latent: int = LATENT, width: int = 32) -> None:
        super().__init__()
        self.latent = latent
        self.project = nn.Sequential(nn.Linear(latent, width * 2 * 2 * 2), nn.BatchNorm1d(width * 2 * 2 * 2), nn.ReLU())
        self.up = nn.Sequential(
            nn.ConvTranspose2d(width * 2, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),  # 4×4
            nn.ConvTranspose2d(width, width // 2, 4, 2, 1), nn.BatchNorm2d(width // 2), nn.ReLU(),  # 8×8
            nn.Conv2d(width // 2, 1, 3, padding=1), nn.Sigmoid(),
        )
        self.width = width

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.up(self.project(z).view(-1, self.width * 2, 2, 2))


class MinibatchStd(nn.Module):
    """Appends the batch's mean feature standard deviation as one more channel (Karras et al. 2018).

    A collapsed generator makes near-identical fakes; this channel lets the discriminator see that.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spread = x.std(dim=0, unbiased=False).mean() if len(x) > 1 else x.new_zeros(())
        return torch.cat([x, spread.expand(len(x), 1, *x.shape[2:])], dim=1)


class Discriminator(nn.Module):
    """DCGAN-style: strided convs with leaky ReLUs down to 2×2, then one logit (real if > 0)."""

    def __init__(self, width: int = 32) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, width // 2, 3, padding=1), nn.LeakyReLU(0.2),  # 8×8
            nn.Conv2d(width // 2, width, 4, 2, 1), nn.LeakyReLU(0.2),  # 4×4
            MinibatchStd(),
            nn.Conv2d(width + 1, width * 2, 4, 2, 1), nn.LeakyReLU(0.2),  # 2×2
        )
        self.head = nn.Linear(width * 2 * 2 * 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).flatten(1)).squeeze(1)


class VAE(nn.Module):
    """An MLP encoder to a 2-D Gaussian latent and an MLP decoder back to 8×8 pixel probabilities."""

    def __init__(self, latent: int = VAE_LATENT, hidden: int = 256) -> None:
        super().__init__()
        self.latent = latent
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                     nn.ReLU(), nn.Linear(hidden, 2 * latent))
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                     nn.Linear(hidden, 64))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of q(z | x)."""
        mean, log_var = self.encoder(x).chunk(2, dim=1)
        return mean, log_var

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).view(-1, 1, 8, 8)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Pixel intensities in [0, 1]."""
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mean, log_var = self.encode(x)
        z = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
        return self.decode_logits(z), mean, log_var
