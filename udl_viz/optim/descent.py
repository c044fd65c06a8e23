"""Step torch.optim optimizers on a surface, all optimizers and starting points at once.

Every optimizer here updates each weight on its own (elementwise), and every surface acts row by
row. So a batch of ``n`` starting points is one parameter tensor of shape ``(n, dim)``, and the
parameters of all ``m`` optimizers are views into one ``(m, n, dim)`` tensor whose gradient is a
single analytic call per step. Each path is exactly what that optimizer would do on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from udl_viz.optim.optimizers import STATE_LABELS, Config
from udl_viz.optim.surfaces import Surface
from udl_viz.settings import Setting

#: A loss this large counts as diverged: in float64 a runaway path can take thousands of steps
#: to overflow to inf, long after it has left every plot.
BLOWUP = 1e10
#: Steps on a 1D curve, steps on a 2D surface (the race starts at 300), and extra random starts.
CURVE_STEPS = Setting("steps", "Steps", 60, minimum=5, maximum=300)
STEPS = Setting("steps", "Steps", 200, minimum=10, maximum=1000, step=10)
EXTRA_STARTS = Setting("extra", "Extra random starts", 0, minimum=0, maximum=12,
                       help="Run the same optimizer from more points to see which valley each start leads to.")


@dataclass
class Run:
    """One optimizer's path from one start: everything the figures and readouts need."""

    config: Config
    positions: np.ndarray  # (steps + 1, dim): row k is the position after k steps
    losses: np.ndarray  # (steps + 1,)
    grads: np.ndarray  # (steps + 1, dim): gradient at each position
    #: Optimizer state after each step, by readable name (row 0, before any step, is NaN).
    state: dict[str, np.ndarray] = field(default_factory=dict)
    diverged_at: int | None = None
    #: Tells apart runs of one config from several starts, e.g. "start 2".
    tag: str = ""

    @property
    def label(self) -> str:
        return f"{self.config.label} · {self.tag}" if self.tag else self.config.label

    @property
    def steps(self) -> int:
        return len(self.positions) - 1

    @property
    def last(self) -> int:
        """The last step with a finite, sane loss."""
        return self.steps if self.diverged_at is None else max(self.diverged_at - 1, 0)

    @property
    def status(self) -> str:
        if self.diverged_at is not None:
            return f"diverged at step {self.diverged_at}"
        return f"loss {self.losses[-1]:.4g} after {self.steps} steps"

    def step_sizes(self) -> np.ndarray:
        """Length of each step (0 before the first; meaningless once diverged)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.r_[0.0, np.linalg.norm(np.diff(self.positions, axis=0), axis=1)]


def autograd_grad(surface: Surface, p: torch.Tensor) -> torch.Tensor:
    """The gradient of ``surface`` at every row of ``p``, by autograd (one backward for all rows)."""
    x = p.detach().requires_grad_()
    (g,) = torch.autograd.grad(surface.value(x).sum(), x)
    return g


_CHUNK = 1024


def _nan(shape: tuple[int, ...]) -> torch.Tensor:
    return torch.full(shape, float("nan"), dtype=torch.float64)


def _grow(buf: torch.Tensor, limit: int, to: int | None = None) -> torch.Tensor:
    """``buf`` with NaN rows appended: to ``to`` rows, or twice its rows (at most ``limit``)."""
    rows = to if to is not None else min(2 * len(buf), limit)
    if rows <= len(buf):
        return buf
    return torch.cat([buf, _nan((rows - len(buf), *buf.shape[1:]))])


def _all_diverged(surface: Surface, p: torch.Tensor) -> bool:
    """Whether every path's loss is NaN, infinite or beyond :data:`BLOWUP` (or its position is not finite)."""
    with torch.no_grad():
        loss = surface.value(p)
    return bool((~torch.isfinite(loss) | (loss.abs() > BLOWUP) | ~torch.isfinite(p).all(-1)).all())


