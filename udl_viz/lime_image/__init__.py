"""LIME for images: superpixels, a fast classifier function, early stopping, stability over seeds."""

from udl_viz.lime_image.classifier import BatchClassifier, fast_copy
from udl_viz.lime_image.explainer import (
    HIDE_COLOURS,
    LimeResult,
    StopRule,
    explain,
    model_pixels,
    pixel_spearman,
)
from udl_viz.lime_image.segmentation import (
    ALGORITHMS,
    DEFAULTS,
    LimeInputError,
    Segmentation,
    segment,
)
from udl_viz.lime_image.stability import Stability, run_seeds

__all__ = ["ALGORITHMS", "DEFAULTS", "HIDE_COLOURS", "BatchClassifier", "LimeInputError", "LimeResult",
           "Segmentation", "Stability", "StopRule", "explain", "fast_copy", "model_pixels", "pixel_spearman",
           "run_seeds", "segment"]
