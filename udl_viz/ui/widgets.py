"""Small widgets shared by the CNN pages."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from udl_viz.figures.cnn import top_k_figure
from udl_viz.ui.layout import show_figure
from udl_viz.ui.sidebar import CnnContext


def prediction_panel(ctx: CnnContext, key: str = "predictions") -> None:
    """The top-5 classes with their probabilities, as short bars, and the prediction in words."""
    predictions = ctx.predictions(5)
    show_figure(top_k_figure(predictions, "Top-5 predictions", compact=True), key=key, title_above=False)
    st.caption(f"The model thinks this is **{predictions[0].label}** ({predictions[0].prob:.0%}).")


def input_panel(ctx: CnnContext, key: str = "predictions") -> tuple[DeltaGenerator, DeltaGenerator]:
    """The model's view of the image and its top-5 predictions side by side, short enough that the
    page's main figure starts on the first screen.

    Returns the predictions' column (room for a toggle under them) and a third column for the page's
    first controls.
    """
    image_col, bars_col, controls = st.columns([1, 2, 2])
    # No caption under the image: the bars' caption names the prediction, and the row stays one image high.
    image_col.image(ctx.spec.preprocess.pixels(ctx.image), width="stretch")
    with bars_col:
        prediction_panel(ctx, key)
    return bars_col, controls


def data_key(ctx: CnnContext, name: str, *parts: object) -> str:
    """Widget key of a choice that depends on the model and image (and ``parts``, e.g. a layer).

    A new model or image gives a new key, so the widget starts at the new data's default;
    going back to an earlier image finds the choice made for it, and other controls never reset it.
    """
    return "@".join([name, ctx.spec.name, ctx.image_key, *map(str, parts)])


def target_picker(ctx: CnnContext, key: str = "target") -> int:
    """Choose the class to explain: the prediction (default), any of the top 5, or any class by name.

    The choice follows the image and the model: a new one starts at its own prediction.
    """
    names = ctx.spec.class_names()
    top = ctx.predictions(5)
    top_indices = [p.index for p in top]
    options = top_indices + [i for i in range(len(names)) if i not in top_indices]
    probs = {p.index: p.prob for p in top}

    def label(i: int) -> str:
        return f"{names[i]} ({probs[i]:.0%}, top-5)" if i in probs else f"{names[i]} (class {i})"

    return int(st.selectbox("Class to explain", options, format_func=label, key=data_key(ctx, key),
                            help="Defaults to the prediction. Type to search all classes by name, "
                                 "e.g. 'timber wolf' to ask: why husky and not wolf?"))
