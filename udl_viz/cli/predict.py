"""``python -m udl_viz predict``: top-k classes for many images, one JSON line per image."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import count

MAX_TOP = 1_000
MAX_BATCH = 256


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict", help="classify images; one JSON line per image",
        description='Print {"image": PATH, "top": [{"index", "label", "prob"}, ...]} per image as soon as it is '
                    'classified, or {"image": PATH, "error": MESSAGE}. Exit code 1 if any image failed. The model '
                    "runs in ONNX Runtime (exported once into $UDL_VIZ_CACHE, default ~/.cache/udl_viz) when that "
                    "gives torch's outputs, else in torch.")
    parser.add_argument("--model", default="efficientnet_lite0", help="registry name (see `models`)")
    parser.add_argument("--top", type=count(1, MAX_TOP), default=5, metavar="K",
                        help=f"how many classes, 1 to {MAX_TOP:,} (default 5)")
    parser.add_argument("--batch-size", type=count(1, MAX_BATCH), default=None,
                        help=f"images per forward pass, 1 to {MAX_BATCH} (default: the fastest per image)")
    parser.add_argument("--engine", choices=("auto", "torch"), default="auto",
                        help="auto: ONNX Runtime when it matches torch, else torch (default auto)")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import torch

    from udl_viz.cli.jsonl import emit
    from udl_viz.cli.loading import registry_model
    from udl_viz.fingerprint import model_fingerprint
    from udl_viz.images import ImageError, load_image
    from udl_viz.inference import top_k
    from udl_viz.runtime import Forward

    spec, model = registry_model(args.model)
    names = spec.class_names()
    forward = Forward(model, spec, fingerprint=model_fingerprint(model) if args.engine == "auto" else "")
    if args.engine == "auto" and forward.engine == "torch":
        print(f"predict: using torch ({forward.reason})", file=sys.stderr)
    batch_size = args.batch_size or forward.batch_size

    def prepare(path: str) -> tuple[str, torch.Tensor | None, str | None]:
        try:
            return path, spec.preprocess(load_image(path)), None
        except ImageError as exc:
            return path, None, str(exc)

    failed = False

    def flush(prepared: list) -> None:
        nonlocal failed
        good = [x for _, x, _ in prepared if x is not None]
        probs = iter(torch.softmax(torch.from_numpy(forward(torch.stack(good))[0]), dim=1) if good else [])
        for path, x, error in prepared:
            if x is None:
                failed = True
                emit({"image": path, "error": error})
            else:
                emit({"image": path, "top": [t.as_dict() for t in top_k(next(probs), names, args.top)]})

    # Decoding and preprocessing run in threads (PIL releases the GIL) while the model runs; a
    # bounded window of pending images keeps memory flat however many paths are given.
    ahead = 2 * batch_size + 4
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque = deque()
        paths = iter(args.images)
        batch: list = []
        while True:
            while len(pending) < ahead and (path := next(paths, None)) is not None:
                pending.append(pool.submit(prepare, path))
            if not pending:
                break
            batch.append(pending.popleft().result())
            if len(batch) == batch_size:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
    return 1 if failed else 0
