"""LIME for text (``lime_text``): each word's weight in a local linear model of the prediction.

A word is taken away by putting ``<unk>`` in its place, as Integrated Gradients does;
``bow=False`` makes each position its own feature, since the RNN reads word order.
"""

from __future__ import annotations

import numpy as np
import torch
from lime.lime_text import LimeTextExplainer
from torch import nn

from udl_viz.attribution.base import Attribution, Setting
from udl_viz.models.spec import ModelSpec
from udl_viz.rnn.predict import positive_probabilities
from udl_viz.text.vocab import Vocabulary


class TextLime(Attribution):
    name = "text_lime"
    label = "LIME"
    description = "Replace words by 'unknown' at random and fit a linear model: its weights are the scores."
    signed = True
    evidence = True
    inputs = "text"

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        return [Setting("samples", "LIME samples", 500, minimum=50, maximum=5000, step=50, ticks=(200, 500, 1000, 2000),
                        help="How many perturbed texts LIME scores; more is steadier and slower."),
                Setting("seed", "Random seed", 0, minimum=0, maximum=10_000, step=1)]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                samples: int, seed: int) -> np.ndarray:
        ids = [str(i) for i in x[0].tolist()]

        # LIME perturbs strings: the "text" is the ids themselves, so a masked word is the <unk> id.
        def classify(texts: list[str]) -> np.ndarray:
            positive = positive_probabilities(model, [[int(i) for i in t.split(" ")] for t in texts])
            return np.stack([1 - positive, positive], axis=1)

        explainer = LimeTextExplainer(split_expression=" ", bow=False, mask_string=str(Vocabulary.unk_id),
                                      random_state=seed)
        explanation = explainer.explain_instance(" ".join(ids), classify, labels=(target,),
                                                 num_features=len(ids), num_samples=samples)
        scores = np.zeros(len(ids))
        for position, weight in explanation.as_map()[target]:
            scores[position] = weight
        return scores
