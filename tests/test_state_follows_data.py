"""AppTest: choices that depend on the image or model reset with it, and survive every other change."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from PIL import Image
from streamlit.testing.v1 import AppTest

from udl_viz.models import get_spec
from udl_viz.samples import load_sample

ROOT = Path(__file__).resolve().parents[1]
TIGER_CAT, ESPRESSO, TIMBER_WOLF = 282, 967, 269


def _saliency() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/03_Saliency_Maps.py"), default_timeout=300)
    at.query_params.update({"saliency_method": "Vanilla gradient"})  # the quickest method
    return at.run()


def _class(at: AppTest) -> int:
    return next(box for box in at.selectbox if box.label == "Class to explain").value


def _pick_class(at: AppTest, index: int) -> AppTest:
    return next(box for box in at.selectbox if box.label == "Class to explain").set_value(index).run()


def _upload(at: AppTest, name: str, image: Image.Image) -> AppTest:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    at.sidebar.radio(key="source").set_value("Upload").run()
    return at.sidebar.file_uploader[0].set_value((name, buffer.getvalue(), "image/png")).run()


def test_upload_resets_the_class_to_the_new_images_prediction():
    at = _saliency()
    assert not at.exception
    assert _class(at) == TIGER_CAT
    _pick_class(at, TIMBER_WOLF)
    _upload(at, "cup.png", load_sample("Coffee cup"))
    assert not at.exception and not at.error
    assert at.session_state["cnn_image"][2] == "cup.png"
    assert _class(at) == ESPRESSO
    assert "The model thinks this is **espresso**" in " ".join(c.value for c in at.caption)


def test_model_switch_resets_the_class_to_the_new_models_prediction():
    at = _saliency()
    _pick_class(at, TIMBER_WOLF)
    at.sidebar.selectbox(key="model").set_value("digits_cnn").run()
    assert not at.exception and not at.error
    predicted = at.session_state["cnn_image"][2]  # the first digit sample, "Digit 0"
    assert predicted == "Digit 0" and _class(at) == 0


def test_moving_another_control_keeps_the_chosen_class():
    at = _saliency()
    _pick_class(at, TIMBER_WOLF)
    at.slider(key="saliency_opacity").set_value(0.3).run()
    at.toggle(key="saliency_signed").set_value(True).run()
    assert not at.exception
    assert _class(at) == TIMBER_WOLF


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_layer_activations_channel_follows_the_image_and_layer_follows_the_model():
    at = AppTest.from_file(str(ROOT / "app_pages/01_Layer_Activations.py"), default_timeout=300).run()
    assert _metric(at, "Rank by mean activation").startswith("1 of")  # the strongest channel by default
    channel = next(n for n in at.number_input if n.label == "Channel")
    chosen = channel.value + 1
    channel.set_value(chosen).run()
    at.slider[0].set_value(0.3).run()  # the overlay opacity: the chosen channel stays
    assert next(n for n in at.number_input if n.label == "Channel").value == chosen
    assert not _metric(at, "Rank by mean activation").startswith("1 of")

    at.sidebar.selectbox(key="sample").set_value("Coffee cup").run()
    assert not at.exception
    assert _metric(at, "Rank by mean activation").startswith("1 of")  # the new image's strongest channel

    layer = next(box for box in at.selectbox if box.label == "Layer")
    layer.set_value(get_spec("efficientnet_lite0").layers[0].path).run()
    assert next(box for box in at.selectbox if box.label == "Layer").index == 0
    at.sidebar.selectbox(key="model").set_value("digits_cnn").run()
    assert not at.exception
    layer = next(box for box in at.selectbox if box.label == "Layer")
    assert layer.index == min(2, len(layer.options) - 1)  # the new model's default layer


def test_lime_story_fits_the_photo():
    from udl_viz.inference import Prediction
    from udl_viz.ui.lime import HUSKY_STORY, lime_story

    def ctx(index: int, label: str, grayscale: bool = False) -> SimpleNamespace:
        spec = SimpleNamespace(class_names=lambda: ["x"] * (10 if grayscale else 1000),
                               preprocess=SimpleNamespace(grayscale=grayscale))
        return SimpleNamespace(spec=spec, predictions=lambda k: [Prediction(index, label, 0.9)])

    assert lime_story(ctx(250, "Siberian husky"))[0] == HUSKY_STORY
    assert lime_story(ctx(TIMBER_WOLF, "timber wolf"))[0] == HUSKY_STORY
    cat = lime_story(ctx(TIGER_CAT, "tiger cat"))[0]
    assert "tiger cat" in cat and "snow" in cat and cat != HUSKY_STORY
    assert "6" in lime_story(ctx(6, "6", grayscale=True))[0]
