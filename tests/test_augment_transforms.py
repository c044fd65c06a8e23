"""The augmentation transformations: known answers on small synthetic images."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from udl_viz.augment import AugmentSettings, make_variants
from udl_viz.augment.transforms import (
    SWEEPS,
    colour_jitter,
    crop,
    fill_colour,
    mirror,
    rotate,
    translate,
)


@pytest.fixture
def noise() -> tuple[np.ndarray, Image.Image]:
    pixels = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    return pixels, Image.fromarray(pixels)


def test_mirror_flips_columns_and_twice_is_identity(noise):
    pixels, image = noise
    assert np.array_equal(np.asarray(mirror(image)), pixels[:, ::-1])
    assert np.array_equal(np.asarray(mirror(mirror(image))), pixels)


def test_rotation_by_180_degrees_reverses_rows_and_columns_exactly(noise):
    pixels, image = noise
    assert np.array_equal(np.asarray(rotate(image, 180)), pixels[::-1, ::-1])
    assert rotate(image, 37).size == image.size


def test_translation_moves_content_and_fills_with_the_border_colour():
    pixels = np.zeros((40, 60, 3), np.uint8)
    pixels[10:20, 10:20] = 255
    shifted = np.asarray(translate(Image.fromarray(pixels), 0.1))  # 6 px right, 4 px down
    assert np.array_equal(shifted[14:24, 16:26], np.full((10, 10, 3), 255))
    assert shifted[:4].max() == 0  # uncovered rows take the (black) border colour
    white = Image.new("RGB", (20, 20), (250, 250, 250))
    assert fill_colour(white) == [250, 250, 250]
    assert np.asarray(translate(white, 0.3)).min() == 250


def test_crop_keeps_the_centre_and_a_full_crop_is_identity(noise):
    pixels, image = noise
    assert np.array_equal(np.asarray(crop(image, 1.0)), pixels)
    quadrants = np.kron(np.array([[0, 255], [255, 0]], np.uint8), np.ones((20, 20), np.uint8))
    zoomed = np.asarray(crop(Image.fromarray(quadrants), 0.5))
    assert zoomed.shape == (40, 40)
    assert zoomed[0, 0] == 0 and zoomed[0, -1] == 255 and zoomed[-1, -1] == 0


def test_colour_jitter_neutral_factors_change_little_and_zero_brightness_is_black(noise):
    pixels, image = noise
    same = np.asarray(colour_jitter(image, 1.0, 1.0, 1.0, 0.0)).astype(int)
    assert np.abs(same - pixels).max() <= 8  # only HSV round-off
    assert np.asarray(colour_jitter(image, 0.0, 1.0, 1.0, 0.0)).max() == 0


def test_make_variants_lists_every_transformation_in_order(noise):
    _, image = noise
    variants = make_variants(image)
    assert [v.name for v in variants] == ["Original", "Mirror", "Rotation", "Translation", "Crop", "Colour jitter"]
    assert all(v.image.size == image.size and v.image.mode == "RGB" for v in variants)
    assert variants[0].image.tobytes() == image.tobytes()
    assert "+30°" in variants[2].detail


@pytest.mark.parametrize(("field", "value", "message"), [
    ("angle", 200.0, r"Rotation \(degrees\) must be between -180 and 180"),
    ("crop", 0.0, r"Crop \(fraction of each side kept\) must be between 0.2 and 1"),
    ("hue", float("nan"), "Hue shift"),
])
def test_out_of_range_settings_are_explained(noise, field, value, message):
    with pytest.raises(ValueError, match=message):
        make_variants(noise[1], AugmentSettings(**{field: value}))


def test_every_sweep_starts_from_or_contains_the_identity(noise):
    _, image = noise
    identity = {"rotation": 0.0, "translation": 0.0, "crop": 1.0, "brightness": 1.0}
    for name, family in SWEEPS.items():
        assert identity[name] in family.values
        assert np.array_equal(np.asarray(family.apply(image, identity[name])), np.asarray(image))
