"""``python -m udl_viz attack``: adversarial examples for many images, one JSON line per image."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import count, number, output_dir, output_stems

MAX_EPS = 64  # as udl_viz.adversarial.MAX_EPS, repeated here so that --help imports no torch


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attack", help="adversarial examples (FGSM or PGD) for images; one JSON line per image",
        description="For each image write DIR/<stem>.input.png (the model's input crop) and DIR/<stem>.adv.png "
                    "(the adversarial crop: same size, 8-bit, no pixel more than ε levels away), and print "
                    '{"image", "label", "adv_label", "adv_prob", "linf", "success", "seconds", ...} or '
                    '{"image", "error"}. success is judged on the saved PNG fed to the model as its input crop. '
                    "Exit code 1 if any image failed, 2 for bad arguments.")
    parser.add_argument("--model", default="efficientnet_lite0", help="registry name (see `models`)")
    parser.add_argument("--method", required=True, choices=["fgsm", "pgd"],
                        help="fgsm: one step of ε; pgd: --steps projected steps within ε")
    parser.add_argument("--eps", required=True, type=number(0, MAX_EPS), metavar="E",
                        help=f"largest change per pixel channel, in levels of 0–255 (0 to {MAX_EPS})")
    parser.add_argument("--target", type=count(0, 999), default=None, metavar="INDEX",
                        help="class index to turn each image into (default: untargeted, any other class)")
    parser.add_argument("--steps", type=count(1, 1000), default=10, metavar="N",
                        help="PGD steps (default 10; FGSM always takes one)")
    parser.add_argument("--out-dir", required=True, type=output_dir, metavar="DIR")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    import numpy as np

    from udl_viz.adversarial import attack, fooled
    from udl_viz.adversarial.pixels import load_crop, predict_pixels, save_crop
    from udl_viz.cli.jsonl import emit
    from udl_viz.images import ImageError, load_image
    from udl_viz.models import ModelUnavailable, get_spec, load_model

    try:
        spec = get_spec(args.model)
    except KeyError as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 2
    names = spec.class_names()
    if args.target is not None and args.target >= len(names):
        print(f"argument --target: {args.target} is out of range: {spec.name} has {len(names)} classes "
              f"(0–{len(names) - 1})", file=sys.stderr)
        return 2
    try:
        model = load_model(args.model).requires_grad_(False)
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)

    failed = False
    for path, stem in zip(args.images, output_stems(args.images), strict=True):
        try:
            image = load_image(path)
        except ImageError as exc:
            failed = True
            emit({"image": path, "error": str(exc)})
            continue
        result = attack(model, spec, image, method=args.method, eps=args.eps, target=args.target, steps=args.steps)
        input_path, adv_path = args.out_dir / f"{stem}.input.png", args.out_dir / f"{stem}.adv.png"
        save_crop(result.original, input_path)
        save_crop(result.adversarial, adv_path)
        # Judge what was written: both PNGs read back, the adversarial one shown to the model as its crop.
        saved, crop = load_crop(adv_path, spec.channels), load_crop(input_path, spec.channels)
        probs = predict_pixels(model, spec, saved)[0]
        adv_index = int(probs.argmax())
        emit({"image": path, "label": names[result.label], "adv_label": names[adv_index],
              "adv_prob": round(float(probs[adv_index]), 6),
              "linf": int(np.abs(saved.astype(int) - crop.astype(int)).max(initial=0)),
              "success": fooled(adv_index, result.label, args.target), "seconds": round(result.seconds, 4),
              "index": result.label, "adv_index": adv_index, "target": args.target, "method": args.method,
              "eps": args.eps, "steps": result.steps, "input": str(input_path), "adv": str(adv_path)})
    return 1 if failed else 0
