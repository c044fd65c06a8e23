"""The attribution methods by name. Adding one is a module plus one line here.

``METHODS`` explain images (the saliency and LIME pages, ``explain``); ``TEXT_METHODS`` explain
token ids (the RNN page). ``get_method`` finds either.
"""

from __future__ import annotations

from udl_viz.attribution.base import Attribution
from udl_viz.attribution.gradcam import GradCam
from udl_viz.attribution.gradient import VanillaGradient
from udl_viz.attribution.guided_backprop import GuidedBackprop
from udl_viz.attribution.integrated_gradients import IntegratedGradients
from udl_viz.attribution.lime import Lime
from udl_viz.attribution.occlusion import Occlusion
from udl_viz.attribution.smoothgrad import SmoothGrad
from udl_viz.attribution.text_integrated_gradients import TextIntegratedGradients
from udl_viz.attribution.text_lime import TextLime

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


TEXT_METHODS: dict[str, Attribution] = {
    method.name: method
    for method in (
        TextIntegratedGradients(),
        TextLime(),
    )
}


def get_method(name: str) -> Attribution:
    """The method called ``name``; ``KeyError`` lists the known names."""
    known = {**METHODS, **TEXT_METHODS}
    try:
        return known[name]
    except KeyError:
        raise KeyError(f"unknown attribution method {name!r}; choose one of {', '.join(known)}") from None
