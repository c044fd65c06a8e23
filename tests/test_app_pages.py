"""AppTest over the home page and the layer-activations page."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def app(path: str) -> AppTest:
    return AppTest.from_file(str(ROOT / path), default_timeout=180)


def test_home_page_links_every_page():
    at = app("home.py").run()
    assert not at.exception
    topics = [h.value for h in at.subheader]
    assert topics == ["What a CNN sees", "Explaining predictions", "Inside RNNs", "Word embeddings",
                      "How networks learn", "Learning from little data", "Generative models",
                      "The deepest problem"]
    links = {link.proto.page for link in at.get("page_link")}
    pages = {p.stem.split("_", 1)[1] for p in (ROOT / "app_pages").glob("*.py")}
    assert links == pages


def test_layer_activations_default_view():
    at = app("app_pages/01_Layer_Activations.py").run()
    assert not at.exception
    assert not at.error
    charts = at.get("plotly_chart")
    assert len(charts) == 6
    ranks = [m for m in at.metric if m.label == "Rank by mean activation"]
    assert ranks and ranks[0].value.startswith("1 of ")
    table = next(m.value for m in at.markdown if "share of activations ≤ 0" in m.value)
    rows = table.splitlines()[2:]
    assert len(rows) == 18 and rows[0].startswith("| \\_stem\\_act | 32 | 112×112 |"), rows[0]


def test_layer_activations_follow_model_and_layer_choices():
    at = app("app_pages/01_Layer_Activations.py").run()
    at.sidebar.selectbox[0].set_value("digits_cnn").run()
    assert not at.exception
    assert at.sidebar.selectbox[1].value == "Digit 0"
    assert at.session_state["cnn_image"][2] == "Digit 0"
    at.selectbox[0].set_value("relu3").run()
    assert not at.exception
    assert any("of 64" in m.value for m in at.metric)


def test_unavailable_model_says_so_and_the_page_goes_on(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    at = app("app_pages/01_Layer_Activations.py").run()
    at.sidebar.selectbox[0].set_value("vgg16").run()
    assert not at.exception
    assert any("VGG-16" in e.value and "cannot be loaded" in e.value for e in at.sidebar.error)
    assert len(at.get("plotly_chart")) == 6


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_upload_becomes_the_current_image_and_bad_uploads_are_explained():
    at = app("app_pages/01_Layer_Activations.py").run()
    at.sidebar.radio[0].set_value("Upload").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 6  # the sample stays in use until a file arrives
    at.sidebar.file_uploader[0].set_value(("photo.png", png_bytes(Image.new("RGB", (300, 200), (20, 90, 200))),
                                           "image/png")).run()
    assert not at.exception and not at.sidebar.error
    assert at.session_state["cnn_image"][2] == "photo.png"
    at.sidebar.file_uploader[0].set_value(("broken.jpg", b"definitely not a jpeg", "image/jpeg")).run()
    assert not at.exception
    assert any("broken.jpg" in e.value and "not an image" in e.value for e in at.sidebar.error)
    assert at.session_state["cnn_image"][2] == "photo.png"  # the last good image stays
    assert len(at.get("plotly_chart")) == 6


def test_shared_link_opens_the_exact_demo():
    at = app("app_pages/01_Layer_Activations.py")
    at.query_params.update({"model": "digits_cnn", "sample": "Digit 6", "projector": "true"})
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "digits_cnn"
    assert at.session_state["cnn_image"][2] == "Digit 6"
    assert at.sidebar.toggle[0].value is True


def test_shared_link_restores_page_settings():
    from udl_viz.optim.surfaces import SURFACES

    at = app("app_pages/08_Gradient_Descent.py")
    at.query_params.update({"gd2_surface": SURFACES["himmelblau"].title, "gd2_steps": "300"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="gd2_surface").value == "himmelblau"
    assert at.slider(key="gd2_steps").value == 300


def preloaded_page() -> None:
    import streamlit as st

    from udl_viz.ui.layout import plotly_preloaded

    with plotly_preloaded():
        st.title("A page")
        if st.session_state.get("fail"):
            raise RuntimeError("the page failed")
        if st.session_state.get("stop"):
            st.stop()


def test_the_hidden_plotly_chart_comes_on_a_sessions_first_run_and_goes():
    at = AppTest.from_function(preloaded_page).run()
    assert not at.exception and at.title[0].value == "A page" and not at.get("plotly_chart")
    at.session_state["fail"] = True
    at.run()
    assert "the page failed" in at.exception[0].value and not at.get("plotly_chart")
    failed = AppTest.from_function(preloaded_page)
    failed.session_state["fail"] = True
    failed.run()
    assert "the page failed" in failed.exception[0].value and not failed.get("plotly_chart")
    stopped = AppTest.from_function(preloaded_page)
    stopped.session_state["stop"] = True
    stopped.run()
    assert len(stopped.get("plotly_chart")) == 1  # st.stop() lets nothing more be sent: hidden until the next run
    stopped.run()
    assert not stopped.get("plotly_chart")
