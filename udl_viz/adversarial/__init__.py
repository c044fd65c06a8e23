"""Adversarial examples: FGSM and PGD in pixel space, the flip ε, robustness curves, transfer, Grad-CAM.

Attacks come from ``captum.robust``; everything is judged on the rounded 8-bit image.
"""

from udl_viz.adversarial.attack import (
    MAX_EPS,
    METHODS,
    SETTINGS,
    AttackResult,
    attack,
    fooled,
    perturb,
    suggested_target,
)
from udl_viz.adversarial.flip import FlipResult, flip_epsilon
from udl_viz.adversarial.robustness import EPSILONS, RobustnessCurve, robustness_curves
from udl_viz.adversarial.saliency import gradcam_pair
from udl_viz.adversarial.transfer import TransferResult, transfer

__all__ = ["EPSILONS", "MAX_EPS", "METHODS", "SETTINGS", "AttackResult", "FlipResult", "RobustnessCurve",
           "TransferResult", "attack", "flip_epsilon", "fooled", "gradcam_pair", "perturb", "robustness_curves",
           "suggested_target", "transfer"]
