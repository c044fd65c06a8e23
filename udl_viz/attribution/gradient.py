"""Vanilla gradient (Simonyan et al. 2014): how the target logit changes with each input pixel."""

from __future__ import annotations

import torch
from captum.attr import Saliency
from torch import nn

from udl_viz.attribution.base import Attribution
from udl_viz.models.spec import ModelSpec


class VanillaGradient(Attribution):
    name = "saliency"
    label = "Vanilla gradient"
    gradient_type = True
    description = "The gradient of the class score: which pixels would change it most if nudged."
    signed = True
    evidence = False

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None) -> torch.Tensor:
        return Saliency(model).attribute(x, target=target, abs=False)[0]
