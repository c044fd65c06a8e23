"""Training examples for fine-tuning: checking the student's classes, and the built-in tasks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from udl_viz.settings import Setting

#: Held-out images per class of a built-in task, and the training images per class.
TEST_PER_CLASS = 10
PER_CLASS = Setting("per_class", "Training images per class", 8, minimum=1, maximum=20,
                    help=f"Another {TEST_PER_CLASS} images per class are held out to test the new head.")
#: The student's own classes: how many, and the most images of each that are used.
CLASSES = Setting("classes", "Number of classes", 2, minimum=1, maximum=6, step=1, widget="number",
                  help="Fine-tuning needs at least 2 classes.")
MAX_IMAGES_PER_CLASS = 30


class FineTuneError(ValueError):
    """A training set that cannot be used, with a message fit to show a student."""


@dataclass(frozen=True)
class Examples:
    """Labelled images: ``labels[i]`` indexes ``classes`` for ``images[i]``."""

    classes: list[str]
    images: list[Image.Image]
    labels: list[int]

    def counts(self) -> list[int]:
        """Images per class."""
        return np.bincount(self.labels, minlength=len(self.classes)).tolist()


def examples_from(per_class: Sequence[tuple[str, Sequence[Image.Image]]]) -> Examples:
    """``[(class name, images), ...]`` as ``Examples``, or ``FineTuneError`` saying what is missing."""
    names = [name.strip() for name, _ in per_class]
    if len(names) < 2:
        raise FineTuneError(f"Fine-tuning needs at least 2 classes to tell apart; you have {len(names)}. "
                            "Add another class.")
    for i, name in enumerate(names):
        if not name:
            raise FineTuneError(f"Class {i + 1} has no name. Give every class a name.")
    seen = set()
    for name in names:
        if name.lower() in seen:
            raise FineTuneError(f"Two classes are called '{name}'. Give each class its own name.")
        seen.add(name.lower())
    for name, (_, images) in zip(names, per_class, strict=True):
        if not images:
            raise FineTuneError(f"Class '{name}' has no images. Add at least one image to every class.")
    images = [im for _, ims in per_class for im in ims]
    labels = [c for c, (_, ims) in enumerate(per_class) for _ in ims]
    return Examples(names, images, labels)


@dataclass(frozen=True)
class Task:
    """A built-in fine-tuning task: training images per class and held-out test images."""

    name: str
    description: str
    make: Callable[[int, int], tuple[Examples, Examples]]  # (train per class, test per class)


def _check_sizes(train: int, test: int) -> None:
    if train < 1 or test < 1:
        raise FineTuneError(f"A built-in task needs at least 1 training and 1 test image per class; "
                            f"got {train} and {test}.")


def _random_crops(array: np.ndarray, count: int, size: int, rng: np.random.Generator) -> list[Image.Image]:
    h, w = array.shape[:2]
    out = []
    for _ in range(count):
        y, x = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        out.append(Image.fromarray(array[y:y + size, x:x + size]).convert("RGB"))
    return out


def textures(train: int, test: int, seed: int = 0) -> tuple[Examples, Examples]:
    """Brick, grass and gravel: random crops of scikit-image's texture photos.

    Training crops come from the left half of each photo and test crops from the right half,
    so no test pixel was seen in training.
    """
    import skimage.data

    _check_sizes(train, test)
    rng = np.random.default_rng(seed)
    train_sets, test_sets = [], []
    for name in ("brick", "grass", "gravel"):
        photo = getattr(skimage.data, name)()
        half = photo.shape[1] // 2
        train_sets.append((name, _random_crops(photo[:, :half], train, 160, rng)))
        test_sets.append((name, _random_crops(photo[:, half:], test, 160, rng)))
    return examples_from(train_sets), examples_from(test_sets)


def digits(train: int, test: int, seed: int = 0) -> tuple[Examples, Examples]:
    """Handwritten 3, 5 and 8 from scikit-learn's digits; test images are other writers' digits."""
    from sklearn.datasets import load_digits

    from udl_viz.datasets.digits import digit_image

    _check_sizes(train, test)
    data = load_digits()
    rng = np.random.default_rng(seed)
    train_sets, test_sets = [], []
    for digit in (3, 5, 8):
        chosen = rng.permutation(np.flatnonzero(data.target == digit))
        images = [digit_image(data.images[i]).convert("RGB") for i in chosen[:train + test]]
        train_sets.append((str(digit), images[:train]))
        test_sets.append((str(digit), images[train:]))
    return examples_from(train_sets), examples_from(test_sets)


TASKS: dict[str, Task] = {task.name: task for task in (
    Task("Textures: brick, grass, gravel",
         "Three textures that are not ImageNet classes; crops of scikit-image's texture photos.", textures),
    Task("Digits: 3, 5, 8",
         "Three easily confused handwritten digits from scikit-learn's digits set.", digits),
)}
