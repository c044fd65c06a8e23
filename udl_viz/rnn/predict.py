"""Batched prediction for the sentiment models: pad, run, softmax."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from udl_viz.models.sentiment import SentimentRNN


def pad_batch(id_lists: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad id lists with 0 into ``(batch, longest)`` ids and their ``(batch,)`` lengths.

    Empty lists become one padding id, so every text has at least one step.
    """
    lengths = torch.tensor([max(1, len(ids)) for ids in id_lists])
    batch = torch.zeros(len(id_lists), int(lengths.max()), dtype=torch.long)
    for row, ids in enumerate(id_lists):
        batch[row, :len(ids)] = torch.as_tensor(ids, dtype=torch.long)
    return batch, lengths


def positive_probabilities(model: SentimentRNN, id_lists: Sequence[Sequence[int]],
                           batch_size: int = 256) -> np.ndarray:
    """P(positive) of every text. Texts are sorted by length so batches carry little padding."""
    order = np.argsort([len(ids) for ids in id_lists], kind="stable")
    probs = np.empty(len(id_lists), dtype=np.float64)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            ids, lengths = pad_batch([id_lists[i] for i in chunk])
            probs[chunk] = torch.softmax(model(ids, lengths), dim=1)[:, 1].double().numpy()
    return probs


def accuracy(model: SentimentRNN, id_lists: Sequence[Sequence[int]], labels: Sequence[int]) -> float:
    """Share of texts whose most likely class is the label."""
    predicted = positive_probabilities(model, id_lists) > 0.5
    return float(np.mean(predicted == np.asarray(labels, dtype=bool)))
