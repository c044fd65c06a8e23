"""Loss functions to descend: 1D curves of one weight and 2D surfaces of two, with analytic gradients.

Every function acts row by row on a tensor of shape ``(..., dim)``, so one call evaluates a
whole batch of points (a grid, or many optimizers' positions at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from udl_viz.optim import diabetes
from udl_viz.settings import Setting

Tensor = torch.Tensor


@dataclass(frozen=True)
class Surface:
    """A loss over ``dim`` weights, its gradient, a plotting window and landmarks to mark."""

    name: str
    title: str
    blurb: str
    dim: int
    value: Callable[[Tensor], Tensor]
    grad: Callable[[Tensor], Tensor]
    bounds: tuple[tuple[float, float], ...]
    start: tuple[float, ...]
    #: (label, point) pairs drawn on the figure, e.g. ("global minimum", (1.0, 1.0)).
    landmarks: tuple[tuple[str, tuple[float, ...]], ...]
    #: Default learning rate for each optimizer in ``udl_viz.optim.optimizers.OPTIMIZERS``.
    lr: dict[str, float] = field(default_factory=dict)
    axis_labels: tuple[str, ...] = ("w₁", "w₂")
    #: Colour contours by log10(loss − minimum): for surfaces whose walls are far steeper than their floor.
    log_scale: bool = False

    @property
    def min_value(self) -> float:
        """The lowest loss among the landmarks (the global minimum)."""
        points = torch.tensor([p for _, p in self.landmarks], dtype=torch.float64)
        return float(self.value(points).min())


def _lrs(gd: float, momentum: float, adaptive: float, adagrad: float, adadelta: float,
         **override: float) -> dict[str, float]:
    return {"sgd": gd, "momentum": momentum, "nesterov": momentum, "rmsprop": adaptive,
            "adam": adaptive, "adagrad": adagrad, "adadelta": adadelta, **override}


def _stack(*columns: Tensor) -> Tensor:
    return torch.stack(columns, dim=-1)


# ---- 1D curves: the skier on a slope --------------------------------------------------------

def _two_valleys(p: Tensor) -> Tensor:
    w = p[..., 0]
    return w**4 - 4 * w**2 + w


def _two_valleys_grad(p: Tensor) -> Tensor:
    w = p[..., 0]
    return _stack(4 * w**3 - 8 * w + 1)


def _bumpy(p: Tensor) -> Tensor:
    w = p[..., 0]
    return 0.1 * w**2 + 0.5 * torch.sin(2.5 * w) + 0.25 * torch.sin(6 * w + 1)


def _bumpy_grad(p: Tensor) -> Tensor:
    w = p[..., 0]
    return _stack(0.2 * w + 1.25 * torch.cos(2.5 * w) + 1.5 * torch.cos(6 * w + 1))


def _narrow(p: Tensor) -> Tensor:
    w = p[..., 0]
    return 0.05 * w**2 - 0.6 * torch.exp(-2 * (w - 1.5) ** 2) - 1.2 * torch.exp(-8 * (w + 1.8) ** 2)


def _narrow_grad(p: Tensor) -> Tensor:
    w = p[..., 0]
    return _stack(0.1 * w + 2.4 * (w - 1.5) * torch.exp(-2 * (w - 1.5) ** 2)
                  + 19.2 * (w + 1.8) * torch.exp(-8 * (w + 1.8) ** 2))


# ---- 2D surfaces -------------------------------------------------------------------------------

def _quadratic(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return 0.5 * (x**2 + 20 * y**2)


def _quadratic_grad(p: Tensor) -> Tensor:
    return _stack(p[..., 0], 20 * p[..., 1])


def _rosenbrock(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    t = y - x**2
    return _stack(-2 * (1 - x) - 400 * x * t, 200 * t)


def _himmelblau(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    a, b = x**2 + y - 11, x + y**2 - 7
    return _stack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


_BEALE = (1.5, 2.25, 2.625)


def _beale(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return sum((c - x + x * y ** (k + 1)) ** 2 for k, c in enumerate(_BEALE))


def _beale_grad(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    gx = gy = 0
    for k, c in enumerate(_BEALE):
        r = c - x + x * y ** (k + 1)
        gx = gx + 2 * r * (y ** (k + 1) - 1)
        gy = gy + 2 * r * (k + 1) * x * y**k
    return _stack(gx, gy)


def _saddle(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return x**2 + 0.25 * y**4 - 0.5 * y**2


def _saddle_grad(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return _stack(2 * x, y**3 - y)


def _camel(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _camel_grad(p: Tensor) -> Tensor:
    x, y = p[..., 0], p[..., 1]
    return _stack(8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3)


def _diabetes(p: Tensor) -> Tensor:
    return diabetes.loss(p[..., 0], p[..., 1])


def _diabetes_grad(p: Tensor) -> Tensor:
    return _stack(*diabetes.loss_grad(p[..., 0], p[..., 1]))


CURVES: dict[str, Surface] = {s.name: s for s in (
    Surface("two-valleys", "Two valleys (polynomial)",
            "L(w) = w⁴ − 4w² + w: a shallow valley on the right, a deeper one beyond the hill.",
            1, _two_valleys, _two_valleys_grad, ((-2.3, 2.3),), (2.0,),
            (("global minimum", (-1.4730,)), ("local minimum", (1.3470,)), ("hilltop", (0.1260,))),
            _lrs(0.03, 0.03, 0.1, 0.5, 5.0), axis_labels=("w",)),
    Surface("bumpy", "Bumpy",
            "A bowl covered in bumps: many small valleys that can trap a small step.",
            1, _bumpy, _bumpy_grad, ((-5.0, 5.0),), (3.0,),
            (("global minimum", (-0.4715,)), ("local minimum", (1.69266,))),
            _lrs(0.05, 0.1, 0.2, 0.8, 10.0), axis_labels=("w",)),
    Surface("narrow-valley", "Narrow deep valley",
            "A wide shallow valley and, far away, a narrow deep one that is easy to miss.",
            1, _narrow, _narrow_grad, ((-4.0, 4.0),), (3.5,),
            (("global minimum", (-1.7907,)), ("local minimum", (1.4396,))),
            _lrs(0.3, 0.1, 0.1, 0.8, 10.0), axis_labels=("w",)),
)}

SURFACES: dict[str, Surface] = {s.name: s for s in (
    Surface("quadratic", "Ill-conditioned quadratic",
            "L = (w₁² + 20·w₂²)/2: a long, narrow valley, 20 times steeper across than along.",
            2, _quadratic, _quadratic_grad, ((-5.0, 5.0), (-3.0, 3.0)), (-4.5, 2.0),
            (("global minimum", (0.0, 0.0)),),
            _lrs(0.09, 0.02, 0.2, 1.0, 10.0)),
    Surface("rosenbrock", "Rosenbrock",
            "A curved, flat-bottomed banana valley: easy to find, slow to follow to (1, 1).",
            2, _rosenbrock, _rosenbrock_grad, ((-2.0, 2.0), (-1.0, 3.0)), (-1.5, 2.0),
            (("global minimum", (1.0, 1.0)),),
            _lrs(0.001, 0.001, 0.01, 0.5, 10.0, adam=0.1), log_scale=True),
    Surface("himmelblau", "Himmelblau",
            "Four equally deep valleys: where you end up depends on where you start.",
            2, _himmelblau, _himmelblau_grad, ((-5.0, 5.0), (-5.0, 5.0)), (-0.3, -0.9),
            (("global minimum", (3.0, 2.0)), ("global minimum", (-2.805118, 3.131312)),
             ("global minimum", (-3.779310, -3.283186)), ("global minimum", (3.584428, -1.848126))),
            _lrs(0.01, 0.002, 0.03, 1.0, 1.0, adam=0.1), log_scale=True),
    Surface("beale", "Beale",
            "Flat plateaus with sharp ridges at the corners; the minimum hides at (3, 0.5).",
            2, _beale, _beale_grad, ((-4.5, 4.5), (-4.5, 4.5)), (0.7, 1.4),
            (("global minimum", (3.0, 0.5)),),
            _lrs(0.01, 0.001, 0.03, 1.0, 10.0, adam=0.1), log_scale=True),
    Surface("saddle", "Saddle point",
            "Downhill in w₂, uphill in w₁ at the centre: gradients vanish at the saddle, valleys lie at w₂ = ±1.",
            2, _saddle, _saddle_grad, ((-2.0, 2.0), (-2.0, 2.0)), (-1.8, 0.02),
            (("saddle point", (0.0, 0.0)), ("global minimum", (0.0, 1.0)), ("global minimum", (0.0, -1.0))),
            _lrs(0.1, 0.03, 0.05, 0.5, 10.0)),
    Surface("camel", "Six-hump camel",
            "Six valleys of different depths; the two deepest sit near (±0.09, ∓0.71).",
            2, _camel, _camel_grad, ((-2.0, 2.0), (-1.2, 1.2)), (-1.6, 0.9),
            (("global minimum", (0.089842, -0.712656)), ("global minimum", (-0.089842, 0.712656)),
             ("local minimum", (-1.703607, 0.796084)), ("local minimum", (1.703607, -0.796084))),
            _lrs(0.02, 0.01, 0.02, 0.5, 10.0, adam=0.05)),
    Surface("diabetes", "Diabetes: fit a line",
            "Mean squared error of progression ≈ w·BMI + b on 442 real patients (scikit-learn's diabetes data).",
            2, _diabetes, _diabetes_grad, ((-2.0, 4.0), (-2.0, 3.0)), (-1.5, -1.5),
            (("global minimum", (1.023313, 0.868892)),),  # diabetes.least_squares(), rounded
            _lrs(0.3, 0.1, 0.1, 2.0, 50.0), axis_labels=("slope w", "intercept b"), log_scale=True),
)}

ALL: dict[str, Surface] = {**CURVES, **SURFACES}


def get(name: str) -> Surface:
    """A curve or surface by name."""
    try:
        return ALL[name]
    except KeyError:
        raise KeyError(f"unknown surface {name!r}; choose from {', '.join(ALL)}") from None


def grid(surface: Surface, resolution: int = 120) -> tuple[Tensor, ...]:
    """Axis coordinates and the loss on a regular grid over the surface's window.

    1D: ``(w, loss)``; 2D: ``(x, y, loss)`` with ``loss[i, j]`` at ``(x[j], y[i])``.
    """
    axes = [torch.linspace(lo, hi, resolution, dtype=torch.float64) for lo, hi in surface.bounds]
    if surface.dim == 1:
        return axes[0], surface.value(axes[0][:, None])
    yy, xx = torch.meshgrid(axes[1], axes[0], indexing="ij")
    return axes[0], axes[1], surface.value(torch.stack((xx, yy), dim=-1))


def start_setting(surface: Surface) -> Setting:
    """The starting weight of a 1D curve, anywhere in its window."""
    (lo, hi), = surface.bounds
    return Setting("w0", "Starting weight w", float(surface.start[0]), minimum=lo, maximum=hi, step=0.05)


#: Grid points per side of each drawing: the 1D curve, the 2D shaded map and the 3D surface.
RESOLUTIONS = {"curve": 400, "map": 150, "surface": 60}


@dataclass(frozen=True, eq=False)
class SurfaceView:
    """A surface evaluated for drawing, as numpy arrays: what its figures need, with no torch left."""

    title: str
    dim: int
    bounds: tuple[tuple[float, float], ...]
    axis_labels: tuple[str, ...]
    log_scale: bool
    min_value: float
    #: (label, points ``(n, dim)``, loss at each point).
    landmarks: tuple[tuple[str, np.ndarray, np.ndarray], ...]
    #: Drawing ("curve" in 1D; "map" and "surface" in 2D) -> ``grid`` at its resolution, as arrays.
    grids: dict[str, tuple[np.ndarray, ...]]
    #: Points of an ``n × n`` grid over the window ``(n², 2)`` and the loss at each (2D only; empty in 1D).
    click_points: np.ndarray
    click_loss: np.ndarray

    def grid(self, drawing: str) -> tuple[np.ndarray, ...]:
        """The grid of one drawing (a key of :data:`RESOLUTIONS`)."""
        return self.grids[drawing]


def surface_view(surface: Surface, click_grid: int = 31) -> SurfaceView:
    """Evaluate ``surface`` for its figures: the grids, the landmarks' losses and a clickable grid."""
    def loss_at(points: np.ndarray) -> np.ndarray:
        return surface.value(torch.as_tensor(points, dtype=torch.float64)).numpy()

    labels = dict.fromkeys(label for label, _ in surface.landmarks)
    landmarks = []
    for label in labels:
        points = np.array([p for lab, p in surface.landmarks if lab == label], dtype=float)
        landmarks.append((label, points, loss_at(points)))
    drawings = ("curve",) if surface.dim == 1 else ("map", "surface")
    grids = {d: tuple(t.numpy() for t in grid(surface, RESOLUTIONS[d])) for d in drawings}
    click = np.zeros((0, surface.dim))
    if surface.dim == 2 and click_grid:
        (x0, x1), (y0, y1) = surface.bounds
        gx, gy = np.meshgrid(np.linspace(x0, x1, click_grid), np.linspace(y0, y1, click_grid))
        click = np.stack((gx.ravel(), gy.ravel()), axis=1)
    return SurfaceView(surface.title, surface.dim, surface.bounds, surface.axis_labels, surface.log_scale,
                       surface.min_value, tuple(landmarks), grids, click, loss_at(click) if len(click) else
                       np.zeros(0))
