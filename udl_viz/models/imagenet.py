"""ImageNet-1k class names, in torchvision's standard order (shipped with torchvision, offline)."""

from __future__ import annotations

from functools import cache


@cache
def imagenet_classes() -> list[str]:
    """The 1000 ImageNet class names, index-aligned with the models' logits."""
    from torchvision.models import ResNet18_Weights

    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
