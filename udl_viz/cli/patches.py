"""``python -m udl_viz patches``: the image patches that excite one unit most, from a folder of images.

    patches --model NAME --layer LAYER --unit U --images DIR [--top K] --out DIR
    patches ... --shard i/n              index one of n slices (for batch systems)
    patches merge --out DIR [--unit U]   join the shards found in DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from udl_viz.cli.args import SEED, after_parse, count, input_dir, output_dir, shard

MAX_UNIT = 100_000
MAX_TOP = 100  # each unit keeps max(16, --top) hits per layer in the index
MAX_CROPS = 32
MAX_BATCH = 256


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
    parser.add_argument("--unit", type=count(0, MAX_UNIT), metavar="U",
                        help="channel of the layer (class index for 'output')")
    parser.add_argument("--images", type=input_dir, metavar="DIR", help="folder of images (searched recursively)")
    parser.add_argument("--top", type=count(1, MAX_TOP), default=9, metavar="K",
                        help=f"patches to write, 1 to {MAX_TOP} (default 9)")
    parser.add_argument("--out", type=output_dir, metavar="DIR",
                        help="where the PNGs, patches.json and shard indexes go")
    parser.add_argument("--shard", type=shard, metavar="i/n",
                        help="index only slice i of n (0-based); join with `merge`")
    parser.add_argument("--crops", type=count(0, MAX_CROPS), default=0, metavar="N",
                        help=f"random crops per image besides the model's centre view, 0 to {MAX_CROPS} (default 0)")
    parser.add_argument("--seed", type=SEED, default=0, help="seed of the random crops (default 0)")
    parser.add_argument("--all-layers", action="store_true",
                        help="index every layer of the model in the same pass (for the dashboard)")
    parser.add_argument("--batch-size", type=count(1, MAX_BATCH), default=None,
                        help=f"crops per forward pass, 1 to {MAX_BATCH} (default: the fastest size)")
    parser.add_argument("--no-cache", action="store_true", help="rebuild the index even if it is cached")
    parser.set_defaults(func=run)
    after_parse(parser, check)
    steps = parser.add_subparsers(dest="step", metavar="STEP", prog="python -m udl_viz patches")
    merge = steps.add_parser(
        "merge", help="join shard indexes into the full index",
        description="Join the shard indexes written by `patches --shard i/n` (all n of them), store the "
                    "full index in the cache and in DIR, and with --unit write that unit's patches.")
    merge.add_argument("--out", required=True, type=output_dir, metavar="DIR",
                       help="where the merged index (and patches) go")
    merge.add_argument("--unit", type=count(0, MAX_UNIT), metavar="U", help="also write this unit's patches")
    merge.add_argument("--layer", help="which layer's patches to write when the shards hold several")
    merge.add_argument("--top", type=count(1, MAX_TOP), default=9, metavar="K",
                       help=f"patches to write, 1 to {MAX_TOP} (default 9)")
    merge.add_argument("shards", nargs="*", metavar="SHARD",
                       help="shard index files or folders holding them (default: --out)")
    merge.set_defaults(func=run_merge, _check=None)


def check(args: argparse.Namespace) -> None:
    """Every flag a full run or a shard needs is given."""
    required = [("--model", args.model), ("--layer", args.layer), ("--images", args.images), ("--out", args.out)]
    if args.shard is None:
        required.append(("--unit", args.unit))
    missing = [flag for flag, value in required if value is None]
    if missing:
        raise ValueError(f"the following arguments are required: {', '.join(missing)}")


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


def shard_name(layer: str, shard: tuple[int, int]) -> str:
    """File stem of a shard index in the output folder."""
    from udl_viz.units.cache import slug

    return f"index-{slug(layer)}-shard-{shard[0]}-of-{shard[1]}"


def layer_units(model, spec, layer: str) -> int:
    """How many units (channels, or classes for ``output``) ``layer`` has: one probe forward pass."""
    import torch

    from udl_viz.units.receptive import OUTPUT

    if layer == OUTPUT:
        return len(spec.class_names())
    shapes = []
    handle = model.get_submodule(layer).register_forward_hook(lambda m, i, o: shapes.append(o.shape))
    try:
        with torch.inference_mode():
            model(torch.zeros(1, spec.channels, spec.input_size, spec.input_size))
    finally:
        handle.remove()
    return int(shapes[0][1])


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
    from udl_viz.cli.loading import registry_model
    from udl_viz.fingerprint import model_fingerprint
    from udl_viz.units.cache import unit_indexes
    from udl_viz.units.collections import folder_collection
    from udl_viz.units.export import MANIFEST, export_patches
    from udl_viz.units.index import DEFAULT_K, build_indexes
    from udl_viz.units.receptive import OUTPUT, ReceptiveFieldError

    shard = args.shard or (0, 1)
    spec, model = registry_model(args.model)
    model.requires_grad_(False)
    if args.layer != OUTPUT:
        try:
            model.get_submodule(args.layer)
        except AttributeError:
            raise Refused(f"argument --layer: {spec.name} has no layer {args.layer!r}; try one of "
                          f"{', '.join(entry.path for entry in spec.layers)} or {OUTPUT}") from None
    if args.unit is not None:
        units = layer_units(model, spec, args.layer)
        if args.unit >= units:
            raise Refused(f"argument --unit: {args.unit} is out of range: {args.layer} has units 0..{units - 1}")
    try:
        collection = folder_collection(args.images, crops=args.crops, seed=args.seed)
    except ValueError as exc:
        raise Refused(f"argument --images: {exc}") from None
    layers = [args.layer]
    if args.all_layers:
        layers = [*dict.fromkeys([*(entry.path for entry in spec.layers), OUTPUT, args.layer])]
    k = max(DEFAULT_K, args.top)
    skipped = []

    def on_error(i: int, exc: Exception) -> None:
        skipped.append(i)
        emit({"image": collection.path(i), "error": str(exc)})

    shard_text = f"{shard[0]}/{shard[1]}"
    progress = _Progress(f"{spec.name} {'shard ' + shard_text if args.shard else 'index'}")
    out = Path(args.out)
    try:
        if shard[1] > 1:
            built = build_indexes(model, spec, collection, layers, k=k, fingerprint=model_fingerprint(model),
                                  shard=shard, batch_size=args.batch_size, progress=progress, on_error=on_error,
                                  onnx=True)
            for layer, index in built.items():
                path = out / shard_name(layer, shard)
                index.save(path)
                emit({"shard": shard_text, "layer": layer, "index": str(path) + ".npz",
                      "images": len(collection.shard(*shard)), "samples": index.meta["samples"],
                      "skipped": len(skipped)})
            return 0
        indexes = unit_indexes(model, spec, collection, layers, k=k, batch_size=args.batch_size,
                               progress=progress, use_cache=not args.no_cache, on_error=on_error, onnx=True)
    except (ReceptiveFieldError, ValueError) as exc:
        raise Refused(f"argument --layer: cannot index {args.layer}: {exc}") from None
    index = indexes[args.layer]
    records = export_patches(index, args.unit, args.top, lambda hit: collection.load(hit.image), out)
    emit({"model": spec.name, "layer": args.layer, "unit": args.unit, "patches": str(out / MANIFEST),
          "count": len(records), "images": len(collection), "samples": index.meta["samples"],
          "skipped": len(skipped)})
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from udl_viz.cli.args import Refused
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
        raise Refused("argument --out: no shard indexes (index-*-shard-*-of-*.json) found in "
                      f"{', '.join(args.shards) or str(out)}")
    by_layer: dict[str, list[UnitIndex]] = {}
    try:
        for stem in stems:
            index = UnitIndex.load(stem)
            by_layer.setdefault(index.layer, []).append(index)
        merged = {layer: merge(parts) for layer, parts in by_layer.items()}
    except (OSError, ValueError, KeyError) as exc:
        raise Refused(f"cannot merge: {exc}") from None
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
        raise Refused(f"argument --layer: say which layer's patches to write with --layer: {', '.join(merged)}")
    index = merged[layer]
    if not 0 <= args.unit < index.units:
        raise Refused(f"argument --unit: {args.unit} is out of range: {layer} has units 0..{index.units - 1}")
    root = index.meta["collection"]["root"]
    records = export_patches(index, args.unit, args.top, lambda hit: folder_image(root, hit.name), out)
    emit({"model": index.meta["model"], "layer": layer, "unit": args.unit, "patches": str(out / MANIFEST),
          "count": len(records), "images": index.meta["collection"]["images"], "samples": index.meta["samples"]})
    return 0
