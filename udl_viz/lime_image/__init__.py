"""LIME for images: superpixels, a fast classifier function, early stopping, stability over seeds."""

from udl_viz.lime_image.classifier import BatchClassifier, fast_copy
from udl_viz.lime_image.explainer import (
    ALGORITHM,
    EARLY_STOP,
    HIDE,
    HIDE_COLOURS,
    SAMPLES,
    SEED,
    SHOWN,
    LimeResult,
    StopRule,
    explain,
    model_pixels,
    pixel_spearman,
)
from udl_viz.lime_image.segmentation import (
    ALGORITHMS,
    SETTINGS,
    LimeInputError,
    Segmentation,
    segment,
)
from udl_viz.lime_image.stability import SEEDS, Stability, run_seeds

__all__ = ["ALGORITHM", "ALGORITHMS", "EARLY_STOP", "HIDE", "HIDE_COLOURS", "SAMPLES", "SEED", "SEEDS", "SETTINGS",
           "SHOWN", "BatchClassifier", "LimeInputError", "LimeResult", "Segmentation", "Stability", "StopRule",
           "explain", "fast_copy", "model_pixels", "pixel_spearman", "run_seeds", "segment"]
