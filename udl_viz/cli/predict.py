"""``python -m udl_viz predict``: top-k classes for many images, one JSON line per image."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict", help="classify images; one JSON line per image",
        description='Print {"image": PATH, "top": [{"index", "label", "prob"}, ...]} per image, '
                    'or {"image": PATH, "error": MESSAGE}. Exit code 1 if any image failed.')
    parser.add_argument("--model", default="efficientnet_lite0", help="registry name (see `models`)")
    parser.add_argument("--top", type=int, default=5, metavar="K", help="how many classes (default 5)")
    parser.add_argument("--batch-size", type=int, default=32, help="images per forward pass (default 32)")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import torch

    from udl_viz.cli.jsonl import emit
    from udl_viz.images import ImageError, load_image
    from udl_viz.inference import batched, probabilities, top_k
    from udl_viz.models import IMAGE_CLASSIFICATION, ModelUnavailable, get_spec, load_model

    if args.top < 1:
        print("--top must be at least 1", file=sys.stderr)
        return 2
    try:
        spec = get_spec(args.model, task=IMAGE_CLASSIFICATION)
        model = load_model(args.model)
    except (KeyError, ModelUnavailable) as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 2
    names = spec.class_names()

    def prepare(path: str) -> tuple[str, torch.Tensor | None, str | None]:
        try:
            return path, spec.preprocess(load_image(path)), None
        except ImageError as exc:
            return path, None, str(exc)

    failed = False
    # Decoding runs in a thread pool (PIL releases the GIL) while the model runs batch by batch.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for chunk in batched(args.images, max(1, args.batch_size)):
            prepared = list(pool.map(prepare, chunk))
            good = [(p, x) for p, x, _ in prepared if x is not None]
            probs = probabilities(model, torch.stack([x for _, x in good])) if good else None
            by_path = {p: i for i, (p, _) in enumerate(good)}
            for path, x, error in prepared:
                if x is None:
                    failed = True
                    emit({"image": path, "error": error})
                else:
                    top = top_k(probs[by_path[path]], names, args.top)
                    emit({"image": path, "top": [t.as_dict() for t in top]})
    return 1 if failed else 0
