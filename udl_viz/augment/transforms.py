"""The label-preserving (or not) transformations of data augmentation, applied to PIL images.

Each transformation is a torchvision ``transforms.v2.functional`` call with a fixed strength, so
the student sees one deterministic variant per transformation instead of a random draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torchvision.transforms.v2.functional as F
from PIL import Image
from torchvision.transforms import InterpolationMode

from udl_viz.settings import Setting, resolve

#: The strength of every transformation: its default and allowed range.
SETTINGS = (
    Setting("angle", "Rotation (degrees)", 30.0, minimum=-180.0, maximum=180.0, step=5.0,
            help="Counter-clockwise. Try 180 on a digit 6."),
    Setting("shift", "Translation (fraction of the side)", 0.15, minimum=0.0, maximum=0.5, step=0.05),
    Setting("crop", "Crop (fraction of each side kept)", 0.6, minimum=0.2, maximum=1.0, step=0.05,
            help="The centre part is kept and zoomed back to full size."),
    Setting("brightness", "Brightness ×", 1.4, minimum=0.0, maximum=3.0, step=0.1),
    Setting("contrast", "Contrast ×", 0.7, minimum=0.0, maximum=3.0, step=0.1),
    Setting("saturation", "Saturation ×", 1.6, minimum=0.0, maximum=3.0, step=0.1),
    Setting("hue", "Hue shift", 0.08, minimum=-0.5, maximum=0.5, step=0.02, help="A fraction of the colour wheel."),
)
_DEFAULT = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class AugmentSettings:
    """How strong each transformation is (defaults and ranges in ``SETTINGS``); ``check()`` explains bad values."""

    angle: float = _DEFAULT["angle"]  # rotation in degrees, counter-clockwise
    shift: float = _DEFAULT["shift"]  # translation as a fraction of the width and height
    crop: float = _DEFAULT["crop"]  # side of the centred crop as a fraction of the image side
    brightness: float = _DEFAULT["brightness"]  # colour jitter factors: 1 keeps the image unchanged
    contrast: float = _DEFAULT["contrast"]
    saturation: float = _DEFAULT["saturation"]
    hue: float = _DEFAULT["hue"]  # hue shift as a fraction of the colour wheel

    def check(self) -> AugmentSettings:
        """``self``, or ``ValueError`` naming the setting that is out of range."""
        resolve(SETTINGS, asdict(self))
        return self


@dataclass(frozen=True)
class Variant:
    """One transformed copy of the image: a short name, what was done, and the result."""

    name: str
    detail: str
    image: Image.Image


def fill_colour(image: Image.Image) -> list[float]:
    """The median colour of the image border, used for pixels a transformation uncovers.

    torchvision fills with black by default; the border colour keeps a dark-on-white upload
    (or a light-on-dark digit) from gaining a frame the model has never seen.
    """
    pixels = np.asarray(image)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return np.median(border.reshape(len(border), -1), axis=0).tolist()


def mirror(image: Image.Image) -> Image.Image:
    """Flip left to right."""
    return F.horizontal_flip(image)


def rotate(image: Image.Image, angle: float) -> Image.Image:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, keeping the size."""
    return F.rotate(image, float(angle), interpolation=InterpolationMode.BILINEAR, fill=fill_colour(image))


def translate(image: Image.Image, shift: float) -> Image.Image:
    """Shift right and down by ``shift`` times the width and height."""
    w, h = image.size
    return F.affine(image, angle=0.0, translate=[round(shift * w), round(shift * h)], scale=1.0,
                    shear=[0.0, 0.0], fill=fill_colour(image))


def crop(image: Image.Image, fraction: float) -> Image.Image:
    """Keep the centred ``fraction`` of each side and stretch it back to the full size (zoom in)."""
    w, h = image.size
    cw, ch = max(1, round(w * fraction)), max(1, round(h * fraction))
    return F.resized_crop(image, (h - ch) // 2, (w - cw) // 2, ch, cw, [h, w],
                          interpolation=InterpolationMode.BICUBIC)


def colour_jitter(image: Image.Image, brightness: float, contrast: float, saturation: float,
                  hue: float) -> Image.Image:
    """Change brightness, contrast, saturation and hue by fixed factors (ColorJitter without chance)."""
    image = F.adjust_brightness(image, brightness)
    image = F.adjust_contrast(image, contrast)
    image = F.adjust_saturation(image, saturation)
    return F.adjust_hue(image, hue)


def make_variants(image: Image.Image, settings: AugmentSettings = AugmentSettings()) -> list[Variant]:
    """The original followed by its mirror, rotation, translation, crop and colour-jitter variants."""
    s = settings.check()
    image = image.convert("RGB")
    return [
        Variant("Original", "unchanged", image),
        Variant("Mirror", "flipped left ↔ right", mirror(image)),
        Variant("Rotation", f"rotated {s.angle:+g}°", rotate(image, s.angle)),
        Variant("Translation", f"shifted {s.shift:.0%} right and down", translate(image, s.shift)),
        Variant("Crop", f"centre {s.crop:.0%} of each side, zoomed in", crop(image, s.crop)),
        Variant("Colour jitter", f"brightness ×{s.brightness:g}, contrast ×{s.contrast:g}, "
                f"saturation ×{s.saturation:g}, hue {s.hue:+g}",
                colour_jitter(image, s.brightness, s.contrast, s.saturation, s.hue)),
    ]


@dataclass(frozen=True)
class Sweep:
    """One transformation applied at a range of strengths."""

    axis: str  # what the strength means, for the x axis
    values: tuple[float, ...]
    apply: Callable[[Image.Image, float], Image.Image]


#: Transformations whose strength the page can sweep, by name.
SWEEPS: dict[str, Sweep] = {
    "rotation": Sweep("rotation angle (degrees)", tuple(float(a) for a in range(-180, 181, 15)), rotate),
    "translation": Sweep("shift (fraction of the side)", tuple(round(0.05 * i, 2) for i in range(11)), translate),
    "crop": Sweep("crop size (fraction of the side)", tuple(round(1 - 0.1 * i, 2) for i in range(9)), crop),
    "brightness": Sweep("brightness factor", tuple(round(0.2 * i, 1) for i in range(16)),
                        lambda image, factor: F.adjust_brightness(image, factor)),
}
