"""ImageNet-1k class names, in torchvision's standard order (shipped with torchvision, offline)."""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path


@cache
def imagenet_classes() -> list[str]:
    """The 1000 ImageNet class names, index-aligned with the models' logits."""
    names = _read_torchvision_meta()
    if names is not None:
        return names
    from torchvision.models import ResNet18_Weights

    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])


def _read_torchvision_meta() -> list[str] | None:
    """The names as torchvision's ``models/_meta.py`` lists them, read without importing torchvision.

    Importing ``torchvision.models`` pulls in torch's compiler and distributed packages: about 2 s of
    every ``predict``. None if the file is not where torchvision 0.x keeps it (then the import is used).
    """
    package = importlib.util.find_spec("torchvision")  # locates the package without running it
    if package is None or package.origin is None:
        return None
    try:
        tree = ast.parse((Path(package.origin).parent / "models" / "_meta.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["_IMAGENET_CATEGORIES"]:
            names = ast.literal_eval(node.value)
            return list(names) if len(names) == 1000 else None
    return None
