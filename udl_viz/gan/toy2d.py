"""A GAN on 2-D points, in the spirit of GAN Lab (Kahng et al. 2018): small enough to watch every step.

The generator maps 2-D Gaussian noise to points; the discriminator maps a point to the logit of
"real". ``ToyGan.step()`` makes one discriminator update then one generator update with
torch.optim; ``ToyGan.view()`` returns what the page draws: real and fake points, the
discriminator's probability over the plane, and the direction the generator's loss pushes each fake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from udl_viz.settings import Setting

BOUNDS = (-3.0, 3.0)
N_SHOWN = 300  # fake and real points drawn (the fakes always come from the same noise, so they visibly move)
GRID = 48  # the decision surface is evaluated on GRID × GRID points
COVER_RADIUS = 0.3  # a real point is "covered" when a fake lies this close

TARGETS = {"ring": "Ring of 8 Gaussians", "moons": "Two moons", "line": "A line", "spiral": "A spiral"}
# Short labels: a select box cannot wrap its value.
LOSSES = {"nonsaturating": "Non-saturating: max log D(G(z))", "minimax": "Minimax: min log(1 − D(G(z)))"}
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD"}
LEARNING_RATES = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05)

SETTINGS = (
    Setting("target", "Target distribution", "ring", choices=tuple(TARGETS), labels=tuple(TARGETS.values())),
    Setting("loss", "Generator loss", "nonsaturating", choices=tuple(LOSSES), labels=tuple(LOSSES.values()),
            help="Minimax is the original game; its gradient vanishes when D confidently rejects the fakes. "
                 "The non-saturating loss keeps the gradient strong early on."),
    Setting("optimizer", "Optimizer", "adam", choices=tuple(OPTIMIZERS), labels=tuple(OPTIMIZERS.values())),
    Setting("lr_g", "Generator learning rate", 0.002, choices=LEARNING_RATES),
    Setting("lr_d", "Discriminator learning rate", 0.002, choices=LEARNING_RATES),
    Setting("d_steps", "D steps per G step", 1, minimum=1, maximum=10, step=1,
            help="Discriminator updates before each generator update."),
    Setting("batch", "Batch size", 128, minimum=8, maximum=512, step=8),
)
#: The lesson's other half: the defaults cover the ring; a generator 20× faster than its discriminator collapses.
COLLAPSE = {"target": "ring", "loss": "nonsaturating", "optimizer": "adam", "lr_g": 0.01, "lr_d": 0.0005,
            "d_steps": 1, "batch": 128}
MAX_STEPS = 5000  # a run stops here; press reset to start again


def sample_target(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points (n×2 float32) from the named target distribution."""
    if name == "ring":
        angle = 2 * np.pi * rng.integers(0, 8, n) / 8
        points = 2 * np.c_[np.cos(angle), np.sin(angle)] + 0.08 * rng.standard_normal((n, 2))
    elif name == "moons":
        from sklearn.datasets import make_moons

        points, _ = make_moons(n, noise=0.06, random_state=int(rng.integers(2**31)))
        points = 1.6 * (points - [0.5, 0.25])
    elif name == "line":
        t = rng.uniform(-1, 1, n)
        points = np.c_[2 * t, 1.2 * t] + 0.04 * rng.standard_normal((n, 2))
    elif name == "spiral":
        t = np.sqrt(rng.uniform(0, 1, n)) * 3 * np.pi
        points = 0.28 * np.c_[t * np.cos(t), t * np.sin(t)] + 0.05 * rng.standard_normal((n, 2))
    else:
        raise ValueError(f"unknown target {name!r}; choose one of {', '.join(TARGETS)}")
    return points.astype(np.float32)


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """−[log D(x) + log(1 − D(G(z)))], averaged: the discriminator wants real → 1, fake → 0."""
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


def generator_loss(fake_logits: torch.Tensor, kind: str, reduction: str = "mean") -> torch.Tensor:
    """Minimax: log(1 − D(G(z))); non-saturating: −log D(G(z)). The generator minimises either."""
    if kind == "minimax":
        return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits), reduction=reduction)
    if kind == "nonsaturating":
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits), reduction=reduction)
    raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")


def _mlp(inputs: int, outputs: int, hidden: int = 64) -> nn.Sequential:
    return nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, outputs))


@dataclass(frozen=True)
class ToyView:
    """Everything the playground draws after a step."""

    real: np.ndarray  # N×2 samples of the target
    fake: np.ndarray  # N×2 generator outputs for the fixed noise
    arrows: np.ndarray  # N×2: −∂(generator loss)/∂(fake point), where the generator wants each fake to go
    grid: np.ndarray  # the 1-D coordinates of the surface's grid along x and y
    surface: np.ndarray  # GRID×GRID discriminator probabilities "real" (rows: y, columns: x)
    losses: np.ndarray  # steps×2: discriminator and generator loss per step
    step: int
    coverage: float  # share of real points with a fake within COVER_RADIUS


