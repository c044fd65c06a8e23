"""The lecture's warning on ``digits_cnn``: rotate a 6 by 180° and it becomes a 9.

Which perturbations are allowable depends on the data: a cat upside down is still a cat, but
a 6 upside down is a 9. These functions measure it on all of scikit-learn's handwritten digits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import numpy as np
from PIL import Image
from torch import nn

from udl_viz.augment.stability import class_probabilities
from udl_viz.augment.transforms import mirror, rotate, translate
from udl_viz.models.spec import ModelSpec

#: Transformations checked on every digit, mild ones first.
DIGIT_TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "unchanged": lambda image: image,
    "rotate 15°": partial(rotate, angle=15.0),
    "shift 1 pixel": partial(translate, shift=1 / 8),
    "mirror": mirror,
    "rotate 180°": partial(rotate, angle=180.0),
}


@dataclass(frozen=True)
class DigitTransformReport:
    """How ``digits_cnn`` reads every digit after each transformation."""

    transforms: list[str]
    digits: list[str]
    kept: np.ndarray  # (transforms, 10): fraction of each true digit still read as itself
    confusion: dict[str, np.ndarray]  # transform -> (10, 10) counts, rows true digit, columns prediction
    counts: np.ndarray  # (10,) images of each digit

    def read_as(self, transform: str, digit: int) -> tuple[int, float]:
        """The digit most often predicted for ``digit`` after ``transform``, and how often."""
        row = self.confusion[transform][digit]
        return int(row.argmax()), float(row.max() / row.sum())


@cache
def digit_images() -> tuple[list[Image.Image], np.ndarray]:
    """All 1,797 scikit-learn digits as 64×64 RGB images, and their true labels."""
    from sklearn.datasets import load_digits

    from udl_viz.datasets.digits import digit_image

    digits = load_digits()
    return [digit_image(d).convert("RGB") for d in digits.images], digits.target.astype(int)


def digit_transform_report(
        model: nn.Module, spec: ModelSpec,
        transforms: dict[str, Callable[[Image.Image], Image.Image]] | None = None) -> DigitTransformReport:
    """Predict every scikit-learn digit under each transformation (``DIGIT_TRANSFORMS`` by default)."""
    transforms = DIGIT_TRANSFORMS if transforms is None else transforms
    images, truth = digit_images()
    classes = len(spec.class_names())
    counts = np.bincount(truth, minlength=classes)
    kept, confusion = [], {}
    for name, transform in transforms.items():
        predicted = class_probabilities(model, spec, [transform(im) for im in images], batch=512).argmax(dim=1).numpy()
        matrix = np.zeros((classes, classes), dtype=int)
        np.add.at(matrix, (truth, predicted), 1)
        confusion[name] = matrix
        kept.append(np.diag(matrix) / np.maximum(counts, 1))
    return DigitTransformReport(list(transforms), spec.class_names(), np.array(kept), confusion, counts)


@dataclass(frozen=True)
class RotatedDigit:
    """One digit image and its rotated copy as the model sees them, with both predictions."""

    before: Image.Image
    after: Image.Image
    probs_before: np.ndarray  # (classes,)
    probs_after: np.ndarray
    classes: list[str]

    @property
    def read_as(self) -> str:
        """What the model reads after the rotation."""
        return self.classes[int(np.argmax(self.probs_after))]


def rotate_digit(model: nn.Module, spec: ModelSpec, image: Image.Image, angle: float = 180.0) -> RotatedDigit:
    """Rotate a digit image by ``angle`` degrees and compare the model's predictions."""
    image = image.convert("RGB")
    turned = rotate(image, angle)
    probs = class_probabilities(model, spec, [image, turned]).numpy()
    return RotatedDigit(spec.preprocess.view(image), spec.preprocess.view(turned), probs[0], probs[1],
                        spec.class_names())
