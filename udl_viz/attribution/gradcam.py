"""Grad-CAM (Selvaraju et al. 2017): a conv layer's maps weighted by their pooled gradients."""

from __future__ import annotations

import torch
from captum.attr import LayerAttribution, LayerGradCam
from torch import nn

from udl_viz.attribution.base import Attribution, Setting
from udl_viz.models.spec import ModelSpec


class GradCam(Attribution):
    name = "gradcam"
    label = "Grad-CAM"
    description = "Weight a late conv layer's feature maps by how much the class needs them: coarse but class-specific."
    signed = False
    evidence = True

    def settings(self, spec: ModelSpec | None) -> list[Setting]:
        if spec is None:
            return [Setting("layer", "Layer", "", help="Module path of a conv layer (required without a spec).")]
        return [Setting("layer", "Layer", spec.cam_layer, choices=tuple(layer.path for layer in spec.layers),
                        labels=tuple(layer.label for layer in spec.layers),
                        help="Later layers are more class-specific but coarser.")]

    def compute(self, model: nn.Module, x: torch.Tensor, target: int, spec: ModelSpec | None,
                layer: str) -> tuple[torch.Tensor, dict]:
        if not layer:
            raise ValueError("Grad-CAM needs a layer: pass layer='module.path'.")
        cam = LayerGradCam(model, model.get_submodule(layer)).attribute(x, target=target, relu_attributions=True)
        if cam.ndim != 4:
            raise ValueError(f"Grad-CAM needs a layer with spatial feature maps; {layer} outputs {tuple(cam.shape)}.")
        up = LayerAttribution.interpolate(cam, tuple(x.shape[-2:]), interpolate_mode="bilinear")
        return up[0, 0], {"layer": layer, "layer_size": tuple(cam.shape[-2:])}
