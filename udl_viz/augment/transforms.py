"""The label-preserving (or not) transformations of data augmentation, applied to PIL images.

Each transformation is a torchvision ``transforms.v2.functional`` call with a fixed strength, so
the student sees one deterministic variant per transformation instead of a random draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torchvision.transforms.v2.functional as F
from PIL import Image
from torchvision.transforms import InterpolationMode


@dataclass(frozen=True)
class AugmentSettings:
    """How strong each transformation is; ``check()`` explains any value out of range."""

    angle: float = 30.0  # rotation in degrees, counter-clockwise
    shift: float = 0.15  # translation as a fraction of the width and height
    crop: float = 0.6  # side of the centred crop as a fraction of the image side
    brightness: float = 1.4  # colour jitter factors: 1 keeps the image unchanged
    contrast: float = 0.7
    saturation: float = 1.6
    hue: float = 0.08  # hue shift as a fraction of the colour wheel

    #: (field, label, minimum, maximum) of every setting.
    LIMITS = (("angle", "Rotation angle", -180.0, 180.0), ("shift", "Translation", 0.0, 0.5),
              ("crop", "Crop size", 0.2, 1.0), ("brightness", "Brightness factor", 0.0, 3.0),
              ("contrast", "Contrast factor", 0.0, 3.0), ("saturation", "Saturation factor", 0.0, 3.0),
              ("hue", "Hue shift", -0.5, 0.5))

    def check(self) -> AugmentSettings:
        """``self``, or ``ValueError`` naming the setting that is out of range."""
        for name, label, lo, hi in self.LIMITS:
            value = getattr(self, name)
            if not isinstance(value, int | float) or not np.isfinite(value) or not lo <= value <= hi:
                raise ValueError(f"{label} must be between {lo:g} and {hi:g}; got {value!r}.")
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
