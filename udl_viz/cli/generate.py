"""``generate``: sample digits from the shipped GAN or VAE into a .npy file."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import count, output_file

#: The registry's generators (``select(task=GENERATION)``), named here so --help needs no torch.
MODELS = ("gan", "vae")
MAX_SAMPLES = 100_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate", help="sample 8×8 digits from the digits GAN or VAE into a .npy file",
        description="Sample N digits from a generator and write them as an N×8×8 float32 array on the digits' "
                    'whole-number 0–16 scale; prints {"out", "model", "n", "seconds"}.')
    parser.add_argument("--model", required=True, choices=MODELS, help="the generator: " + ", ".join(MODELS))
    parser.add_argument("--n", required=True, type=count(1, MAX_SAMPLES), metavar="N",
                        help=f"how many digits, 1 to {MAX_SAMPLES:,}")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")
    parser.add_argument("--out", required=True, type=output_file, metavar="FILE.npy", help="the .npy file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time

    import numpy as np

    from udl_viz.cli.jsonl import emit
    from udl_viz.gan.checkpoints import generate
    from udl_viz.models.registry import get_spec
    from udl_viz.models.spec import GENERATION

    reason = get_spec(args.model, task=GENERATION).unavailable_reason()
    if reason is not None:
        emit({"model": args.model, "error": reason})
        return 1
    start = time.perf_counter()
    images = generate(args.model, args.n, args.seed)
    with open(args.out, "wb") as handle:  # exactly the path given, even without a .npy suffix
        np.save(handle, images)
    emit({"out": str(args.out), "model": args.model, "n": args.n, "seconds": round(time.perf_counter() - start, 4)})
    return 0
