"""Uploads through a real browser: every awkward file either works or shows a clear message."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.browser import exceptions, open_page, wait_until_rendered

pytestmark = pytest.mark.browser


def photo(size=(320, 240)) -> Image.Image:
    from udl_viz.samples import load_sample

    return load_sample("Coffee cup").resize(size)


def encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(photo(), "JPEG", exif=exif)


def animated_gif() -> bytes:
    frames = [photo((64, 64)), Image.new("RGB", (64, 64), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    return encode(photo(), "JPEG", quality=90)


# (file name, contents, what must appear: a caption naming the file, or an error saying why)
CASES = [
    ("good.jpg", jpeg_bytes, "works"),
    ("good.png", lambda: encode(photo(), "PNG"), "works"),
    ("cmyk.jpg", lambda: encode(photo().convert("CMYK"), "JPEG"), "works"),
    ("sixteen_bit.png", lambda: encode(Image.fromarray((np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)),
                                       "PNG"), "works"),
    ("animated.gif", animated_gif, "works"),
    ("exif_rotated.jpg", exif_rotated, "works"),
    ("one_pixel.png", lambda: encode(Image.new("RGB", (1, 1), (200, 10, 10)), "PNG"), "works"),
    ("empty.jpg", lambda: b"", "empty"),
    ("notes.jpg", lambda: b"these are my lecture notes, not a photo\n" * 20, "not an image"),
    ("truncated.jpg", lambda: jpeg_bytes()[:3000], "damaged or cut off"),
    ("huge.png", lambda: encode(Image.new("1", (20000, 20000)), "PNG"), "megapixels"),
]


@pytest.mark.parametrize(("name", "make", "expect"), CASES, ids=[c[0] for c in CASES])
def test_upload(browser, server, tmp_path, name, make, expect):
    path = tmp_path / name
    path.write_bytes(make())
    page = open_page(browser, f"{server}/Layer_Activations?source=Upload")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    page.wait_for_timeout(500)
    wait_until_rendered(page)
    assert exceptions(page) == []
    if expect == "works":
        page.get_by_text(f"Current image: {name}").wait_for(timeout=60_000)
        page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    else:
        alert = page.locator("[data-testid='stAlertContentError']", has_text=f"Could not use {name}")
        alert.wait_for(timeout=60_000)
        assert expect in alert.inner_text()
        # The page goes on with the previous image.
        assert page.locator("[data-testid='stPlotlyChart']").count() >= 1
    assert "Traceback" not in page.content()
    page.close()