def descend(surface: Surface, configs: Sequence[Config], starts: Sequence[Sequence[float]] | np.ndarray,
            steps: int, *, autograd: bool = False) -> list[list[Run]]:
    """Run every config from every start for ``steps`` steps; ``runs[i][j]`` is config i from start j.

    Steps use the surface's analytic gradient, or with ``autograd=True`` the gradient autograd
    gives, so that each path is bit for bit the one a plain ``loss.backward(); opt.step()`` loop
    produces (about 6 times slower per gradient). Divergence (a loss that is inf, NaN or beyond
    :data:`BLOWUP`) is recorded in ``Run.diverged_at``, never raised.
    """
    if steps < 0:
        raise ValueError("steps must be >= 0")
    d = surface.dim
    x0 = torch.as_tensor(np.asarray(starts, dtype=np.float64)).reshape(-1, d)
    m, n = len(configs), len(x0)
    p = x0.expand(m, n, d).clone()
    params = [p[i] for i in range(m)]
    optimizers = [c.build([q]) for c, q in zip(configs, params, strict=True)]
    # Buffers grow as the steps are taken (doubling), so a huge ``steps`` that diverges early
    # never allocates its whole path; the rows after the last step taken stay NaN.
    positions = _nan((min(steps, _CHUNK) + 1, m, n, d))
    positions[0] = p
    records: list[dict[str, torch.Tensor]] = []
    for k in range(1, steps + 1):
        grad = autograd_grad(surface, p) if autograd else surface.grad(p)
        for q, g, opt in zip(params, grad, optimizers, strict=True):
            q.grad = g
            opt.step()
        if k == len(positions):
            positions = _grow(positions, steps + 1)
            records = [{key: _grow(buf, steps + 1) for key, buf in rec.items()} for rec in records]
        positions[k] = p
        if k == 1:
            records = [{key: _nan((len(positions), n, d))
                        for key, v in opt.state[q].items()
                        if key in STATE_LABELS and torch.is_tensor(v) and v.shape == q.shape}
                       for q, opt in zip(params, optimizers, strict=True)]
        for q, opt, rec in zip(params, optimizers, records, strict=True):
            for key, buf in rec.items():
                buf[k] = opt.state[q][key]
        if k % 50 == 0 and _all_diverged(surface, p):
            break  # every path has run away; the rest stays NaN
    positions = _grow(positions, steps + 1, to=steps + 1)
    records = [{key: _grow(buf, steps + 1, to=steps + 1) for key, buf in rec.items()} for rec in records]
    losses = surface.value(positions)
    grads = surface.grad(positions)
    bad = ~torch.isfinite(losses) | (losses.abs() > BLOWUP) | ~torch.isfinite(positions).all(-1)
    runs = []
    for i, c in enumerate(configs):
        row = []
        for j in range(n):
            hits = torch.nonzero(bad[:, i, j])
            row.append(Run(c, positions[:, i, j].numpy(), losses[:, i, j].numpy(), grads[:, i, j].numpy(),
                           {STATE_LABELS[key]: buf[:, j].numpy() for key, buf in records[i].items()}
                           if records else {},
                           int(hits[0]) if len(hits) else None, f"start {j + 1}" if n > 1 else ""))
        runs.append(row)
    return runs


def race(surface: Surface, configs: Sequence[Config], start: Sequence[float], steps: int, *,
         autograd: bool = False) -> list[Run]:
    """Every config from the same start: one :class:`Run` each."""
    return [row[0] for row in descend(surface, configs, [start], steps, autograd=autograd)]


def _fmt(v: np.ndarray | float) -> str:
    v = np.atleast_1d(np.asarray(v, dtype=float))
    if np.isnan(v).all():
        return "–"
    parts = [f"{x:.4g}" for x in v]
    return parts[0] if len(parts) == 1 else f"({', '.join(parts)})"


def readouts(runs: Sequence[Run], step: int) -> list[dict[str, str]]:
    """One row per run at ``step`` (or at its last sane step, if it diverged before)."""
    rows = []
    memory = list(dict.fromkeys(name for run in runs for name in run.state))
    for run in runs:
        k = min(step, run.last)
        row = {"optimizer": run.label,
               "status": (f"diverged at step {run.diverged_at}"
                          if run.diverged_at is not None and step >= run.diverged_at else "running"),
               "step": str(k),
               "position": _fmt(run.positions[k]),
               "loss": _fmt(run.losses[k]),
               "|gradient|": _fmt(np.linalg.norm(run.grads[k])),
               "step size": _fmt(run.step_sizes()[k])}
        row.update({name: _fmt(run.state[name][k]) if name in run.state else "–" for name in memory})
        rows.append(row)
    return rows
