"""Built-in sample images that ship with installed packages (scikit-image, scikit-learn)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from PIL import Image

from udl_viz.images import to_rgb


def _skimage(filename: str) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        # The file scikit-image ships, read with PIL: the same pixels as ``skimage.data``'s loaders,
        # which first import ``skimage.io`` and its plugins (0.3-0.6 s, on the warm-up's path).
        with (files("skimage.data") / filename).open("rb") as file, Image.open(file) as image:
            return to_rgb(image.copy())  # copy: the pixels outlive the closed file

    return load


def _digit(index: int) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        from sklearn.datasets import load_digits

        from udl_viz.datasets.digits import digit_image

        return digit_image(load_digits().images[index]).convert("RGB")

    return load


PHOTOS: dict[str, Callable[[], Image.Image]] = {
    "Chelsea the cat": _skimage("chelsea.png"),
    "Coffee cup": _skimage("coffee.png"),
    "Astronaut": _skimage("astronaut.png"),
    "Rocket": _skimage("rocket.jpg"),
    "Motorcycle": _skimage("motorcycle_left.png"),
    "Cameraman (grayscale)": _skimage("camera.png"),
    "Hubble deep field": _skimage("hubble_deep_field.jpg"),
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
