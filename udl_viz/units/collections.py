"""Image collections to search for a unit's favourite patches, and how each image is sampled.

Every image gives ``1 + crops`` samples: first the model's own centre view, then random crops
(random scale, position and mirror) so small collections still offer many positions. Crops are
a pure function of ``(seed, image, crop)``, so shards and repeated runs see the same samples.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from udl_viz.images import content_hash, load_image
from udl_viz.models.spec import ModelSpec

EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
#: Random crops cover this range of the shorter side (log-uniform).
CROP_SCALE = (0.3, 1.0)
#: Bump when the sampling changes, so cached indexes built the old way are not reused.
SAMPLING_VERSION = 1


@dataclass(frozen=True)
class Crop:
    """A square of an original image as the model sees it: ``box`` in original pixels, maybe mirrored."""

    box: tuple[float, float, float, float]
    flip: bool = False

    def to_original(self, box: tuple[float, float, float, float], input_size: int) -> tuple[float, float, float, float]:
        """A box in model-input pixels mapped back to original-image pixels."""
        mapped = to_original(np.array(box, np.float64), np.array(self.box, np.float64), np.array(self.flip), input_size)
        return tuple(float(v) for v in mapped)


def to_original(boxes: np.ndarray, crop_boxes: np.ndarray, flips: np.ndarray, input_size: int) -> np.ndarray:
    """Boxes (..., 4) in model-input pixels mapped through their crops (..., 4) and flips (...)."""
    x0, y0, x1, y1 = np.moveaxis(boxes.astype(np.float64), -1, 0)
    cx0, cy0, cx1, cy1 = np.moveaxis(crop_boxes, -1, 0)
    x0, x1 = np.where(flips, input_size - x1, x0), np.where(flips, input_size - x0, x1)
    sx, sy = (cx1 - cx0) / input_size, (cy1 - cy0) / input_size
    return np.stack([cx0 + x0 * sx, cy0 + y0 * sy, cx0 + x1 * sx, cy0 + y1 * sy], axis=-1)


@dataclass
class Collection:
    """Named images with a loader, sampled ``1 + crops`` times each.

    ``fingerprint`` identifies the content (pixels, or file names, sizes and times for folders).
    """

    name: str
    kind: str  # "builtin", "uploads" or "folder"
    names: list[str]
    loader: Callable[[int], Image.Image] = field(repr=False)
    fingerprint: str
    crops: int = 0
    seed: int = 0
    root: str | None = None

    def __len__(self) -> int:
        return len(self.names)

    @property
    def samples_per_image(self) -> int:
        return 1 + self.crops

    @property
    def num_samples(self) -> int:
        return len(self) * self.samples_per_image

    @cached_property
    def key(self) -> str:
        """Content key: changes with the images, the crop settings or the sampling scheme."""
        text = f"{self.fingerprint}|crops={self.crops}|seed={self.seed}|v{SAMPLING_VERSION}"
        return hashlib.sha1(text.encode()).hexdigest()[:20]

    def load(self, i: int) -> Image.Image:
        return self.loader(i)

    def path(self, i: int) -> str:
        """How the image is named to a person: the file path for folders, else its label."""
        return str(Path(self.root) / self.names[i]) if self.root else self.names[i]

    def describe(self) -> dict:
        return {"name": self.name, "kind": self.kind, "key": self.key, "images": len(self),
                "crops": self.crops, "seed": self.seed, "root": self.root}

    def crop(self, i: int, j: int, size: tuple[int, int], spec: ModelSpec) -> Crop:
        """Sample ``j`` of image ``i`` (of ``size`` pixels): 0 is the model's centre view."""
        if j == 0:
            return Crop(spec.preprocess.crop_box(size))
        rng = np.random.default_rng([self.seed, i, j])
        w, h = size
        lo, hi = np.log(CROP_SCALE[0]), np.log(CROP_SCALE[1])
        side = min(w, h) * float(np.exp(rng.uniform(lo, hi)))
        x0, y0 = rng.uniform(0, w - side), rng.uniform(0, h - side)
        return Crop((x0, y0, x0 + side, y0 + side), bool(rng.random() < 0.5))

    def sample_id(self, i: int, j: int) -> int:
        return i * self.samples_per_image + j

    def shard(self, index: int, count: int) -> range:
        """The images of shard ``index`` of ``count`` (contiguous slices)."""
        if not 0 <= index < count:
            raise ValueError(f"shard {index}/{count}: the index must be between 0 and {count - 1}")
        n = len(self)
        return range(index * n // count, (index + 1) * n // count)


def crop_input(image: Image.Image, crop: Crop, spec: ModelSpec) -> torch.Tensor:
    """The model input (C, S, S) for one crop of an image."""
    view = spec.preprocess.view(image, box=crop.box)
    if crop.flip:
        view = view.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return spec.preprocess.to_input(view)


def crop_pixels(image: Image.Image, box: tuple[float, float, float, float], flip: bool = False,
                max_side: int | None = None) -> np.ndarray:
    """The pixels of ``box`` (original-image pixels, rounded outwards) as uint8 (H, W, 3)."""
    x0, y0, x1, y1 = pixel_box(box, image.size)
    patch = image.convert("RGB").crop((x0, y0, x1, y1))
    if flip:
        patch = patch.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if max_side and max(patch.size) > max_side:
        patch.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(patch)


def pixel_box(box: Sequence[float], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A float box rounded outwards to whole pixels and clipped to an image of ``size``."""
    w, h = size
    x0, y0 = max(int(np.floor(box[0] + 1e-6)), 0), max(int(np.floor(box[1] + 1e-6)), 0)
    x1, y1 = min(int(np.ceil(box[2] - 1e-6)), w), min(int(np.ceil(box[3] - 1e-6)), h)
    return (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))


@dataclass(frozen=True)
class Batch:
    """Model inputs with the collection sample each came from."""

    x: torch.Tensor
    samples: np.ndarray  # (B,) int64 sample ids
    images: np.ndarray  # (B,) int64 image indices
    crops: list[Crop]


def batches(collection: Collection, spec: ModelSpec, images: Sequence[int], batch_size: int = 16,
            on_error: Callable[[int, Exception], None] | None = None) -> Iterator[Batch]:
    """Model-input batches of every sample of the given images, in sample order.

    Images that fail to load are skipped after ``on_error(i, exc)`` (re-raised when it is None).
    """
    xs, ids, owners, crops = [], [], [], []
    for i in images:
        try:
            image = collection.load(i).convert("L" if spec.preprocess.grayscale else "RGB")
        except (ValueError, OSError) as exc:
            if on_error is None:
                raise
            on_error(i, exc)
            continue
        for j in range(collection.samples_per_image):
            crop = collection.crop(i, j, image.size, spec)
            xs.append(crop_input(image, crop, spec))
            ids.append(collection.sample_id(i, j))
            owners.append(i)
            crops.append(crop)
            if len(xs) == batch_size:
                yield Batch(torch.stack(xs), np.array(ids), np.array(owners), crops)
                xs, ids, owners, crops = [], [], [], []
    if xs:
        yield Batch(torch.stack(xs), np.array(ids), np.array(owners), crops)


def image_collection(name: str, kind: str, images: dict[str, Image.Image], crops: int = 0,
                     seed: int = 0, fingerprint: str | None = None) -> Collection:
    """A collection of in-memory images keyed by label (built-in samples, uploads).

    ``fingerprint`` may stand in for hashing the pixels when the caller already has content keys.
    """
    labels, pictures = list(images), list(images.values())
    return Collection(name, kind, labels, pictures.__getitem__, fingerprint or content_hash(*pictures),
                      crops, seed)


def photo_collection(crops: int = 8, seed: int = 0) -> Collection:
    """scikit-image's sample photos, each as the model's view plus ``crops`` random crops."""
    from udl_viz.samples import PHOTOS

    return image_collection("scikit-image photos", "builtin",
                            {label: load() for label, load in PHOTOS.items()}, crops, seed)


def digits_collection() -> Collection:
    """scikit-learn's 1,797 handwritten digits (8×8), each seen whole, for ``digits_cnn``."""
    from sklearn.datasets import load_digits

    from udl_viz.datasets.digits import digit_image

    data = load_digits()
    images = {f"digit {i} (a {t})": digit_image(pixels, scale=1)
              for i, (pixels, t) in enumerate(zip(data.images, data.target, strict=True))}
    return image_collection("scikit-learn digits", "builtin", images)


def wants_digits(spec: ModelSpec) -> bool:
    """Whether the model reads 8×8 grayscale digits (then the digits are its built-in collection)."""
    return spec.preprocess.grayscale and spec.input_size <= 8


def folder_files(root: str | Path) -> list[str]:
    """Image files under ``root`` (recursively), as sorted POSIX paths relative to it."""
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder")
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.suffix.lower() in EXTENSIONS and p.is_file())


def folder_collection(root: str | Path, crops: int = 0, seed: int = 0) -> Collection:
    """Every image file under a folder; the content key uses names, sizes and modification times."""
    root = Path(root).resolve()
    names = folder_files(root)
    if not names:
        raise ValueError(f"no images ({', '.join(sorted(EXTENSIONS))}) found under {root}")
    digest = hashlib.sha1()
    for name in names:
        stat = os.stat(root / name)
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return Collection(f"folder {root}", "folder", names, lambda i: load_image(root / names[i]),
                      digest.hexdigest(), crops, seed, str(root))


def folder_image(root: str | Path, path: str | Path) -> Image.Image:
    """Load an indexed image, refusing any path that leads outside the indexed folder."""
    root = Path(root).resolve()
    resolved = (root / path).resolve()
    if root not in resolved.parents:
        raise ValueError(f"{path} is not inside the indexed folder {root}")
    return load_image(resolved)
