"""ImageNet-1k class names, in torchvision's standard order (shipped with torchvision, offline)."""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path


@cache
def imagenet_classes() -> list[str]:
    """The 1000 ImageNet class names, index-aligned with the models' logits."""
    # Read from torchvision's metadata file rather than through ``torchvision.models``: importing that pulls
    # in torch's compiler and distributed packages (about 2 s of every ``predict``). The import is the fallback.
    spec = importlib.util.find_spec("torchvision")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            tree = ast.parse((Path(folder) / "models" / "_meta.py").read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_IMAGENET_CATEGORIES"
                                                    for t in node.targets):
                names = ast.literal_eval(node.value)
                if len(names) == 1000:
                    return list(names)
    from torchvision.models import ResNet18_Weights

    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
