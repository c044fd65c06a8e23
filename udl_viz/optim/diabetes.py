"""A two-parameter model on a real dataset: diabetes progression from body-mass index.

scikit-learn's diabetes data (442 patients, bundled with scikit-learn) fit by the line
``y ≈ w·x + b`` with mean squared error, where ``x = (BMI − 20) / 10`` and ``y`` is the
disease-progression score / 100. The shift and scale keep both parameters of order one, so the
loss surface is a tilted valley rather than a needle.
"""

from __future__ import annotations

from functools import cache

import torch

BMI_SHIFT, BMI_SCALE, TARGET_SCALE = 20.0, 10.0, 100.0


@cache
def data() -> tuple[torch.Tensor, torch.Tensor]:
    """``(x, y)`` as float64 tensors of shape (442,)."""
    from sklearn.datasets import load_diabetes

    raw = load_diabetes(scaled=False)
    bmi = torch.tensor(raw.data[:, raw.feature_names.index("bmi")], dtype=torch.float64)
    target = torch.tensor(raw.target, dtype=torch.float64)
    return (bmi - BMI_SHIFT) / BMI_SCALE, target / TARGET_SCALE


@cache
def moments() -> tuple[float, float, float, float, float]:
    """Means of x, x², y, x·y and y²: the full-data loss is a quadratic in (w, b) built from them."""
    x, y = data()
    return tuple(float(v) for v in (x.mean(), (x * x).mean(), y.mean(), (x * y).mean(), (y * y).mean()))


def loss(w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Full-data mean squared error at every (w, b), elementwise."""
    mx, mxx, my, mxy, myy = moments()
    return w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy


def loss_grad(w: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient of :func:`loss` with respect to (w, b)."""
    mx, mxx, my, mxy, _ = moments()
    return 2 * (w * mxx + b * mx - mxy), 2 * (w * mx + b - my)


def batch_loss(p: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error of the line ``p = (w, b)`` on the examples ``(x, y)``."""
    return ((p[0] * x + p[1] - y) ** 2).mean()


def batch_grad(p: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Gradient of :func:`batch_loss` with respect to ``p``."""
    r = p[0] * x + p[1] - y
    return torch.stack((2 * (r * x).mean(), 2 * r.mean()))


def least_squares() -> tuple[float, float]:
    """The global minimum ``(w*, b*)`` in closed form."""
    mx, mxx, my, mxy, _ = moments()
    det = mxx - mx * mx
    return (mxy - mx * my) / det, (mxx * my - mx * mxy) / det
