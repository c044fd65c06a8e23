"""Write a unit's top patches to a folder: PNG crops and ``patches.json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from udl_viz.strict_json import strict
from udl_viz.units.collections import crop_pixels, pixel_box
from udl_viz.units.index import Hit, UnitIndex, atomic_write

MANIFEST = "patches.json"


def export_patches(index: UnitIndex, unit: int, top: int, load: Callable[[Hit], Image.Image],
                   out_dir: str | Path) -> list[dict]:
    """Save the unit's ``top`` patches as PNGs and list them in ``out_dir/patches.json``.

    Each record holds ``image``, ``box`` ([x0, y0, x1, y1], original-image pixels, rounded
    outwards, end exclusive) and ``activation``, highest first; also ``rank``, ``file`` (the PNG,
    mirrored when the model saw a mirrored crop), ``flipped`` and the feature-map ``position``.
    Images that cannot be loaded get an ``error`` instead of a ``file``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for hit in index.top(unit, top):
        record = {"image": hit.name, "box": None, "activation": hit.activation, "rank": hit.rank,
                  "flipped": hit.flip, "position": list(hit.position), "layer": index.layer, "unit": unit}
        try:
            image = load(hit)
        except (ValueError, OSError) as exc:
            record["box"] = [round(v) for v in hit.box]
            record["error"] = str(exc)
            records.append(record)
            continue
        record["box"] = list(pixel_box(hit.box, image.size))
        name = f"patch_{hit.rank:02d}.png"
        Image.fromarray(crop_pixels(image, hit.box, hit.flip)).save(out / name)
        record["file"] = name
        records.append(record)
    atomic_write(out / MANIFEST, lambda f: f.write(json.dumps(strict(records), indent=1, allow_nan=False).encode()))
    return records
