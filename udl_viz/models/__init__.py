"""Every network the product shows, behind one spec type and one registry (see ``registry.py``)."""

from udl_viz.models.registry import DEFAULT_MODEL, REGISTRY, get_spec, load_model, select
from udl_viz.models.spec import (
    FORECASTING,
    GENERATION,
    IMAGE_CLASSIFICATION,
    SENTIMENT,
    Layer,
    ModelSpec,
    ModelUnavailable,
    Preprocess,
)

__all__ = ["DEFAULT_MODEL", "FORECASTING", "GENERATION", "IMAGE_CLASSIFICATION", "REGISTRY", "SENTIMENT", "Layer",
           "ModelSpec", "ModelUnavailable", "Preprocess", "get_spec", "load_model", "select"]
