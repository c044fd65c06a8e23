"""scikit-learn's 8×8 handwritten digits (shipped with scikit-learn): the split and the pictures."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

CLASSES = [str(d) for d in range(10)]


def digits_split(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """scikit-learn's digits as ``(x_train, y_train, x_test, y_test)``; x is N×1×8×8 in [0, 1].

    A stratified 75/25 split with a fixed seed; the test quarter is held out from training.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
    y = torch.tensor(digits.target, dtype=torch.long)
    idx_train, idx_test = train_test_split(np.arange(len(y)), test_size=0.25,
                                           stratify=digits.target, random_state=seed)
    return x[idx_train], y[idx_train], x[idx_test], y[idx_test]


def digit_image(pixels: np.ndarray, scale: int = 8) -> Image.Image:
    """An 8×8 digit (values 0..16) as a white-on-black PIL image, enlarged ``scale`` times."""
    img = Image.fromarray((np.asarray(pixels, dtype=np.float64) * 255 / 16).round().astype(np.uint8))
    return img.resize((8 * scale, 8 * scale), Image.Resampling.NEAREST)
