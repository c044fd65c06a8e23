"""The interface every attribution method implements, and what it returns.

How to use a method (e.g. from another page or the CLI)::

    from udl_viz.attribution import get_method
    result = get_method("gradcam").attribute(model, x, target, spec=spec, layer="_head_act")
    result.map            # (H, W) float32, aligned with the model's input crop x
    result.forward_passes, result.backward_passes, result.seconds, result.extras

``model`` may be the shared cached model: ``attribute`` works on ``hooks.private_view(model)``
(hooks never touch the shared modules) and never changes weights or ``requires_grad``.
``x`` is one model input: an image ``(1, C, H, W)``, or for a text method (``inputs = "text"``,
as captum explains text through the embedding layer) token ids ``(1, T)``, whose map is ``(T,)``,
one score per word; ``target`` a class index. ``spec`` (optional) lets a
method pick model-specific defaults: Grad-CAM's layer, the black/noise baselines, window sizes.

How to add a method (one module plus one line in ``registry.py``)::

    class MyMethod(Attribution):
        name = "mine"                      # CLI ``--method mine``
        label = "My method"                # shown on the page
        description = "One line a student can read."
        signed = False                     # does the map have meaningful negative values?
        evidence = True                    # sign means for/against the target (see below)
        inputs = "image"                   # or "text": x is token ids (1, T), the map (T,)

        def settings(self, spec):          # optional: the knobs, with spec-dependent defaults
            return [Setting("samples", "Samples", 100, minimum=10, maximum=1000, step=10)]

        def expected_passes(self, spec, settings):  # optional: the cost (default 2), cheap ones run first
            return 2 * settings["samples"]

        def compute(self, model, x, target, spec, samples):
            ...                            # model is already a private view; just run it
            return attribution_map         # (H, W) or (C, H, W) tensor/array; or (map, extras)

Forward and backward passes are counted for real by ``counting.PassCounter`` (batch items that
go through the model's forward, and through the backward from its output), so ``compute``
must call ``model`` itself (not a copy made inside it) for the counts to be complete.

A (C, H, W) map is summed over channels (IG's completeness survives). Bad settings, a target out
of range or an unsuitable layer raise ``ValueError`` with a message fit to show a student.

``evidence``: when True, positive values are evidence *for* the target and ranking pixels by
value is meaningful (IG, occlusion, Grad-CAM); when False the map is a sensitivity whose sign
only says which direction of change helps, so metrics rank by ``|value|`` (plain gradients,
SmoothGrad, guided backprop). ``AttributionResult.ranking`` applies this rule.
"""

from __future__ import annotations

import time
import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from udl_viz.attribution.counting import PassCounter
from udl_viz.hooks import private_view
from udl_viz.models.spec import ModelSpec
from udl_viz.settings import Setting, resolve

#: The input each kind of method explains, as the shape the error message names.
INPUT_SHAPES = {"image": ("1", "C", "H", "W"), "text": ("1", "T")}


@dataclass(frozen=True)
class AttributionResult:
    """One attribution map and what it cost."""

    method: str
    target: int
    map: np.ndarray  # (H, W) float32 aligned with the model's input crop; (T,) per token for text
    forward_passes: int  # batch items through the model's forward
    backward_passes: int  # batch items through a backward from the model's output
    seconds: float
    signed: bool
    evidence: bool
    settings: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ranking(self) -> np.ndarray:
        """The map by which pixels are ranked most-salient-first (see ``evidence``)."""
        return self.map if self.evidence else np.abs(self.map)


class Attribution(ABC):
    """An attribution method: model, input and target in; a map aligned with the input out."""

    name: str = ""
    label: str = ""
    description: str = ""
    signed: bool = True
    evidence: bool = False
    inputs: str = "image"
    #: A raw-gradient map (vanilla, SmoothGrad, guided backprop): its sign is noisy, so it is shown as magnitude.
    gradient_type: bool = False

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        """The method's knobs with defaults suited to ``spec`` (none by default)."""
        return []

    def expected_passes(self, spec: ModelSpec | None, settings: dict[str, Any]) -> int:
        """About how many passes (forward plus backward) one map takes: pages run cheap methods first."""
        return 2

    def resolve(self, spec: ModelSpec | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults for ``spec`` updated with ``overrides``, checked; ``ValueError`` says what is wrong."""
        return resolve(self.settings(spec), overrides, owner=self.label)

    @abstractmethod
    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                **settings: Any) -> Any:
        """The raw map: an (H, W) or (C, H, W) tensor/array, or ``(map, extras)``.

        ``model`` is a private view with a pass counter attached: run it freely, hooks included.
        """

    def attribute(self, model: nn.Module, x: torch.Tensor, target: int, *, spec: ModelSpec | None = None,
                  **settings: Any) -> AttributionResult:
        """Explain ``target`` for the input ``x`` (1, C, H, W) or, for text, (1, T); see the module docstring."""
        shape = INPUT_SHAPES[self.inputs]
        if x.ndim != len(shape) or x.shape[0] != 1:
            raise ValueError(f"expected one input of shape ({', '.join(shape)}), got {tuple(x.shape)}")
        values = self.resolve(spec, settings)
        view = private_view(model)
        start = time.perf_counter()
        with PassCounter(view, target=int(target)) as counter, warnings.catch_warnings():
            # captum turns on requires_grad for the input itself and says so each time
            warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")
            raw = self.compute(view, x.detach(), int(target), spec, **values)
        seconds = time.perf_counter() - start
        raw, extras = raw if isinstance(raw, tuple) else (raw, {})
        size = x.shape[-2:] if self.inputs == "image" else x.shape[1:]
        return AttributionResult(self.name, int(target), to_map(raw, size), counter.forward,
                                 counter.backward, seconds, self.signed, self.evidence, values, dict(extras))


def to_map(raw: Any, size: tuple[int, ...] | torch.Size) -> np.ndarray:
    """A float32 array of ``size`` from an attribution with extra leading axes (channels), summed away."""
    arr = raw.detach().cpu().float().numpy() if isinstance(raw, torch.Tensor) else np.asarray(raw, np.float32)
    while arr.ndim > len(size):
        arr = arr.sum(axis=0)
    if arr.shape != tuple(size):
        raise ValueError(f"attribution map {arr.shape} does not match the input size {tuple(size)}")
    return np.ascontiguousarray(arr, dtype=np.float32)
