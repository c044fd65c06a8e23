"""The image gate: every kind of file either becomes an upright RGB image or a clear ImageError."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from udl_viz.images import ImageError, load_image, to_rgb


def encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def gradient(mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> Image.Image:
    w, h = size
    x = np.linspace(0, 255, w, dtype=np.float64)[None, :].repeat(h, 0)
    rgb = np.stack([x, x[::-1, ::-1], np.full_like(x, 128)], axis=2).round().astype(np.uint8)
    return Image.fromarray(rgb, "RGB").convert(mode)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"])
def test_every_supported_format_decodes_to_rgb(fmt):
    image = load_image(encode(gradient(), fmt))
    assert image.mode == "RGB"
    assert image.size == (64, 48)


@pytest.mark.parametrize("mode", ["L", "LA", "P", "RGBA", "CMYK", "1", "I", "F", "YCbCr"])
def test_every_mode_becomes_rgb(mode):
    image = to_rgb(gradient(mode))
    assert image.mode == "RGB"
    assert image.size == (64, 48)


def test_cmyk_jpeg():
    image = load_image(encode(gradient("CMYK"), "JPEG"))
    assert image.mode == "RGB"


def test_transparency_is_flattened_onto_white():
    rgba = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    rgba.putpixel((0, 0), (0, 0, 255, 255))
    image = load_image(encode(rgba, "PNG"))
    assert image.getpixel((3, 3)) == (255, 255, 255)
    assert image.getpixel((0, 0)) == (0, 0, 255)


def test_sixteen_bit_png_is_rescaled_not_clipped():
    values = np.linspace(0, 65535, 32 * 8).reshape(8, 32).astype(np.uint16)
    data = encode(Image.fromarray(values), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    image = np.asarray(load_image(data))
    assert image[0, 0, 0] == 0 and image[-1, -1, 0] == 255
    assert 100 < image[4, 16, 0] < 156  # mid-gray stays mid-gray instead of clipping to white


def test_animated_gif_gives_first_frame():
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    r, g, b = load_image(buffer.getvalue()).getpixel((8, 8))
    assert r > 200 and b < 50


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (40, 20), (0, 0, 0))
    image.paste((255, 255, 255), (0, 0, 10, 10))  # white square at top-left of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    upright = load_image(encode(image, "JPEG", exif=exif, quality=95))
    assert upright.size == (20, 40)
    assert upright.getpixel((15, 5))[0] > 200  # the square is now at the top-right
    assert upright.getpixel((5, 35))[0] < 50


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"this is plain text, not a picture\n" * 10, "not an image"),
])
def test_unreadable_files_give_clear_messages(data, message):
    with pytest.raises(ImageError, match=message):
        load_image(data)


def test_truncated_jpeg():
    data = encode(gradient(size=(256, 256)), "JPEG", quality=95)
    with pytest.raises(ImageError, match="damaged or cut off"):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    data = encode(Image.new("1", (20000, 20000)), "PNG")
    assert len(data) < 1_000_000
    with pytest.raises(ImageError, match="megapixels"):
        load_image(data)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(encode(gradient(), "PNG"))
    with pytest.raises(ImageError, match="limit is"):
        load_image(path, max_bytes=100)


def test_missing_path():
    with pytest.raises(ImageError, match="No such file"):
        load_image("/no/such/file.png")


def test_huge_images_are_shrunk_to_working_size():
    image = load_image(encode(gradient(size=(5000, 1000)), "PNG"))
    assert image.size == (2048, 410)


def test_one_pixel_image_works():
    assert load_image(encode(Image.new("RGB", (1, 1), (9, 9, 9)), "PNG")).size == (1, 1)
