"""Cost counting: how many inputs really went forward and backward through a model."""

from __future__ import annotations

import torch
from torch import nn

from udl_viz.batching import PROBING


class PassCounter:
    """Count batch items through ``model``'s forward, and through backwards from its output.

    A forward hook on the root module adds the batch size of every call; on outputs that carry a
    gradient it registers a tensor hook that adds the batch size each time a gradient reaches
    them (one backward per item). With ``target`` set, every forward also checks that the target
    class exists, so a bad target fails with a plain message before any backward runs.
    Use as a context manager; the hook is removed on exit, errors included.
    """

    def __init__(self, model: nn.Module, target: int | None = None) -> None:
        self.model = model
        self.target = target
        self.forward = 0
        self.backward = 0
        self._handle = None

    def _hook(self, _module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        if PROBING.get():  # udl_viz measuring the model for itself (``batching``), not the method's work
            return
        batch = int(output.shape[0])
        self.forward += batch
        if self.target is not None and not 0 <= self.target < output.shape[-1]:
            classes = output.shape[-1]
            raise ValueError(f"target class {self.target} is out of range: "
                             f"this model has {classes} classes (0–{classes - 1}).")
        if output.requires_grad:
            output.register_hook(lambda grad: self._add_backward(batch))

    def _add_backward(self, batch: int) -> None:
        self.backward += batch

    def __enter__(self) -> PassCounter:
        self._handle = self.model.register_forward_hook(self._hook)
        return self

    def __exit__(self, *exc) -> None:
        self._handle.remove()
        self._handle = None
