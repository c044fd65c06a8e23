"""Integrated Gradients for text: captum's ``LayerIntegratedGradients`` on the embedding layer.

Token ids cannot be interpolated, so the path runs through the embedding layer's output, from
every word replaced by ``<unk>`` to the real text; each word's score is its vector's sum.
"""

from __future__ import annotations

import torch
from captum.attr import LayerIntegratedGradients
from torch import nn

from udl_viz.attribution.base import Attribution, Setting
from udl_viz.models.spec import ModelSpec
from udl_viz.text.vocab import Vocabulary


class TextIntegratedGradients(Attribution):
    name = "text_ig"
    label = "Integrated Gradients (captum)"
    description = ("Add up gradients on the way from an all-unknown text to the real one; "
                   "the words' parts sum to the change in probability.")
    signed = True
    evidence = True
    inputs = "text"

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        return [Setting("steps", "Steps along the path", 64, minimum=2, maximum=300, step=1,
                        help="More steps shrink the completeness gap; each costs one forward+backward.")]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                steps: int) -> tuple[torch.Tensor, dict]:
        def probability(ids: torch.Tensor) -> torch.Tensor:
            return torch.softmax(model(ids), dim=1)

        lig = LayerIntegratedGradients(probability, model.get_submodule("embedding"))
        attributions, delta = lig.attribute(x, baselines=torch.full_like(x, Vocabulary.unk_id), target=target,
                                            n_steps=steps, return_convergence_delta=True)
        return attributions.sum(dim=-1)[0], {"convergence_delta": float(delta.abs().max())}
