"""Which words pushed the prediction: captum's Integrated Gradients and LIME, per token.

Both take a word away the same way, by putting ``<unk>`` in its place: Integrated Gradients
walks the embeddings from an all-``<unk>`` text to the real one, and LIME masks words with
``<unk>`` (``bow=False``, so each position is its own feature, as the RNN reads order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from captum.attr import LayerIntegratedGradients
from lime.lime_text import LimeTextExplainer

from udl_viz.models.sentiment import SentimentRNN
from udl_viz.rnn.predict import positive_probabilities
from udl_viz.text.sst2 import CLASS_NAMES
from udl_viz.text.vocab import UNK, Vocabulary


@dataclass(frozen=True)
class WordAttributions:
    """One score per token for the class ``target`` (positive = evidence for it)."""

    scores: np.ndarray
    target: int
    convergence_delta: float | None = None  # Integrated Gradients' completeness error


def integrated_gradients(model: SentimentRNN, ids: Sequence[int], target: int = 1,
                         n_steps: int = 64) -> WordAttributions:
    """Layer Integrated Gradients on the embedding, summed over each word's vector."""
    inputs = torch.as_tensor([list(ids)], dtype=torch.long)

    def probability(x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(model(x), dim=1)

    lig = LayerIntegratedGradients(probability, model.embedding)
    attributions, delta = lig.attribute(inputs, baselines=torch.full_like(inputs, Vocabulary.unk_id),
                                        target=target, n_steps=n_steps, return_convergence_delta=True)
    return WordAttributions(attributions.sum(dim=-1)[0].detach().numpy(), target, float(delta.abs().max()))


def lime_words(model: SentimentRNN, vocab: Vocabulary, tokens: Sequence[str], target: int = 1,
               num_samples: int = 500, seed: int = 0) -> WordAttributions:
    """LIME's local linear weights for each token position (``lime_text``)."""
    def classify(texts: list[str]) -> np.ndarray:
        positive = positive_probabilities(model, [vocab.encode(t.split(" ")) for t in texts])
        return np.stack([1 - positive, positive], axis=1)

    explainer = LimeTextExplainer(class_names=list(CLASS_NAMES), split_expression=" ", bow=False,
                                  mask_string=UNK, random_state=seed)
    explanation = explainer.explain_instance(" ".join(tokens), classify, labels=(target,),
                                             num_features=len(tokens), num_samples=num_samples)
    scores = np.zeros(len(tokens))
    for position, weight in explanation.as_map()[target]:
        scores[position] = weight
    return WordAttributions(scores, target)
