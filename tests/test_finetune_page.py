"""AppTest for the fine-tuning page: built-in task, session-private model, uploads and bad input."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from udl_viz.finetune import TASKS, extract_features, finetuned_spec, train_head, with_head
from udl_viz.models import get_spec, load_model

ROOT = Path(__file__).resolve().parents[1]


def app(path: str = "app_pages/11_Fine_Tuning.py") -> AppTest:
    return AppTest.from_file(str(ROOT / path), default_timeout=180)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def percent(text: str) -> float:
    return float(re.fullmatch(r"(\d+)%", text).group(1)) / 100


def stripes(vertical: bool, seed: int) -> tuple[str, bytes, str]:
    rng = np.random.default_rng(seed)
    pattern = np.tile((np.arange(64) // 8 % 2 * 255).astype(np.uint8), (64, 1))
    pixels = (pattern.T if vertical else pattern)[..., None].repeat(3, axis=2)
    noisy = np.clip(pixels.astype(int) + rng.integers(-30, 30, pixels.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noisy).save(buffer, "PNG")
    return f"{'v' if vertical else 'h'}{seed}.png", buffer.getvalue(), "image/png"


def test_default_trains_the_builtin_task_and_registers_a_session_only_model():
    at = app().run()
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 3  # learning curves, confusion matrix, try-it predictions
    values = metrics(at)
    assert values["Training images"] == "24 in 3 classes"
    assert percent(values["Training accuracy"]) == 1.0
    assert percent(values["Test accuracy (held-out images)"]) >= 0.9
    own = at.session_state["session_models"]
    assert len(own) == 1
    name, (spec, _model) = next(iter(own.items()))
    assert name.startswith("finetuned-") and spec.class_names() == ["brick", "grass", "gravel"]

    at.run()  # a rerun reuses the identical run instead of training another model
    assert len(at.session_state["session_models"]) == 1
    next(b for b in at.button if b.label == "Select it in the sidebar").click().run()
    assert not at.exception
    assert at.session_state["model"] == name
    assert len(at.session_state["session_models"]) == 1  # fine-tuning the same backbone again: same run

    other = app("app_pages/01_Layer_Activations.py").run()  # another browser session
    assert not other.exception
    assert not any("yours" in option for option in other.sidebar.selectbox[0].options)


def test_builtin_digit_task_on_the_digits_cnn():
    at = app()
    at.query_params.update({"model": "digits_cnn"})
    at.run()
    at.selectbox[0].set_value("Digits: 3, 5, 8").run()
    assert not at.exception and not at.error
    assert percent(metrics(at)["Test accuracy (held-out images)"]) >= 0.9
    titles = [spec.title for spec, _ in at.session_state["session_models"].values()]
    assert "Fine-tuned Digits CNN: 3, 5, 8" in titles


def test_uploads_need_two_named_classes_with_images_then_train_on_click():
    at = app()
    at.query_params.update({"model": "digits_cnn"})  # the small backbone keeps this test quick
    at.run()
    at.radio[0].set_value("My own images").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Class 'class 1' has no images. Add at least one image to every class."]
    at.number_input[0].set_value(1).run()
    assert "at least 2 classes" in at.error[0].value
    at.number_input[0].set_value(2).run()
    at.text_input[0].set_value("horizontal").run()
    at.text_input[1].set_value("vertical").run()
    at.file_uploader[0].set_value([stripes(False, s) for s in range(3)]).run()
    at.file_uploader[1].set_value([stripes(True, s) for s in range(3)]
                                  + [("broken.jpg", b"not a jpeg", "image/jpeg")]).run()
    assert not at.exception and not at.error
    assert any("Skipped broken.jpg" in w.value for w in at.warning)
    assert any("Train the new head" in i.value for i in at.info)  # nothing trains until the click
    next(b for b in at.button if b.label == "Train the new head").click().run()
    assert not at.exception and not at.error
    values = metrics(at)
    assert values["Training images"] == "6 in 2 classes" and percent(values["Training accuracy"]) == 1.0
    assert "Test accuracy (held-out images)" not in values
    spec = list(at.session_state["session_models"].values())[-1][0]  # after the built-in default run
    assert spec.class_names() == ["horizontal", "vertical"]


@pytest.mark.parametrize(("page", "charts"), [("app_pages/01_Layer_Activations.py", 6),
                                              ("app_pages/10_Data_Augmentation.py", 6)])
def test_other_pages_explain_the_session_model(page, charts):
    spec, model = get_spec("digits_cnn"), load_model("digits_cnn").requires_grad_(False)
    train, _ = TASKS["Digits: 3, 5, 8"].make(5, 1)
    head = train_head(model, extract_features(model, spec, train.images), np.asarray(train.labels), 3).head
    tuned = with_head(model, head)
    tuned_spec = finetuned_spec(spec, tuned, train.classes)
    at = app(page)
    at.session_state["session_models"] = {tuned_spec.name: (tuned_spec, tuned)}  # as the page registers it
    at.session_state["model"] = tuned_spec.name
    at.run()
    assert not at.exception and not at.error
    assert at.sidebar.selectbox[0].value == tuned_spec.name
    assert len(at.get("plotly_chart")) == charts
    if page.startswith("app_pages/10"):
        assert re.fullmatch(r"[358] \(\d+%\)", metrics(at)["Original prediction"])  # it answers with its own classes
