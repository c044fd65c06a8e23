"""The unit page's loaders (collections, indexes disk-cached with a progress bar, syntheses) and sections."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image
from torch import nn

from udl_viz.figures.units import ascent_figure, patch_grid_figure, source_figure, synthesis_figure
from udl_viz.fingerprint import model_fingerprint
from udl_viz.images import ImageError
from udl_viz.models import ModelSpec
from udl_viz.ui.layout import show_figure
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.sidebar import uploaded_images
from udl_viz.units.cache import folder_indexes, load_cached, unit_indexes
from udl_viz.units.collections import (
    Collection,
    crop_pixels,
    folder_image,
    image_collection,
    wants_digits,
)
from udl_viz.units.featurevis import FeatureVis, cached_visualize, default_size, load_visualization
from udl_viz.units.index import Hit, UnitIndex
from udl_viz.units.receptive import OUTPUT

#: Random crops per photo in the built-in collection: 7 photos × (1 + 8) = 63 samples.
BUILTIN_CROPS = 8
UPLOAD_CROPS = 8
PATCH_SIDE = 160
UPLOAD_INDEXES_KEY = "units_upload_indexes"


@dataclass
class Source:
    """Where the page takes its images from: an in-memory collection, or a folder indexed by the CLI."""

    label: str
    collection: Collection | None = None
    root: str | None = None
    indexed: dict[str, dict] | None = None  # folder: layer -> a row of ``folder_indexes``

    def layers(self, spec: ModelSpec) -> list[str]:
        """The layers this source can show: all of them, or those the CLI indexed for a folder."""
        every = [*(entry.path for entry in spec.layers), OUTPUT]
        if self.indexed is None:
            return every
        return [p for p in every if p in self.indexed] + [p for p in self.indexed if p not in every]

    def image(self, hit: Hit) -> Image.Image:
        if self.collection is not None:
            return self.collection.load(hit.image)
        return folder_image(self.root, hit.name)


@st.cache_resource(show_spinner="Loading the built-in images…", max_entries=2)
def builtin(digits: bool) -> Collection:
    """The built-in collection (shared by every session; read-only)."""
    from udl_viz.units.collections import digits_collection, photo_collection

    return digits_collection() if digits else photo_collection(BUILTIN_CROPS)


def builtin_for(spec: ModelSpec) -> Collection:
    """The built-in collection that suits the model."""
    return builtin(wants_digits(spec))


def uploads() -> Collection | None:
    """This session's uploads (each with random crops), or None when there are none."""
    images = uploaded_images()
    if not images:
        return None
    fingerprint = hashlib.sha1("|".join(images).encode()).hexdigest()
    return image_collection("your uploads", "uploads", {f"{label} ({key[:6]})": image
                                                         for key, (label, image) in images.items()},
                            UPLOAD_CROPS, fingerprint=fingerprint)


def folders(model: nn.Module, spec: ModelSpec) -> list[Source]:
    """Folders indexed from the CLI for this model, newest first (the newest index of each layer)."""
    grouped: dict[str, dict[str, dict]] = {}
    for row in folder_indexes(spec.name, model_fingerprint(model)):
        grouped.setdefault(row["root"], {}).setdefault(row["layer"], row)
    return [Source(f"folder {root} ({next(iter(rows.values()))['images']} images, indexed from the CLI)",
                   root=root, indexed=rows) for root, rows in grouped.items()]


def sources(model: nn.Module, spec: ModelSpec) -> dict[str, Source]:
    """Every source the page can search, by widget value: built-in, uploads, folders indexed from the CLI."""
    shipped = builtin_for(spec)
    mine = uploads()
    found = {"builtin": Source(f"{shipped.name} (built-in)", shipped),
             "uploads": Source(f"your uploads ({len(mine)} images)", mine) if mine
             else Source("your uploads (none yet)")}
    return found | {f"folder:{folder.root}": folder for folder in folders(model, spec)}


def layer_label(spec: ModelSpec, layer: str) -> str:
    """How the layer picker names ``layer``."""
    labels = {entry.path: entry.label for entry in spec.layers} | {OUTPUT: "output: one unit per class"}
    return labels.get(layer, f"{layer} (from the CLI)")


def unit_name(spec: ModelSpec, layer: str, unit: int) -> str:
    """The unit in words: its class on the output layer, else its layer and number."""
    return spec.class_names()[unit] if layer == OUTPUT else f"{layer}, unit {unit}"


def layer_index(model: nn.Module, spec: ModelSpec, source: Source, layer: str) -> UnitIndex:
    """The index of ``layer``: from the disk cache, else built for every layer at once with a progress bar."""
    if source.indexed is not None:
        return UnitIndex.load(source.indexed[layer]["path"])
    collection = source.collection
    # Uploads stay in this session's memory: their names never reach the disk, nor pile up there.
    private = collection.kind == "uploads"
    key = (spec.name, model_fingerprint(model), collection.key)
    mine = st.session_state.setdefault(UPLOAD_INDEXES_KEY, {}) if private else {}
    cached = mine.get(key, {}).get(layer) if private else load_cached(*key[:2], layer, collection.key)
    if cached is not None:
        return cached
    layers = [*(entry.path for entry in spec.layers), OUTPUT]
    if layer not in layers:
        layers.append(layer)
    where = "this session" if private else "disk"
    bar = progress_bar(f"Indexing {collection.name}: crops through {len(layers)} layers (once; then kept on {where})")
    indexes = unit_indexes(model, spec, collection, layers, progress=bar, persist=not private)
    bar.done()
    if private:
        mine.clear()  # only the latest set of uploads is kept
        mine[key] = indexes
    return indexes[layer]


