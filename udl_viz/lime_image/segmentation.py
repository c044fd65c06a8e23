"""Superpixels for LIME: lime's own segmentation wrapper around scikit-image, validated."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from lime.wrappers.scikit_image import SegmentationAlgorithm


class LimeInputError(ValueError):
    """Input LIME cannot explain, with a message fit to show a student."""


#: Each algorithm's main parameters with their defaults; quickshift's are lime's own defaults.
DEFAULTS: dict[str, dict[str, float]] = {
    "quickshift": {"kernel_size": 4, "max_dist": 200, "ratio": 0.2},
    "slic": {"n_segments": 50, "compactness": 10.0, "sigma": 1.0},
    "felzenszwalb": {"scale": 100.0, "sigma": 0.5, "min_size": 50},
}
#: (low, high) allowed for each parameter, both inclusive.
RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "quickshift": {"kernel_size": (1, 20), "max_dist": (1, 1000), "ratio": (0.0, 1.0)},
    "slic": {"n_segments": (2, 500), "compactness": (0.01, 100.0), "sigma": (0.0, 10.0)},
    "felzenszwalb": {"scale": (1.0, 5000.0), "sigma": (0.0, 10.0), "min_size": (1, 5000)},
}
ALGORITHMS = tuple(DEFAULTS)
INTEGERS = {"kernel_size", "n_segments", "min_size"}
MIN_SIDE = 2
#: Smaller images (8×8 digits, say) are explained pixel by pixel: every pixel is a superpixel.
PIXEL_SIDE = 16


@dataclass(frozen=True)
class Segmentation:
    """A segmentation algorithm and its parameters (unset ones take ``DEFAULTS``)."""

    algorithm: str = "quickshift"
    params: dict[str, float] = field(default_factory=dict)

    def resolved(self) -> dict[str, float]:
        """All parameters, checked against ``RANGES``; raises ``LimeInputError`` if out of range."""
        if self.algorithm not in DEFAULTS:
            raise LimeInputError(f"Unknown segmentation {self.algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
        unknown = set(self.params) - set(DEFAULTS[self.algorithm])
        if unknown:
            raise LimeInputError(f"{self.algorithm} has no parameter {', '.join(sorted(unknown))}.")
        params = {**DEFAULTS[self.algorithm], **self.params}
        for name, value in params.items():
            low, high = RANGES[self.algorithm][name]
            if not low <= value <= high:
                raise LimeInputError(f"{self.algorithm}: {name} = {value} is out of range; use {low} to {high}.")
        return params

    def describe(self) -> str:
        return f"{self.algorithm}(" + ", ".join(f"{k}={v:g}" for k, v in self.resolved().items()) + ")"


def segment(pixels: np.ndarray, segmentation: Segmentation = Segmentation()) -> np.ndarray:
    """Superpixel labels ``0..n-1`` (H, W) for an RGB uint8 image (H, W, 3).

    Images with a side under ``PIXEL_SIDE`` get one superpixel per pixel. Raises
    ``LimeInputError`` for a single pixel, a uniform image, or a segmentation with a single
    superpixel (settings so coarse that LIME has nothing to compare).
    """
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise LimeInputError(f"LIME needs an RGB image of shape (H, W, 3), got {pixels.shape}.")
    h, w = pixels.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise LimeInputError(f"The image is {w}×{h} pixels: too small to split into regions. "
                             "LIME needs a real photo.")
    if (pixels == pixels[0, 0]).all():
        raise LimeInputError("The image is one uniform colour: it has no regions for LIME to compare. "
                             "Try a photo.")
    params = segmentation.resolved()
    if min(h, w) < PIXEL_SIDE:
        return np.arange(h * w, dtype=np.int32).reshape(h, w)
    params = {k: int(v) if k in INTEGERS else v for k, v in params.items()}
    labels = SegmentationAlgorithm(segmentation.algorithm, **params)(pixels)
    # lime turns superpixels off by the ids 0..n-1, but SLIC numbers from 1: renumber every
    # segmentation to 0..n-1 so no superpixel is silently skipped.
    _, labels = np.unique(labels, return_inverse=True)
    labels = labels.reshape(h, w).astype(np.int32)
    if labels.max() < 1:
        raise LimeInputError(f"{segmentation.describe()} found only one superpixel: the image looks uniform, "
                             "or the settings are too coarse. LIME needs at least two regions to compare; "
                             "try another image or finer settings.")
    return labels
