"""The CNN pages' sidebar: model picker and image source, shared through session state."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from PIL import Image
from torch import nn

from udl_viz.images import ImageError, load_image
from udl_viz.inference import Prediction
from udl_viz.models import DEFAULT_MODEL, IMAGE_CLASSIFICATION, ModelSpec, ModelUnavailable, select
from udl_viz.samples import load_sample, sample_names
from udl_viz.ui.loaders import cached_predictions, get_model, image_key, session_models

# Widget keys double as URL query parameters, so a link can open an exact demo:
# ?model=digits_cnn&source=Built-in+sample&sample=Digit+6
MODEL_KEY = "model"
SOURCE_KEY = "source"
SAMPLE_KEY = "sample"
SOURCES = ["Built-in sample", "Upload", "Camera"]
IMAGE_KEY = "cnn_image"  # (key, PIL image, label)
UPLOADS_KEY = "cnn_uploads"  # {key: (label, PIL image)}, this session's uploads
LAST_FILE_KEY = "cnn_last_file"  # (file_id, error message or None) of the newest upload
MAX_UPLOADS = 20
CNN_MODELS = select(task=IMAGE_CLASSIFICATION)  # the registry's image classifiers
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif"]


@dataclass
class CnnContext:
    """What a CNN page works on: the model entry, the shared model and the current image."""

    spec: ModelSpec
    model: nn.Module
    image: Image.Image
    image_key: str
    image_label: str

    def predictions(self, k: int = 5) -> list[Prediction]:
        return [Prediction(**p) for p in cached_predictions(self.spec.name, self.image_key, self.image, k)]


def _model_label(name: str) -> str:
    own = session_models().get(name)
    if own is not None:
        return f"{own[0].title} (yours, this session only)"
    spec = CNN_MODELS[name]
    if spec.unavailable_reason() is None:
        return spec.title
    return f"{spec.title} (unavailable: weights not on this computer)"


def _pick_model() -> tuple[ModelSpec, nn.Module]:
    own = session_models()
    names = list(CNN_MODELS) + list(own)
    # Synced with ?model=NAME by hand: a bound widget would put the display label in the URL.
    if st.session_state.get(MODEL_KEY) not in names:
        st.session_state[MODEL_KEY] = st.query_params.get(MODEL_KEY, DEFAULT_MODEL)
        if st.session_state[MODEL_KEY] not in names:
            st.session_state[MODEL_KEY] = DEFAULT_MODEL
    choice = st.sidebar.selectbox("Model", names, format_func=_model_label, key=MODEL_KEY,
                                  persist_state="session",
                                  help="Models marked unavailable need weights that are not on this computer.")
    if choice == DEFAULT_MODEL:
        st.query_params.pop(MODEL_KEY, None)
    else:
        st.query_params[MODEL_KEY] = choice
    if choice in own:
        return own[choice]
    spec = CNN_MODELS[choice]
    try:
        return spec, get_model(choice)
    except ModelUnavailable as exc:
        st.sidebar.error(f"{exc}\n\nShowing {CNN_MODELS[DEFAULT_MODEL].title} instead.")
        return CNN_MODELS[DEFAULT_MODEL], get_model(DEFAULT_MODEL)


def _remember(image: Image.Image, label: str) -> None:
    st.session_state[IMAGE_KEY] = (image_key(image), image, label)


def _pick_image(spec: ModelSpec, default_sample: str | None) -> None:
    if default_sample and IMAGE_KEY not in st.session_state and SAMPLE_KEY not in st.session_state \
            and SAMPLE_KEY not in st.query_params and default_sample in sample_names(digits=spec.preprocess.grayscale):
        st.session_state[SAMPLE_KEY] = default_sample  # a fresh session opens on the page's own demo photo
    source = st.sidebar.radio("Image source", SOURCES, horizontal=True, key=SOURCE_KEY,
                              bind="query-params", persist_state="session")
    if source == SOURCES[0]:
        names = sample_names(digits=spec.preprocess.grayscale)
        if SAMPLE_KEY in st.session_state and st.session_state[SAMPLE_KEY] not in names:
            del st.session_state[SAMPLE_KEY]
        choice = st.sidebar.selectbox("Sample image", names, key=SAMPLE_KEY, bind="query-params",
                                      persist_state="session")
        current = st.session_state.get(IMAGE_KEY)
        if current is None or current[2] != choice:
            _remember(load_sample(choice), choice)
        return
    if source == "Upload":
        file = st.sidebar.file_uploader("Upload an image", type=UPLOAD_TYPES,
                                        help="JPEG, PNG, WebP, BMP, TIFF or GIF (first frame).")
    else:
        file = st.sidebar.camera_input("Take a photo")
    if file is None:
        return
    label = file.name if source == "Upload" else "camera photo"
    seen = st.session_state.get(LAST_FILE_KEY)
    if seen is not None and seen[0] == file.file_id:  # decoded on an earlier rerun
        if seen[1]:
            st.sidebar.error(seen[1])
        return
    try:
        image = load_image(file.getvalue())
    except ImageError as exc:
        message = f"Could not use {label}: {exc}"
        st.session_state[LAST_FILE_KEY] = (file.file_id, message)
        st.sidebar.error(message)
        return
    st.session_state[LAST_FILE_KEY] = (file.file_id, None)
    key = image_key(image)
    uploads = st.session_state.setdefault(UPLOADS_KEY, {})
    uploads[key] = (label, image)
    while len(uploads) > MAX_UPLOADS:
        uploads.pop(next(iter(uploads)))
    _remember(image, label)


def cnn_sidebar(default_sample: str | None = None) -> CnnContext:
    """Draw the model picker and image source; return what the page should work on.

    ``default_sample`` is the built-in photo a fresh session opens this page on (the first otherwise).
    """
    spec, model = _pick_model()
    _pick_image(spec, default_sample)
    if IMAGE_KEY not in st.session_state:
        first = sample_names(digits=spec.preprocess.grayscale)[0]
        _remember(load_sample(first), first)
    key, image, label = st.session_state[IMAGE_KEY]
    st.sidebar.image(image, caption=f"Current image: {label}", width="stretch")
    return CnnContext(spec, model, image, key, label)


def uploaded_images() -> dict[str, tuple[str, Image.Image]]:
    """The images uploaded in this browser session, by content key."""
    return dict(st.session_state.get(UPLOADS_KEY, {}))
