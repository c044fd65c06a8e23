"""The built-in samples: the photos scikit-image ships and one digit of each class from scikit-learn."""

import numpy as np
import pytest
import skimage.data
from PIL import Image

from udl_viz.images import to_rgb
from udl_viz.samples import load_sample, sample_names

#: Each photo and scikit-image's own loader for it (the reference pixels).
REFERENCES = {
    "Chelsea the cat": skimage.data.chelsea,
    "Coffee cup": skimage.data.coffee,
    "Astronaut": skimage.data.astronaut,
    "Rocket": skimage.data.rocket,
    "Motorcycle": lambda: skimage.data.stereo_motorcycle()[0],
    "Cameraman (grayscale)": skimage.data.camera,
    "Hubble deep field": skimage.data.hubble_deep_field,
}


def test_every_photo_has_a_reference():
    assert sorted(sample_names()) == sorted(REFERENCES)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_photo_pixels_equal_scikit_images_loader(name):
    image = load_sample(name)
    expected = np.asarray(to_rgb(Image.fromarray(np.asarray(REFERENCES[name]()))))
    assert image.mode == "RGB"
    assert np.array_equal(np.asarray(image), expected)


def test_digits_are_rgb_and_named_by_class():
    assert sample_names(digits=True) == [f"Digit {d}" for d in range(10)]
    image = load_sample("Digit 3")
    assert image.mode == "RGB" and min(image.size) > 8


def test_unknown_sample_is_a_key_error():
    with pytest.raises(KeyError, match="unknown sample"):
        load_sample("Nope")
