"""Feature maps of a layer, ranked and summarised, and the first layer's filters as RGB tiles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from torch import nn

from udl_viz.hooks import activations
from udl_viz.models.spec import ModelSpec


@dataclass(frozen=True)
class LayerActivations:
    """One image's feature maps at one layer, channels sorted by mean activation (strongest first)."""

    layer: str
    maps: np.ndarray  # (C, h, w) float32
    order: np.ndarray  # channel indices, strongest first
    logits: np.ndarray  # (num_classes,)
    layer_stats: list[dict]  # summary of every named layer of the model, input to output

    @property
    def channel_means(self) -> np.ndarray:
        return self.maps.mean(axis=(1, 2))

    def stats(self) -> dict[str, float]:
        """Summary of the layer: shape, value range, sparsity."""
        c, h, w = self.maps.shape
        return {
            "channels": c, "height": h, "width": w,
            "mean": float(self.maps.mean()), "std": float(self.maps.std()),
            "max": float(self.maps.max()), "min": float(self.maps.min()),
            "fraction_zero": float((self.maps <= 0).mean()),
            "dead_channels": int((self.maps.reshape(c, -1).max(axis=1) <= 0).sum()),
        }


def layer_activations(model: nn.Module, spec: ModelSpec, image: Image.Image, layer: str) -> LayerActivations:
    """Feature maps at ``layer`` and statistics of every named layer, in one thread-safe forward pass."""
    x = spec.preprocess(image).unsqueeze(0)
    paths = list(dict.fromkeys([layer.path for layer in spec.layers] + [layer]))
    logits, acts = activations(model, x, paths)
    maps = acts[layer][0].float().numpy()
    order = np.argsort(-maps.mean(axis=(1, 2)), kind="stable")
    stats = []
    for named in spec.layers:
        a = acts[named.path][0].float()
        stats.append({"layer": named.path, "label": named.label, "channels": a.shape[0],
                      "size": f"{a.shape[1]}×{a.shape[2]}", "mean": float(a.mean()),
                      "max": float(a.max()), "fraction_zero": float((a <= 0).float().mean())})
    return LayerActivations(layer, maps, order, logits[0].numpy(), stats)


def first_layer_filters(model: nn.Module, spec: ModelSpec) -> np.ndarray:
    """First conv filters as images (C_out, k, k, C_in), each scaled to [0, 1] symmetrically around 0.5."""
    weight = model.get_submodule(spec.first_conv).weight.detach().float()
    w = weight.permute(0, 2, 3, 1).numpy()
    scale = np.abs(w).reshape(len(w), -1).max(axis=1).clip(min=1e-12)[:, None, None, None]
    return 0.5 + 0.5 * w / scale


def relative_map(channel: np.ndarray) -> np.ndarray:
    """A feature map scaled to [0, 1] (all zeros when flat), for an overlay that stretches it over the photo."""
    values = np.asarray(channel, dtype=np.float32)
    lo, hi = values.min(), values.max()
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
