"""scikit-learn's 8×8 digits for the generative models: a fixed training split and 540 held-out digits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

#: Digits held out from training: the two-sample test compares 540 generated with these 540 real ones.
N_HELD_OUT = 540
#: Pixel values of scikit-learn's digits run from 0 to this.
PIXEL_MAX = 16.0


@dataclass(frozen=True)
class DigitsSplit:
    """Images (N×8×8 float32 on the 0–16 scale) and labels, training and held out."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@cache
def digits_split(seed: int = 0) -> DigitsSplit:
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