@dataclass
class ToyGan:
    """One 2-D GAN with its optimizers; settings as in ``SETTINGS``."""

    target: str = "ring"
    loss: str = "nonsaturating"
    optimizer: str = "adam"
    lr_g: float = 0.002
    lr_d: float = 0.002
    d_steps: int = 1
    batch: int = 128
    seed: int = 0
    steps: int = 0
    history: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        sample_target(self.target, 1, np.random.default_rng(0))  # fails early on an unknown target
        generator_loss(torch.zeros(1), self.loss)
        torch.manual_seed(self.seed)
        self.rng = np.random.default_rng(self.seed)
        self.noise = torch.Generator().manual_seed(self.seed)
        self.generator, self.discriminator = _mlp(2, 2), _mlp(2, 1)
        self.opt_g = self._optimizer(self.generator, self.lr_g)
        self.opt_d = self._optimizer(self.discriminator, self.lr_d)
        self.shown_noise = torch.randn(N_SHOWN, 2, generator=self.noise)
        self.shown_real = sample_target(self.target, N_SHOWN, np.random.default_rng(self.seed + 1))

    def _optimizer(self, module: nn.Module, lr: float) -> torch.optim.Optimizer:
        if self.optimizer == "adam":
            return torch.optim.Adam(module.parameters(), lr, betas=(0.5, 0.999))
        if self.optimizer == "sgd":
            return torch.optim.SGD(module.parameters(), lr)
        raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")

    def step(self, count: int = 1) -> None:
        """``count`` rounds of ``d_steps`` discriminator updates and one generator update."""
        count = min(count, MAX_STEPS - self.steps)
        for _ in range(count):
            for _ in range(self.d_steps):
                real = torch.from_numpy(sample_target(self.target, self.batch, self.rng))
                fake = self.generator(torch.randn(self.batch, 2, generator=self.noise)).detach()
                loss_d = discriminator_loss(self.discriminator(real).squeeze(1), self.discriminator(fake).squeeze(1))
                self.opt_d.zero_grad()
                loss_d.backward()
                self.opt_d.step()
            fake_logits = self.discriminator(self.generator(torch.randn(self.batch, 2, generator=self.noise)))
            loss_g = generator_loss(fake_logits.squeeze(1), self.loss)
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
            self.history.append((loss_d.item(), loss_g.item()))
            self.steps += 1

    @property
    def finished(self) -> bool:
        return self.steps >= MAX_STEPS

    def view(self) -> ToyView:
        """Real and fake points, the decision surface and the generator's gradient arrows, now."""
        with torch.no_grad():
            fake = self.generator(self.shown_noise)
            axis = torch.linspace(*BOUNDS, GRID)
            yy, xx = torch.meshgrid(axis, axis, indexing="ij")
            surface = torch.sigmoid(self.discriminator(torch.stack([xx.ravel(), yy.ravel()], 1))).view(GRID, GRID)
        points = fake.clone().requires_grad_(True)
        # Summed, so each arrow is that one point's own gradient, not divided by the batch size.
        loss = generator_loss(self.discriminator(points).squeeze(1), self.loss, reduction="sum")
        (grad,) = torch.autograd.grad(loss, points)
        fake_np = fake.numpy()
        gaps = np.linalg.norm(self.shown_real[:, None, :] - fake_np[None, :, :], axis=2).min(1)
        return ToyView(real=self.shown_real, fake=fake_np, arrows=(-grad).numpy(), grid=axis.numpy(),
                       surface=surface.numpy(), losses=np.asarray(self.history, dtype=np.float32).reshape(-1, 2),
                       step=self.steps, coverage=float((gaps < COVER_RADIUS).mean()))


def ring_modes_hit(fake: np.ndarray, min_share: float = 0.02) -> int:
    """How many of the ring's 8 Gaussians hold at least ``min_share`` of the fakes (within 0.5 of the centre)."""
    centres = 2 * np.c_[np.cos(2 * np.pi * np.arange(8) / 8), np.sin(2 * np.pi * np.arange(8) / 8)]
    distance = np.linalg.norm(fake[:, None, :] - centres[None], axis=2)
    near = distance.min(1) < 0.5
    counts = np.bincount(distance.argmin(1)[near], minlength=8)
    return int((counts >= math.ceil(min_share * len(fake))).sum())
