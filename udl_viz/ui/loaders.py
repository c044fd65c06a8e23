"""Cached loaders: one model object per name shared by every session; results cached per input."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from PIL import Image
from torch import nn

from udl_viz.activations import LayerActivations, layer_activations
from udl_viz.fingerprint import model_fingerprint
from udl_viz.images import content_hash
from udl_viz.inference import predict
from udl_viz.models import ModelSpec, get_spec, load_model
from udl_viz.result_cache import shared_result

SESSION_MODELS_KEY = "session_models"
T = TypeVar("T")


@st.cache_resource(show_spinner="Loading the model…", max_entries=4)
def get_model(name: str) -> nn.Module:
    """The shared eval-mode model (raises ``ModelUnavailable`` with a plain reason)."""
    model = load_model(name)
    model.requires_grad_(False)
    return model


def register_session_model(spec: ModelSpec, model: nn.Module) -> None:
    """Make a model (e.g. one fine-tuned here) available to this browser session only.

    Give it a unique ``spec.name`` (e.g. with a uuid) so cached results never mix sessions.
    """
    st.session_state.setdefault(SESSION_MODELS_KEY, {})[spec.name] = (spec, model)


def session_models() -> dict[str, tuple[ModelSpec, nn.Module]]:
    """This session's private models by name."""
    return dict(st.session_state.get(SESSION_MODELS_KEY, {}))


def resolve(name: str) -> tuple[ModelSpec, nn.Module]:
    """The spec and model called ``name``: this session's own models first, then the registry."""
    own = session_models().get(name)
    return own if own is not None else (get_spec(name), get_model(name))


def shared(kind: str, model_name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once for every session and process asking for the same result.

    Keyed by ``kind``, the model's name and weights, and ``parts`` (the image's content hash and
    every setting). Identical requests running at once wait for the first; registry models'
    results also go to the disk cache other processes share, a session's own models' stay in memory.
    """
    _, model = resolve(model_name)
    own = model_name in session_models()
    return shared_result((kind, model_name, model_fingerprint(model), *parts), compute, persist=not own)


def image_key(image: Image.Image) -> str:
    """A short content hash that identifies an image in caches and session state."""
    return content_hash(image)[:16]


@st.cache_data(show_spinner=False, max_entries=128)
def cached_predictions(model_name: str, key: str, _image: Image.Image, k: int = 5) -> list[dict]:
    """Top-k predictions for the image identified by ``key``."""
    spec, model = resolve(model_name)
    return shared("predictions", model_name, (key, k),
                  lambda: [p.as_dict() for p in predict(model, spec, _image, k)])


@st.cache_data(show_spinner=False, max_entries=64)
def cached_layer_activations(model_name: str, key: str, layer: str, _image: Image.Image) -> LayerActivations:
    """Feature maps at one layer (and every layer's statistics) for the image identified by ``key``."""
    spec, model = resolve(model_name)
    return shared("layer_activations", model_name, (key, layer),
                  lambda: layer_activations(model, spec, _image, layer))
