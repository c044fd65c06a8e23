"""Superpixels for LIME: lime's own segmentation wrapper around scikit-image, validated."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from lime.wrappers.scikit_image import SegmentationAlgorithm

from udl_viz.settings import Setting, resolve


class LimeInputError(ValueError):
    """Input LIME cannot explain, with a message fit to show a student."""


#: Each algorithm's main parameters, their defaults (quickshift's are lime's own) and allowed ranges.
SETTINGS: dict[str, tuple[Setting, ...]] = {
    "quickshift": (
        Setting("kernel_size", "Kernel size (bigger: fewer, larger superpixels)", 4, minimum=1, maximum=20),
        Setting("max_dist", "Max distance (cut-off for merging)", 200.0, minimum=1.0, maximum=1000.0, step=10.0),
        Setting("ratio", "Colour vs space ratio", 0.2, minimum=0.0, maximum=1.0, step=0.05)),
    "slic": (
        Setting("n_segments", "Number of superpixels (approx.)", 50, minimum=2, maximum=500),
        Setting("compactness", "Compactness (higher: squarer)", 10.0, minimum=0.01, maximum=100.0, step=0.01),
        Setting("sigma", "Smoothing sigma", 1.0, minimum=0.0, maximum=10.0, step=0.1)),
    "felzenszwalb": (
        Setting("scale", "Scale (higher: larger superpixels)", 100.0, minimum=1.0, maximum=5000.0, step=1.0),
        Setting("sigma", "Smoothing sigma", 0.5, minimum=0.0, maximum=10.0, step=0.1),
        Setting("min_size", "Minimum superpixel size (pixels)", 50, minimum=1, maximum=5000)),
}
ALGORITHMS = tuple(SETTINGS)
MIN_SIDE = 2
#: Smaller images (8×8 digits, say) are explained pixel by pixel: every pixel is a superpixel.
PIXEL_SIDE = 16


@dataclass(frozen=True)
class Segmentation:
    """A segmentation algorithm and its parameters (unset ones take the defaults in ``SETTINGS``)."""

    algorithm: str = "quickshift"
    params: dict[str, float] = field(default_factory=dict)

    def resolved(self) -> dict[str, float]:
        """All parameters, checked against ``SETTINGS``; raises ``LimeInputError`` if out of range."""
        if self.algorithm not in SETTINGS:
            raise LimeInputError(f"Unknown segmentation {self.algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
        try:
            return resolve(SETTINGS[self.algorithm], self.params, owner=self.algorithm)
        except ValueError as exc:
            raise LimeInputError(f"{self.algorithm}: {exc}") from None

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
