"""A model's weights as a short hash (the key of every cache that depends on them), and which are published.

Published weights are a registry's own (``models.load_model`` publishes them), shared by every
session and never changed in place: work on them (and on private views of them, which share their
tensors) may be remembered or moved to another engine by their fingerprint. A model with any other
tensor (a session's fine-tuned head, a sanity check's randomised copy) is not published.
"""

from __future__ import annotations

import hashlib
import weakref

import torch
from torch import nn
from torch.utils.weak import WeakIdKeyDictionary

_FINGERPRINTS: weakref.WeakKeyDictionary[nn.Module, str] = weakref.WeakKeyDictionary()
#: Published weights by their first tensor: [the ids of all their tensors, their fingerprint once computed].
_PUBLISHED = WeakIdKeyDictionary()


def model_fingerprint(model: nn.Module) -> str:
    """A hash of every weight and buffer of the model (computed once per model object)."""
    known = _FINGERPRINTS.get(model)
    if known is None:
        digest = hashlib.sha1()
        for name, tensor in model.state_dict().items():
            digest.update(name.encode())
            if tensor.numel():
                digest.update(tensor.detach().cpu().reshape(-1).contiguous().view(torch.uint8).numpy())
        known = _FINGERPRINTS[model] = digest.hexdigest()[:16]
    return known


def publish(model: nn.Module) -> None:
    """Mark ``model``'s weights as a registry's published ones (see above)."""
    first = next(model.parameters(), None)
    if first is not None:
        _PUBLISHED[first] = [_tensor_ids(model), ""]


def published_first(model: nn.Module) -> torch.Tensor | None:
    """The first tensor of ``model`` when all its tensors are published weights, else None."""
    first = next(model.parameters(), None)
    published = None if first is None else _PUBLISHED.get(first)
    return first if published is not None and published[0] == _tensor_ids(model) else None


def published_fingerprint(model: nn.Module) -> str | None:
    """``model_fingerprint`` of published weights (computed once for all their views), else None."""
    first = published_first(model)
    if first is None:
        return None
    published = _PUBLISHED[first]
    if not published[1]:
        published[1] = model_fingerprint(model)
    return published[1]


def _tensor_ids(model: nn.Module) -> tuple[int, ...]:
    return tuple(id(t) for t in (*model.parameters(), *model.buffers()))
