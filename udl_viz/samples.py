"""Built-in sample images that ship with installed packages (scikit-image, scikit-learn)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from udl_viz.images import to_rgb


def _skimage(name: str) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        import skimage.data

        array = getattr(skimage.data, name)()
        if name == "stereo_motorcycle":
            array = array[0]
        return to_rgb(Image.fromarray(np.asarray(array)))

    return load


def _digit(index: int) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        from sklearn.datasets import load_digits

        from udl_viz.datasets.digits import digit_image

        return digit_image(load_digits().images[index]).convert("RGB")

    return load


PHOTOS: dict[str, Callable[[], Image.Image]] = {
    "Chelsea the cat": _skimage("chelsea"),
    "Coffee cup": _skimage("coffee"),
    "Astronaut": _skimage("astronaut"),
    "Rocket": _skimage("rocket"),
    "Motorcycle": _skimage("stereo_motorcycle"),
    "Cameraman (grayscale)": _skimage("camera"),
    "Hubble deep field": _skimage("hubble_deep_field"),
}
#: One example of each digit from scikit-learn's digits set, for ``digits_cnn``.
DIGITS: dict[str, Callable[[], Image.Image]] = {f"Digit {d}": _digit(d) for d in range(10)}


def sample_names(digits: bool = False) -> list[str]:
    """The built-in samples: handwritten digits (for ``digits_cnn``) or photos."""
    return list(DIGITS) if digits else list(PHOTOS)


def load_sample(name: str) -> Image.Image:
    """A built-in sample as an RGB PIL image."""
    loader = PHOTOS.get(name) or DIGITS.get(name)
    if loader is None:
        raise KeyError(f"unknown sample {name!r}")
    return loader()
