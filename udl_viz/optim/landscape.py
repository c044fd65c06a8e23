"""A trained network's loss landscape: a 2D slice through weight space (Li et al., 2018).

Around the trained weights θ*, the loss is evaluated at θ* + α·d₁ + β·d₂ on a grid of (α, β).
The directions are either random and *filter-normalised* (each filter of d scaled to the norm
of the same filter in θ*, biases left out, so the picture does not depend on how the weights
happen to be scaled), or the two principal components of the training trajectory, the plane
in which training moved most. The per-epoch snapshots of training are drawn projected onto
the slice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.func import functional_call

from udl_viz.progress import Progress, report
from udl_viz.settings import Setting, resolve

DIRECTIONS = {"random": "filter-normalised random directions",
              "pca": "principal components of the training path"}
#: The knobs of ``loss_landscape``; span and seed matter only for random directions.
SETTINGS = (
    Setting("directions", "Slice along", "pca", choices=tuple(DIRECTIONS),
            labels=tuple(d.capitalize() for d in DIRECTIONS.values()), widget="radio",
            help="Random directions show the shape around the trained weights (Li et al. 2018). "
                 "The principal components of the training path show the plane training moved in."),
    Setting("resolution", "Grid points per side", 13, minimum=3, maximum=31, step=2,
            help="More points: a finer picture, and more loss evaluations (points²)."),
    Setting("span", "Distance along each direction", 1.0, minimum=0.25, maximum=2.0, step=0.25,
            help="1 moves every filter by its own length: far enough to leave the valley."),
    Setting("seed", "Random seed", 0, minimum=0, maximum=9999, widget="number",
            help="Another seed draws other random directions."),
)


@dataclass
class Landscape:
    """The loss on a grid in the (α, β) plane and the training path projected onto it."""

    alphas: np.ndarray  # (R,)
    betas: np.ndarray  # (R,)
    loss: np.ndarray  # (R, R): loss[i, j] at (alphas[j], betas[i])
    path: np.ndarray  # (T, 2): each epoch's weights, projected onto the plane
    path_loss: np.ndarray  # (T,): the true loss at each epoch's weights
    #: Share of the training path's movement that lies in the plane (1 = all of it).
    in_plane: float
    directions: str
    n_examples: int

    @property
    def center_loss(self) -> float:
        return float(self.path_loss[-1])


def filter_normalized_direction(model: nn.Module, generator: torch.Generator) -> torch.Tensor:
    """A random direction in weight space, flattened, with each filter scaled like the model's.

    Weights with one dimension or fewer (biases) get a zero direction, as in Li et al.
    """
    parts = []
    for p in model.parameters():
        if p.dim() <= 1:
            parts.append(torch.zeros_like(p).flatten())
            continue
        d = torch.randn(p.shape, generator=generator, dtype=p.dtype)
        # One filter = one output channel (conv) or one output unit (linear): dim 0.
        d_norm = d.flatten(1).norm(dim=1).clamp_min(1e-12)
        p_norm = p.detach().flatten(1).norm(dim=1)
        parts.append((d * (p_norm / d_norm).view(-1, *[1] * (p.dim() - 1))).flatten())
    return torch.cat(parts)


def pca_directions(trajectory: torch.Tensor, center: torch.Tensor) -> torch.Tensor:
    """The two principal directions (2, P) of the snapshots' offsets from the final weights."""
    from sklearn.decomposition import PCA

    offsets = (trajectory - center).double().numpy()
    return torch.as_tensor(PCA(n_components=2).fit(offsets).components_, dtype=trajectory.dtype)


def project(points: torch.Tensor, center: torch.Tensor, directions: torch.Tensor) -> tuple[np.ndarray, float]:
    """Least-squares (α, β) of each point in the plane through ``center``, and the in-plane share."""
    offsets = (points - center).double()
    basis = directions.double().T  # (P, 2)
    coords = torch.linalg.lstsq(basis, offsets.T).solution.T  # (T, 2)
    moved = offsets.norm(dim=1)
    keep = moved > 0
    share = float(((coords @ basis.T)[keep].norm(dim=1) / moved[keep]).mean()) if keep.any() else 1.0
    return coords.numpy(), share


def _loss_fn(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Callable[[torch.Tensor], float]:
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    sizes = [s.numel() for s in shapes]

    def loss(flat: torch.Tensor) -> float:
        params = {n: t.view(s) for n, t, s in zip(names, flat.split(sizes), shapes, strict=True)}
        with torch.inference_mode():
            return float(nn.functional.cross_entropy(functional_call(model, params, (x,)), y))

    return loss


def _axis(values: np.ndarray, resolution: int) -> np.ndarray:
    lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
    pad = 0.25 * max(hi - lo, 1e-3)
    return np.linspace(lo - pad, hi + pad, resolution)


def loss_landscape(model: nn.Module, x: torch.Tensor, y: torch.Tensor, trajectory: Sequence[torch.Tensor], *,
                   directions: str = "random", resolution: int = 15, span: float = 1.0, seed: int = 0,
                   progress: Progress | None = None) -> Landscape:
    """The cross-entropy of ``model`` on ``(x, y)`` over a 2D slice of weight space.

    ``directions`` is ``"random"`` (a ``±span`` square along filter-normalised random directions)
    or ``"pca"`` (the plane of the training path, framed around it). ``progress(done, total)`` is
    called after every evaluation.
    """
    resolve(SETTINGS, {"directions": directions, "resolution": resolution, "span": span, "seed": seed})
    model = model.eval()
    center = nn.utils.parameters_to_vector(model.parameters()).detach()
    snapshots = torch.stack(list(trajectory)).to(center.dtype)
    if directions == "random":
        g = torch.Generator().manual_seed(seed)
        basis = torch.stack([filter_normalized_direction(model, g) for _ in range(2)])
    else:
        basis = pca_directions(snapshots, center)
    path, share = project(snapshots, center, basis)
    if directions == "random":
        alphas = betas = np.linspace(-span, span, resolution)
    else:
        alphas, betas = _axis(path[:, 0], resolution), _axis(path[:, 1], resolution)
    loss = _loss_fn(model, x, y)

    def weights() -> Iterator[torch.Tensor]:
        for b in betas:
            for a in alphas:
                yield center + float(a) * basis[0] + float(b) * basis[1]
        yield from snapshots

    values, total = [], resolution * resolution + len(snapshots)
    for w in weights():
        values.append(loss(w))
        report(progress, len(values), total)
    grid = np.array(values[:-len(snapshots)]).reshape(resolution, resolution)
    path_loss = np.array(values[-len(snapshots):])
    return Landscape(alphas, betas, grid, path, path_loss, share, directions, len(y))
