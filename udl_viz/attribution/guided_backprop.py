"""Guided backpropagation (Springenberg et al. 2015): gradients with negative signals cut at every ReLU."""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F
from captum.attr import GuidedBackprop as CaptumGuidedBackprop
from torch import nn

from udl_viz.attribution.base import Attribution
from udl_viz.models.spec import ModelSpec


class GuidedReLU6(nn.ReLU):
    """ReLU6 that captum's guided backprop recognises.

    captum only hooks ``nn.ReLU`` modules, so EfficientNet-Lite's ``nn.ReLU6`` would silently fall
    back to the plain gradient. Being an ``nn.ReLU`` subclass gets it hooked; the hook clips the
    gradient arriving at the input, which already carries ReLU6's own 0 < x < 6 gate, so the
    result is guided backprop for ReLU6.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu6(x, inplace=self.inplace)


def guide_relu6(model: nn.Module) -> int:
    """Swap every ``nn.ReLU6`` in ``model`` (a private view!) for ``GuidedReLU6``; returns how many."""
    swapped = 0
    for module in list(model.modules()):
        for child_name, child in list(module.named_children()):
            if type(child) is nn.ReLU6:
                setattr(module, child_name, GuidedReLU6(inplace=child.inplace))
                swapped += 1
    return swapped


class GuidedBackprop(Attribution):
    name = "guided_backprop"
    label = "Guided backprop"
    gradient_type = True
    description = "The gradient with every negative signal blocked on the way back: sharp edges, little class info."
    signed = True
    evidence = False

    def compute(self, model: nn.Module, x: torch.Tensor, target: int,
                spec: ModelSpec | None) -> tuple[torch.Tensor, dict]:
        swapped = guide_relu6(model)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU")
            attr = CaptumGuidedBackprop(model).attribute(x, target=target)
        return attr[0], {"relu6_swapped": swapped}
