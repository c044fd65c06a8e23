"""Hooks that are safe on a model shared by many browser sessions at once.

Hooks live on module objects, so a hook registered on the shared model would also fire for
another session's forward pass. Every call therefore works on ``private_view(model)``: a fresh
module tree that shares the parameter and buffer tensors (no weights are copied), and removes
its hooks when done, errors included.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn


def private_view(model: nn.Module) -> nn.Module:
    """A structural copy of ``model`` whose modules are new but whose tensors are shared."""
    memo = {id(t): t for t in (*model.parameters(), *model.buffers())}
    return copy.deepcopy(model, memo)


def get_module(model: nn.Module, path: str) -> nn.Module:
    """The sub-module at a dotted path (``""`` is the model itself)."""
    return model.get_submodule(path)


@contextmanager
def capture(model: nn.Module, paths: Sequence[str]) -> Iterator[dict[str, torch.Tensor]]:
    """Record the outputs of the modules at ``paths`` during forward passes inside the block.

    Hooks are registered on entry and removed on exit, even when the block raises.
    """
    store: dict[str, torch.Tensor] = {}
    handles = []
    try:
        for path in paths:
            def hook(_module, _inputs, output, path=path):
                store[path] = output
            handles.append(get_module(model, path).register_forward_hook(hook))
        yield store
    finally:
        for handle in handles:
            handle.remove()


def activations(model: nn.Module, x: torch.Tensor,
                paths: Sequence[str]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Logits and the outputs of the layers at ``paths`` for a batch ``x``, thread-safely."""
    view = private_view(model)
    with torch.inference_mode(), capture(view, paths) as store:
        logits = view(x)
    return logits, {p: store[p] for p in paths}
