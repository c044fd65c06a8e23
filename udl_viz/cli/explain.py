"""``python -m udl_viz explain``: saliency maps for many images, one JSON line per image."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import count, output_dir, output_stems, setting
from udl_viz.cli.catalog import METHODS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain", help="saliency maps for images; one JSON line per image",
        description="For each image write DIR/<stem>.<method>.npy (an H×W float32 map aligned with the model's "
                    "input crop) and DIR/<stem>.input.png (that crop as the model saw it), and print "
                    '{"image", "method", "target", "label", "seconds", "forward_passes", ...} or '
                    '{"image", "error"}. Images whose names collide (a/x.jpg, b/x.jpg) get <stem>-2, <stem>-3, '
                    '...; "map" and "input" name the files written. Exit code 1 if any image failed, 2 for bad '
                    "arguments.")
    parser.add_argument("--model", default="efficientnet_lite0", help="registry name (see `models`)")
    parser.add_argument("--method", required=True, choices=list(METHODS))
    parser.add_argument("--target", type=count(0, 1_000_000), default=None, metavar="INDEX",
                        help="class index to explain (default: each image's top prediction)")
    parser.add_argument("--set", dest="settings", action="append", type=setting, default=[], metavar="NAME=VALUE",
                        help="a method setting, e.g. --set steps=32 --set baseline=blurred (repeatable)")
    parser.add_argument("--out-dir", required=True, type=output_dir, metavar="DIR")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    from udl_viz.attribution import get_method
    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
    from udl_viz.cli.loading import registry_model, registry_spec
    from udl_viz.images import ImageError, load_image

    spec = registry_spec(args.model)
    method = get_method(args.method)
    try:
        settings = method.resolve(spec, dict(args.settings))
    except ValueError as exc:
        raise Refused(f"argument --set: {exc}") from None
    names = spec.class_names()
    if args.target is not None and not 0 <= args.target < len(names):
        raise Refused(f"argument --target: {args.target} is out of range: {spec.name} has {len(names)} "
                      f"classes (0–{len(names) - 1})")
    spec, model = registry_model(args.model)
    model.requires_grad_(False)
    out_dir = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)

    failed = False
    for path, stem in zip(args.images, output_stems(args.images), strict=True):
        try:
            image = load_image(path)
        except ImageError as exc:
            failed = True
            emit({"image": path, "error": str(exc)})
            continue
        x = spec.preprocess(image).unsqueeze(0)
        if args.target is None:
            with torch.inference_mode():
                target = int(model(x).argmax(1))
        else:
            target = args.target
        try:
            result = method.attribute(model, x, target, spec=spec, **settings)
            map_path = out_dir / f"{stem}.{method.name}.npy"
            input_path = out_dir / f"{stem}.input.png"
            np.save(map_path, result.map)
            spec.preprocess.view(image).save(input_path)
        except (ValueError, OSError) as exc:
            failed = True
            emit({"image": path, "error": str(exc)})
            continue
        emit({"image": path, "method": method.name, "target": target, "label": names[target],
              "seconds": round(result.seconds, 4), "forward_passes": result.forward_passes,
              "backward_passes": result.backward_passes, "settings": result.settings,
              "map": str(map_path), "input": str(input_path), **_json_extras(result.extras)})
    return 1 if failed else 0


def _json_extras(extras: dict) -> dict:
    """Extras that are plain JSON values (e.g. IG's convergence delta)."""
    return {k: v for k, v in extras.items() if isinstance(v, int | float | str | bool)}
