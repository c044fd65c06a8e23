"""Where the network looks before and after the attack: Grad-CAM of both crops."""

from __future__ import annotations

import numpy as np
from torch import nn

from udl_viz.adversarial.attack import AttackResult
from udl_viz.adversarial.pixels import to_tensor
from udl_viz.models.spec import ModelSpec


def gradcam_pair(model: nn.Module, spec: ModelSpec, result: AttackResult) -> tuple[np.ndarray, np.ndarray]:
    """Grad-CAM (H, W) of the original crop for its label and of the adversarial crop for its new label."""
    from udl_viz.attribution import get_method

    gradcam = get_method("gradcam")
    maps = []
    for pixels, target in ((result.original, result.label), (result.adversarial, result.adv_label)):
        x = spec.preprocess.scale(to_tensor(pixels)[0]).unsqueeze(0)
        maps.append(gradcam.attribute(model, x, target, spec=spec).map)
    return maps[0], maps[1]
