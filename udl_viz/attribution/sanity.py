"""Model-randomisation sanity check (Adebayo et al. 2018), cascading from the top layer down.

The weights of a *copy* of the model are re-initialised layer group by layer group, starting at
the output. After each step the method explains the same input and target again; a map that
stays rank-correlated with the original no matter how much of the network is random does not
depend on what the network learned, and is exposed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from scipy.stats import spearmanr
from torch import nn

from udl_viz.attribution.base import Attribution
from udl_viz.hooks import private_view
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report


@dataclass(frozen=True)
class SanityStep:
    """The map after randomising the top ``groups`` layer groups (down to ``label``)."""

    label: str
    groups: int
    modules: int
    map: np.ndarray
    spearman: float  # rank correlation of |map| with the original |map|


@dataclass(frozen=True)
class SanityCheck:
    method: str
    target: int
    original: np.ndarray
    steps: list[SanityStep] = field(default_factory=list)


def _has_weights(module: nn.Module) -> bool:
    weight = getattr(module, "weight", None)
    return isinstance(weight, torch.Tensor) and weight.ndim >= 2 and hasattr(module, "reset_parameters")


def _short(label: str) -> str:
    return label.split(":")[0].split(" (")[0]


def layer_groups(model: nn.Module, x: torch.Tensor, spec: ModelSpec | None = None) -> list[tuple[str, list[str]]]:
    """Weight layers (conv, linear) grouped by the spec's named layers, output first.

    One forward pass records the order in which modules finish; each weight layer joins the
    next named layer to finish after it, and those after the last named layer form the output
    group. Without a spec every weight layer is its own group.
    """
    view = private_view(model)
    finished: list[str] = []
    handles = [m.register_forward_hook(lambda _m, _i, _o, name=name: finished.append(name))
               for name, m in view.named_modules() if name]
    try:
        with torch.inference_mode():
            view(x)
    finally:
        for handle in handles:
            handle.remove()
    labels = {layer.path: _short(layer.label) for layer in spec.layers} if spec is not None else {}
    groups: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for name in dict.fromkeys(finished):
        if _has_weights(view.get_submodule(name)):
            pending.append(name)
            if spec is None:
                groups.append((name, pending))
                pending = []
        if name in labels and pending:
            groups.append((labels[name], pending))
            pending = []
    if pending:
        groups.append(("output layer", pending))
    return groups[::-1]


def step_sizes(n_groups: int, max_steps: int) -> list[int]:
    """How many groups are random after each step: fine near the output, coarser further down."""
    if n_groups <= max_steps:
        return list(range(1, n_groups + 1))
    return sorted({int(round(v)) for v in np.geomspace(1, n_groups, max_steps)})


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.nan_to_num(a.ravel()), np.nan_to_num(b.ravel())
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(spearmanr(a, b).statistic)


def cascading_randomisation(model: nn.Module, x: torch.Tensor, target: int, method: Attribution, *,
                            spec: ModelSpec | None = None, settings: dict[str, Any] | None = None,
                            max_steps: int = 6, seed: int = 0, original: np.ndarray | None = None,
                            progress: Progress | None = None) -> SanityCheck:
    """Re-initialise a deep copy of ``model`` from the top down and explain ``target`` after each step.

    ``model`` itself is never changed. ``original`` is the map of the trained model, if known.
    ``progress(done, total)`` counts the randomisation steps.
    """
    settings = dict(settings or {})
    if original is None:
        original = method.attribute(model, x, target, spec=spec, **settings).map
    groups = layer_groups(model, x, spec)
    randomised = copy.deepcopy(model)
    check = SanityCheck(method.name, int(target), original)
    done = 0
    sizes = step_sizes(len(groups), max_steps)
    for i, size in enumerate(sizes):
        with torch.random.fork_rng(), torch.no_grad():
            torch.manual_seed(seed + i)
            for _label, paths in groups[done:size]:
                for path in paths:
                    randomised.get_submodule(path).reset_parameters()
        done = size
        label = groups[size - 1][0]
        report(progress, i, len(sizes))
        heat = method.attribute(randomised, x, target, spec=spec, **settings).map
        check.steps.append(SanityStep(label, size, sum(len(p) for _, p in groups[:size]), heat,
                                      _spearman(np.abs(original), np.abs(heat))))
    report(progress, len(sizes), len(sizes))
    return check
