"""The attribution methods by name. Adding one is a module plus one line here."""

from __future__ import annotations

from udl_viz.attribution.base import Attribution
from udl_viz.attribution.gradcam import GradCam
from udl_viz.attribution.gradient import VanillaGradient
from udl_viz.attribution.guided_backprop import GuidedBackprop
from udl_viz.attribution.integrated_gradients import IntegratedGradients
from udl_viz.attribution.lime import Lime
from udl_viz.attribution.occlusion import Occlusion
from udl_viz.attribution.smoothgrad import SmoothGrad

METHODS: dict[str, Attribution] = {
    method.name: method
    for method in (
        VanillaGradient(),
        SmoothGrad(),
        IntegratedGradients(),
        GradCam(),
        GuidedBackprop(),
        Occlusion(),
        Lime(),
    )
}


def get_method(name: str) -> Attribution:
    """The method called ``name``; ``KeyError`` lists the known names."""
    try:
        return METHODS[name]
    except KeyError:
        raise KeyError(f"unknown attribution method {name!r}; choose one of {', '.join(METHODS)}") from None
