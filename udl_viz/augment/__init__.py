"""Data augmentation: transformations, label stability with Grad-CAM, and the 6-vs-9 lesson."""

from udl_viz.augment.stability import (
    SweepResult,
    VariantResult,
    analyse_variants,
    gradcam_map,
    predict_variants,
    sweep,
)
from udl_viz.augment.transforms import SWEEPS, AugmentSettings, Variant, make_variants

__all__ = ["SWEEPS", "AugmentSettings", "SweepResult", "Variant", "VariantResult", "analyse_variants",
           "gradcam_map", "make_variants", "predict_variants", "sweep"]
