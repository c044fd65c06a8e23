"""``python -m udl_viz patches``: the image patches that excite one unit most, from a folder of images.

    patches --model NAME --layer LAYER --unit U --images DIR [--top K] --out DIR
    patches ... --shard i/n              index one of n slices (for batch systems)
    patches merge --out DIR [--unit U]   join the shards found in DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "patches", help="top-k patches that excite a unit, from a folder of images",
        description="Index a folder once for every unit of a layer (cached on disk under $UDL_VIZ_CACHE "
                    "or ~/.cache/udl_viz), then write the unit's top patches as PNGs and DIR/patches.json: "
                    'a list of {"image", "box": [x0, y0, x1, y1] in original-image pixels, "activation"}, '
                    "highest first. Prints one JSON line per result; unreadable images are reported as "
                    '{"image", "error"} lines and skipped.',
        usage="python -m udl_viz patches --model NAME --layer LAYER --unit U --images DIR [--top K] "
              "--out DIR [--shard i/n] [options]\n       python -m udl_viz patches merge --out DIR "
              "[--unit U] [--layer LAYER] [--top K] [SHARD ...]")
    parser.add_argument("--model", help="registry name (see `models`)")
    parser.add_argument("--layer", help="module path, e.g. _blocks.5, or 'output' for the class scores")
    parser.add_argument("--unit", type=int, metavar="U", help="channel of the layer (class index for 'output')")
    parser.add_argument("--images", metavar="DIR", help="folder of images (searched recursively)")
    parser.add_argument("--top", type=int, default=9, metavar="K", help="patches to write (default 9)")
    parser.add_argument("--out", metavar="DIR", help="where the PNGs, patches.json and shard indexes go")
    parser.add_argument("--shard", metavar="i/n", help="index only slice i of n (0-based); join with `merge`")
    parser.add_argument("--crops", type=int, default=0, metavar="N",
                        help="random crops per image besides the model's centre view (default 0)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random crops (default 0)")
    parser.add_argument("--all-layers", action="store_true",
                        help="index every layer of the model in the same pass (for the dashboard)")
    parser.add_argument("--batch-size", type=int, default=16, help="crops per forward pass (default 16)")
    parser.add_argument("--no-cache", action="store_true", help="rebuild the index even if it is cached")
    parser.set_defaults(func=run)
    steps = parser.add_subparsers(dest="step", metavar="STEP")
    merge = steps.add_parser(
        "merge", help="join shard indexes into the full index",
        description="Join the shard indexes written by `patches --shard i/n` (all n of them), store the "
                    "full index in the cache and in DIR, and with --unit write that unit's patches.")
    merge.add_argument("--out", required=True, metavar="DIR", help="where the merged index (and patches) go")
    merge.add_argument("--unit", type=int, metavar="U", help="also write this unit's patches")
    merge.add_argument("--layer", help="which layer's patches to write when the shards hold several")
    merge.add_argument("--top", type=int, default=9, metavar="K", help="patches to write (default 9)")
    merge.add_argument("shards", nargs="*", metavar="SHARD",
                       help="shard index files or folders holding them (default: --out)")
    merge.set_defaults(func=run_merge)


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str) -> None:
        self.label, self.shown = label, -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        tty = sys.stderr.isatty()
        if percent == self.shown or (not tty and percent % 10 and done < total):
            return  # redraw in place on a terminal; one line per 10% in a log file
        self.shown = percent
        end = "\n" if done >= total or not tty else ""
        sys.stderr.write(f"\r{self.label} [{'#' * (percent // 4):<25}] {done}/{total} crops{end}")
        sys.stderr.flush()


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _parse_shard(text: str | None) -> tuple[int, int]:
    if text is None:
        return (0, 1)
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like i/n (e.g. 0/4), not {text!r}") from None
    if n < 1 or not 0 <= i < n:
        raise ValueError(f"--shard {text}: need n >= 1 and 0 <= i < n")
    return (i, n)


def shard_name(layer: str, shard: tuple[int, int]) -> str:
    """File stem of a shard index in the output folder."""
    from udl_viz.units.cache import slug

    return f"index-{slug(layer)}-shard-{shard[0]}-of-{shard[1]}"


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.jsonl import emit
    from udl_viz.models import IMAGE_CLASSIFICATION, ModelUnavailable, get_spec, load_model
    from udl_viz.units.cache import model_fingerprint, unit_indexes
    from udl_viz.units.collections import folder_collection
    from udl_viz.units.export import MANIFEST, export_patches
    from udl_viz.units.index import DEFAULT_K, build_indexes
    from udl_viz.units.receptive import OUTPUT, ReceptiveFieldError

    missing = [flag for flag, value in (("--model", args.model), ("--layer", args.layer),
                                        ("--images", args.images), ("--out", args.out)) if value is None]
    try:
        shard = _parse_shard(args.shard)
    except ValueError as exc:
        return _fail(str(exc))
    if args.unit is None and shard[1] == 1:
        missing.append("--unit")
    if missing:
        return _fail(f"patches needs {', '.join(missing)} (see --help)")
    if args.top < 1 or args.batch_size < 1 or args.crops < 0:
        return _fail("--top and --batch-size must be at least 1, --crops at least 0")
    try:
        spec = get_spec(args.model, task=IMAGE_CLASSIFICATION)
        model = load_model(args.model)
    except (KeyError, ModelUnavailable) as exc:
        return _fail(str(exc).strip("'\""))
    model.requires_grad_(False)
    if args.layer != OUTPUT:
        try:
            model.get_submodule(args.layer)
        except AttributeError:
            return _fail(f"{spec.name} has no layer {args.layer!r}; try one of "
                         f"{', '.join(entry.path for entry in spec.layers)} or {OUTPUT}")
    try:
        collection = folder_collection(args.images, crops=args.crops, seed=args.seed)
    except ValueError as exc:
        return _fail(str(exc))
    layers = [args.layer]
    if args.all_layers:
        layers = [*dict.fromkeys([*(entry.path for entry in spec.layers), OUTPUT, args.layer])]
    k = max(DEFAULT_K, args.top)
    skipped = []

    def on_error(i: int, exc: Exception) -> None:
        skipped.append(i)
        emit({"image": collection.path(i), "error": str(exc)})

    progress = _Progress(f"{spec.name} {'shard ' + args.shard if args.shard else 'index'}")
    out = Path(args.out)
    try:
        if shard[1] > 1:
            built = build_indexes(model, spec, collection, layers, k=k, fingerprint=model_fingerprint(model),
                                  shard=shard, batch_size=args.batch_size, progress=progress, on_error=on_error)
            for layer, index in built.items():
                path = out / shard_name(layer, shard)
                index.save(path)
                emit({"shard": args.shard, "layer": layer, "index": str(path) + ".npz",
                      "images": len(collection.shard(*shard)), "samples": index.meta["samples"],
                      "skipped": len(skipped)})
            return 0
        indexes = unit_indexes(model, spec, collection, layers, k=k, batch_size=args.batch_size,
                               progress=progress, use_cache=not args.no_cache, on_error=on_error)
    except (ReceptiveFieldError, ValueError) as exc:
        return _fail(f"cannot index {args.layer}: {exc}")
    index = indexes[args.layer]
    if not 0 <= args.unit < index.units:
        return _fail(f"--unit {args.unit} is out of range: {args.layer} has units 0..{index.units - 1}")
    records = export_patches(index, args.unit, args.top, lambda hit: collection.load(hit.image), out)
    emit({"model": spec.name, "layer": args.layer, "unit": args.unit, "patches": str(out / MANIFEST),
          "count": len(records), "images": len(collection), "samples": index.meta["samples"],
          "skipped": len(skipped)})
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from udl_viz.cli.jsonl import emit
    from udl_viz.units.cache import slug, store
    from udl_viz.units.collections import folder_image
    from udl_viz.units.export import MANIFEST, export_patches
    from udl_viz.units.index import UnitIndex, merge

    out = Path(args.out)
    stems = []
    for place in [Path(p) for p in args.shards] or [out]:
        if place.is_dir():
            stems += sorted(p.with_name(p.name.removesuffix(".json")) for p in place.glob("index-*-shard-*-of-*.json"))
        else:
            stems.append(place.with_name(place.name.removesuffix(".npz").removesuffix(".json")))
    if not stems:
        return _fail(f"no shard indexes (index-*-shard-*-of-*.json) found in {', '.join(args.shards) or str(out)}")
    by_layer: dict[str, list[UnitIndex]] = {}
    try:
        for stem in stems:
            index = UnitIndex.load(stem)
            by_layer.setdefault(index.layer, []).append(index)
        merged = {layer: merge(parts) for layer, parts in by_layer.items()}
    except (OSError, ValueError, KeyError) as exc:
        return _fail(f"cannot merge: {exc}")
    for layer, index in merged.items():
        path = out / f"index-{slug(layer)}"
        index.save(path)
        store(index)
        emit({"merged": layer, "shards": len(by_layer[layer]), "samples": index.meta["samples"],
              "index": str(path) + ".npz"})
    if args.unit is None:
        return 0
    layer = args.layer or (next(iter(merged)) if len(merged) == 1 else None)
    if layer not in merged:
        return _fail(f"say which layer's patches to write with --layer: {', '.join(merged)}")
    index = merged[layer]
    if not 0 <= args.unit < index.units:
        return _fail(f"--unit {args.unit} is out of range: {layer} has units 0..{index.units - 1}")
    root = index.meta["collection"]["root"]
    records = export_patches(index, args.unit, args.top, lambda hit: folder_image(root, hit.name), out)
    emit({"model": index.meta["model"], "layer": layer, "unit": args.unit, "patches": str(out / MANIFEST),
          "count": len(records), "images": index.meta["collection"]["images"], "samples": index.meta["samples"]})
    return 0
