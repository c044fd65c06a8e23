"""Model registry and model families."""

from udl_viz.models.registry import DEFAULT_MODEL, REGISTRY, ModelUnavailable, get_spec, load_model
from udl_viz.models.spec import Layer, ModelSpec, Preprocess

__all__ = ["DEFAULT_MODEL", "REGISTRY", "Layer", "ModelSpec", "ModelUnavailable", "Preprocess",
           "get_spec", "load_model"]