def patches(source: Source, hits: list[Hit]) -> tuple[list[np.ndarray], list[str]]:
    """The receptive-field crop of every hit (as the model saw it), and any problems loading them."""
    pixels, problems = [], []
    for hit in hits:
        try:
            image = source.image(hit)
        except (ImageError, ValueError, OSError) as exc:
            problems.append(f"{hit.name}: {exc}")
            pixels.append(np.full((8, 8, 3), 200, np.uint8))
            continue
        pixels.append(crop_pixels(image, hit.box, hit.flip, max_side=PATCH_SIDE))
    return pixels, problems


def synthesis(model: nn.Module, spec: ModelSpec, layer: str, unit: int, objective: str, steps: int,
              run: Callable[[], bool]) -> FeatureVis | None:
    """The synthesized image: from the disk cache, else computed with a progress bar if ``run()``."""
    size = default_size(spec)
    found = load_visualization(model, spec, layer, unit, objective=objective, steps=steps, size=size)
    if found is not None or not run():
        return found
    bar = progress_bar("Synthesizing by gradient ascent…")
    result = cached_visualize(model, spec, layer, unit, objective=objective, steps=steps, size=size, progress=bar)
    bar.done()
    return result


def patches_section(source: Source, hits: list[Hit], layer: str, what: str) -> None:
    """The grid of the crops that excite the unit most, what it shows, and what went wrong."""
    pixels, problems = patches(source, hits)
    show_figure(patch_grid_figure(pixels, [f"#{h.rank}: {h.activation:.3g}" for h in hits],
                                  f"{what}: the {len(hits)} crops that excite it most",
                                  hovers=[f"{h.name}<br>box {[round(v) for v in h.box]}" for h in hits]),
                key="patches")
    st.caption("**What am I looking at?** " + (
        "The image patches where this unit fires most. Each is exactly what the unit sees (its receptive field), "
        "cut from the original image; the number is the unit's activation there. Mirrored crops are shown as "
        "the model saw them." if layer != OUTPUT else "The whole crops the model scores highest for this "
        "class; the number is the class score (logit)."))
    for problem in problems:
        st.warning(f"Could not load {problem}")
    if hits and hits[0].activation <= 0:
        st.warning("This unit never fires (activation ≤ 0) on these images: it may be dead, or wait for a "
                   "pattern the collection lacks.")


def synthesis_section(vis: FeatureVis | None, hits: list[Hit], layer: str, objective: str) -> None:
    """The synthesized image, its peak next to the best real crop, and the ascent; or how to start one."""
    if vis is None:
        st.caption("Press **Synthesize** to start from noise and change the pixels, step by step, "
                   "to make this unit fire as strongly as possible.")
        return
    seen = "" if vis.box is None else f", {vis.patch.shape[1]}×{vis.patch.shape[0]} px"
    show_figure(synthesis_figure(vis.patch, f"Synthesized{seen}"), key="synthesis")
    best = hits[0].activation if hits else float("nan")
    s1, s2 = st.columns(2)
    s1.metric("Unit's peak on this image", f"{vis.peak:.3g}")
    s2.metric("Best real crop", f"{best:.3g}")
    show_figure(ascent_figure(vis.trace, "Response during gradient ascent",
                              "class score" if layer == OUTPUT else "mean activation of the channel"
                              if objective == "channel" else "activation of the centre unit"),
                key="ascent")
    st.caption(("The part of the image the centre unit sees (its receptive field). " if vis.box else "")
               + "Made by gradient ascent from noise, with random jitter and a smooth (1/frequency) image "
               "basis as in Olah et al.'s Feature Visualization: the pattern the unit looks for, often "
               "stronger than any photo.")


def index_metrics(index: UnitIndex) -> None:
    """What one unit of the layer sees, how many units there are, and how many crops were searched."""
    rf = index.receptive_field
    m1, m2, m3 = st.columns(3)
    m1.metric("Receptive field", "whole image" if rf.whole else f"{rf.size[1]}×{rf.size[0]} px",
              help=f"How much of the {rf.input_size}×{rf.input_size} model input one unit can see.")
    m2.metric("Feature map", f"{index.units} × {rf.feature_shape[0]}×{rf.feature_shape[1]}",
              help="units (channels) × positions")
    m3.metric("Crops searched", f"{index.meta['samples']:,}")


def source_section(source: Source, hit: Hit, layer: str, what: str) -> None:
    """The whole image a patch was cut from, with the patch's box on it."""
    try:
        original = np.asarray(source.image(hit).convert("RGB"))
        show_figure(source_figure(original, hit.box, f"Patch #{hit.rank} in {hit.name}"), key="where")
        st.caption("The box is the crop the model saw." if layer == OUTPUT else
                   f"The box is the receptive field of {what} at feature-map position {hit.position}"
                   + (" (in a mirrored crop)" if hit.flip else "") + ": the only pixels this unit looks at.")
    except (ImageError, ValueError, OSError) as exc:
        st.warning(f"Could not load {hit.name}: {exc}")
