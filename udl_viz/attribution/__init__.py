"""Attribution maps (saliency): one module per method, a registry, faithfulness and sanity checks.

See ``base.py`` for the interface every method implements.
"""

from udl_viz.attribution.base import Attribution, AttributionResult, Setting
from udl_viz.attribution.registry import METHODS, TEXT_METHODS, get_method

__all__ = ["METHODS", "TEXT_METHODS", "Attribution", "AttributionResult", "Setting", "get_method"]
