"""Word vectors projected to 2D or 3D with PCA or t-SNE (scikit-learn)."""

from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_limits

from udl_viz.settings import Setting

METHODS = ("PCA", "t-SNE")
#: How the vector space is drawn: projection method, 2D or 3D, and how many frequent words.
SETTINGS = (Setting("method", "Projection", "PCA", choices=METHODS, widget="radio",
                    help="PCA keeps the directions of largest spread; t-SNE keeps near neighbours near."),
            Setting("dims", "Dimensions", 2, choices=(2, 3), labels=("2D", "3D"), widget="radio"),
            Setting("n_frequent", "Most frequent words to plot", 300, minimum=50, maximum=1500, step=50))


def projection_words(kv: KeyedVectors, highlight: list[str], n_frequent: int) -> list[str]:
    """The ``n_frequent`` most frequent words (skipping punctuation and numbers) plus every
    highlighted word that has a vector."""
    frequent = [w for w in kv.index_to_key[:3 * n_frequent] if w.isalpha()][:n_frequent]
    return list(dict.fromkeys(frequent + [w for w in highlight if w in kv.key_to_index]))


def project(vectors: np.ndarray, method: str = "PCA", dims: int = 2, seed: int = 0) -> np.ndarray:
    """Unit-length ``vectors`` (n, d) mapped to (n, dims); t-SNE compares them by cosine distance."""
    if dims not in (2, 3):
        raise ValueError(f"dims must be 2 or 3, got {dims}")
    n = len(vectors)
    if n <= dims:
        raise ValueError(f"need more than {dims} words to project to {dims}D, got {n}")
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    if method == "PCA":
        return PCA(n_components=dims, random_state=seed).fit_transform(unit)
    if method == "t-SNE":
        perplexity = min(30.0, (n - 1) / 3)
        tsne = TSNE(n_components=dims, perplexity=perplexity, metric="cosine", init="pca", random_state=seed)
        # Barnes-Hut t-SNE's OpenMP threads spin when the cores are busy: on a shared 2-core machine
        # one thread ran 300 words in 8 s where the default took 140 s.
        with threadpool_limits(1):
            return tsne.fit_transform(unit)
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def explained_variance(vectors: np.ndarray, dims: int = 2) -> float:
    """Share of the unit vectors' variance that the first ``dims`` principal components keep."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return float(PCA(n_components=dims).fit(unit).explained_variance_ratio_.sum())
