"""scikit-learn's 8×8 handwritten digits (shipped with scikit-learn): the splits and the pictures.

Two fixed splits: ``digits_split`` (a quarter held out) for the digits CNN, ``held_out_split``
(``N_HELD_OUT`` digits held out) for the generative models and their two-sample test.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    import torch

CLASSES = [str(d) for d in range(10)]
#: Pixel values of scikit-learn's digits run from 0 to this.
PIXEL_MAX = 16.0
#: Digits ``held_out_split`` keeps from training: the two-sample test compares 540 generated with these.
N_HELD_OUT = 540


def digits_split(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """scikit-learn's digits as ``(x_train, y_train, x_test, y_test)``; x is N×1×8×8 in [0, 1].

    A stratified 75/25 split with a fixed seed; the test quarter is held out from training.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = torch.tensor(digits.images / PIXEL_MAX, dtype=torch.float32).unsqueeze(1)
    y = torch.tensor(digits.target, dtype=torch.long)
    idx_train, idx_test = train_test_split(np.arange(len(y)), test_size=0.25,
                                           stratify=digits.target, random_state=seed)
    return x[idx_train], y[idx_train], x[idx_test], y[idx_test]


@dataclass(frozen=True)
class DigitsSplit:
    """Images (N×8×8 float32 on the 0–16 scale) and labels, training and held out."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@cache
def held_out_split(seed: int = 0) -> DigitsSplit:
    """A stratified split of the 1,797 digits with ``N_HELD_OUT`` held out (the same for every caller)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = digits.images.astype(np.float32)
    x_train, x_test, y_train, y_test = train_test_split(images, digits.target, test_size=N_HELD_OUT,
                                                        stratify=digits.target, random_state=seed)
    for array in (x_train, x_test, y_train, y_test):
        array.setflags(write=False)
    return DigitsSplit(x_train, y_train, x_test, y_test)


def digit_image(pixels: np.ndarray, scale: int = 8) -> Image.Image:
    """An 8×8 digit (values 0..16) as a white-on-black PIL image, enlarged ``scale`` times."""
    img = Image.fromarray((np.asarray(pixels, dtype=np.float64) * 255 / PIXEL_MAX).round().astype(np.uint8))
    return img.resize((8 * scale, 8 * scale), Image.Resampling.NEAREST)
