"""One gate for every image: decode, check, orient and convert to RGB, with plain error messages."""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 64_000_000
#: Larger images are shrunk to this longest side: every model looks at 224 pixels or fewer.
WORKING_SIDE = 2048
FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "MPO")


class ImageError(ValueError):
    """An image that cannot be used, with a message fit to show a student."""


def load_image(source: bytes | str | Path | BinaryIO, *, max_bytes: int = MAX_BYTES,
               max_pixels: int = MAX_PIXELS, working_side: int = WORKING_SIDE) -> Image.Image:
    """Decode ``source`` into an upright RGB image, or raise ``ImageError`` saying why not.

    Applies EXIF orientation, takes the first frame of animations, flattens transparency onto
    white, converts every mode (L, LA, P, RGBA, CMYK, I;16, F, ...) to RGB, refuses empty,
    oversized and decompression-bomb files, and shrinks huge images to ``working_side``.
    """
    data = _read_bytes(source, max_bytes)
    if not data:
        raise ImageError("The file is empty (0 bytes).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.seek(0)
            if image.format not in FORMATS:
                raise ImageError(f"{image.format} images are not supported; use JPEG, PNG, WebP, BMP, TIFF or GIF.")
            w, h = image.size
            if w * h > max_pixels:
                raise ImageError(f"The image is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                                 f"the limit is {max_pixels / 1e6:.0f} megapixels. Please resize it.")
            if image.format == "JPEG" and max(w, h) > 2 * working_side:
                image.draft("RGB", (working_side, working_side))
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"The image is too large to open safely: over {max_pixels / 1e6:.0f} megapixels "
                         "(possibly a decompression bomb). Please resize it.") from exc
    except UnidentifiedImageError as exc:
        raise ImageError("This file is not an image udl_viz can read. "
                         "Use JPEG, PNG, WebP, BMP, TIFF or GIF.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"The image file is damaged or cut off and cannot be decoded ({exc}).") from exc
    with contextlib.suppress(Exception):  # broken EXIF blocks are common; the pixels are still fine
        image = ImageOps.exif_transpose(image)
    image = to_rgb(image)
    if image.width < 1 or image.height < 1:
        raise ImageError("The image has no pixels.")
    if max(image.size) > working_side:
        image.thumbnail((working_side, working_side), Image.Resampling.LANCZOS)
    return image


def _read_bytes(source: bytes | str | Path | BinaryIO, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"No such file: {path}")
        if path.stat().st_size > max_bytes:
            raise ImageError(_too_big(path.stat().st_size, max_bytes))
        data = path.read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageError(_too_big(len(data), max_bytes))
    return data


def _too_big(size: int, limit: int) -> str:
    return f"The file is {size / 2**20:.0f} MB; the limit is {limit / 2**20:.0f} MB."


def to_rgb(image: Image.Image) -> Image.Image:
    """Any PIL mode to 8-bit RGB; transparency goes onto white, high bit depths are rescaled."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        lo, hi = float(values.min()), float(values.max())
        scaled = (values - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(values)
        image = Image.fromarray(scaled.round().astype(np.uint8), "L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB") if image.mode != "RGB" else image


def content_hash(*images: Image.Image) -> str:
    """The SHA-1 of the images' modes, sizes and pixels: one key for equal images, in caches and state."""
    digest = hashlib.sha1()
    for image in images:
        digest.update(f"{image.mode}{image.size}".encode())
        digest.update(image.tobytes())
    return digest.hexdigest()
