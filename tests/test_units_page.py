"""AppTest for the unit page: patches, the output layer, synthesis, uploads and CLI-indexed folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sklearn.datasets import load_digits
from streamlit.testing.v1 import AppTest

from udl_viz.cli import main
from udl_viz.datasets.digits import digit_image
from udl_viz.result_cache import cache_dir

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "02_Unit_Patches.py")


@pytest.fixture(scope="module", autouse=True)
def shared_cache(tmp_path_factory):
    """One cache for the module, so the built-in index is built once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UDL_VIZ_CACHE", str(tmp_path_factory.mktemp("units-cache")))
        yield


def app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=180)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_default_view_shows_the_strongest_units_patches():
    at = app().run()
    assert not at.exception and not at.error
    values = metrics(at)
    assert values["Receptive field"] == "83×83 px"  # _blocks.5 of EfficientNet-Lite0
    assert values["Feature map"] == "80 × 14×14" and values["Crops searched"] == "63"
    assert len(charts(at)) == 2  # the patch grid and where the first patch comes from
    assert "crops that excite it most" in charts(at)[0].proto.spec
    assert any(b.label == "Synthesize" for b in at.button)


def test_synthesize_button_paints_the_units_image():
    at = app().run()
    at.select_slider[0].set_value(32).run()
    next(b for b in at.button if b.label == "Synthesize").click().run()
    assert not at.exception
    assert "Unit's peak on this image" in metrics(at)
    assert len(charts(at)) == 4  # patches, synthesized image, ascent curve, source


def test_output_layer_shows_the_top_images_of_the_predicted_class():
    at = app().run()
    at.selectbox(key="units_layer_efficientnet_lite0").set_value("output").run()
    assert not at.exception and not at.error
    picker = next(box for box in at.selectbox if box.label == "Class")
    assert "cat" in picker.format_func(picker.value)
    assert metrics(at)["Receptive field"] == "whole image"
    assert any("class score" in c.value for c in at.caption)


def test_digits_show_strokes_and_synthesize_at_once():
    at = app().run()
    at.sidebar.selectbox[0].set_value("digits_cnn").run()
    assert not at.exception and not at.error
    values = metrics(at)
    assert values["Crops searched"] == "1,797" and values["Receptive field"] == "5×5 px"
    assert "Unit's peak on this image" in values  # small model: synthesized without a click
    assert len(charts(at)) == 4


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_uploads_are_searched_once_there_are_some():
    at = app().run()
    at.selectbox(key="units_source").set_value("uploads").run()
    assert not at.exception
    assert any("not uploaded any images" in i.value for i in at.info)
    at.sidebar.radio[0].set_value("Upload").run()
    photo = Image.new("RGB", (320, 240), (30, 90, 200))
    photo.paste((250, 200, 20), (100, 60, 220, 180))
    at.sidebar.file_uploader[0].set_value(("square.png", png(photo), "image/png")).run()
    assert not at.exception and not at.error
    assert metrics(at)["Crops searched"] == "9"
    assert len(charts(at)) == 2
    # The uploads' index lives in the session only: nothing about them is written to the disk cache.
    assert not any("square.png" in p.read_text() for p in (cache_dir() / "index").glob("*.json"))


def test_a_folder_indexed_from_the_cli_can_be_searched(tmp_path):
    data = load_digits()
    for i in range(30):
        digit_image(data.images[i], scale=2).save(tmp_path / f"{i:02d}.png")
    assert main(["patches", "--model", "digits_cnn", "--layer", "relu3", "--unit", "0", "--images", str(tmp_path),
                 "--out", str(tmp_path / "out"), "--all-layers"]) == 0
    at = app().run()
    at.sidebar.selectbox[0].set_value("digits_cnn").run()
    folder = next(k for k in at.selectbox(key="units_source").options if str(tmp_path) in k)
    at.selectbox(key="units_source").set_value(folder).run()
    assert not at.exception and not at.error
    assert metrics(at)["Crops searched"] == "30"
    assert len(charts(at)) >= 2
