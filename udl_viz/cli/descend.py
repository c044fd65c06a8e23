"""``descend``: step one torch.optim optimizer on a named loss surface and print its path."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from udl_viz.optim.optimizers import OPTIMIZERS
    from udl_viz.optim.surfaces import ALL

    parser = subparsers.add_parser(
        "descend", help="step a torch.optim optimizer on a loss surface and print the path",
        description="Run one torch.optim optimizer on a 1D curve or 2D surface and print one JSON line "
                    '{"path": [[x, (y,) loss], ...], ...}, starting point first. Divergence (loss inf, '
                    "NaN or above 1e10) stops the path and sets diverged_at. Write negative starts as "
                    "--start=-1.5,2.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="surfaces:\n" + "\n".join(f"  {n:14s} {s.dim}D  {s.title}" for n, s in ALL.items())
               + "\noptimizers (and the torch.optim hyperparameters --set takes):\n"
               + "\n".join(f"  {n:14s} {o.label}: {o.blurb}\n  {'':14s} takes {', '.join(h.name for h in o.hypers)}"
                           for n, o in OPTIMIZERS.items()))
    parser.add_argument("--surface", required=True, choices=list(ALL), metavar="NAME",
                        help=f"one of: {', '.join(ALL)}")
    parser.add_argument("--optimizer", required=True, choices=list(OPTIMIZERS), metavar="NAME",
                        help=f"one of: {', '.join(OPTIMIZERS)}")
    parser.add_argument("--lr", type=float, required=True, help="learning rate")
    parser.add_argument("--steps", type=int, required=True, help="number of optimizer steps")
    parser.add_argument("--start", required=True, metavar="X[,Y]",
                        help="starting point: one number for 1D curves, two (comma-separated) for 2D")
    parser.add_argument("--momentum", type=float, help="momentum (sgd, momentum, nesterov, rmsprop)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="hyper",
                        help="any other torch.optim hyperparameter by its torch name, e.g. --set beta2=0.99 "
                             "or --set weight_decay=0.01 (repeatable)")
    parser.set_defaults(func=run)


def _error(message: str) -> int:
    import sys

    sys.stderr.write(f"descend: error: {message}\n")
    return 2


def run(args: argparse.Namespace) -> int:
    import torch

    from udl_viz.cli.jsonl import emit
    from udl_viz.optim.descent import race
    from udl_viz.optim.optimizers import config
    from udl_viz.optim.surfaces import get

    surface = get(args.surface)
    try:
        start = [float(v) for v in args.start.split(",")]
    except ValueError:
        return _error("--start takes numbers like 1.5 or -1.5,2")
    if any("=" not in item for item in args.hyper):
        return _error("--set takes KEY=VALUE, e.g. --set beta2=0.99")
    hyper: dict[str, object] = dict(item.split("=", 1) for item in args.hyper)
    if len(start) != surface.dim:
        return _error(f"{args.surface} is {surface.dim}D: --start needs {surface.dim} number(s), got {len(start)}")
    if args.steps < 0:
        return _error("--steps must be >= 0")
    if args.momentum is not None:
        hyper["momentum"] = args.momentum
    try:
        cfg = config(args.optimizer, args.lr, **hyper)
        # autograd, so the path is exactly what a plain loss.backward(); optimizer.step() loop gives
        (run_,) = race(surface, [cfg], start, args.steps, autograd=True)
    except (KeyError, ValueError) as exc:
        return _error(str(exc.args[0] if exc.args else exc))
    end = run_.steps + 1 if run_.diverged_at is None else run_.diverged_at
    # Each loss is evaluated on its own point, as a loop calling the loss on one parameter would:
    # torch's vectorised kernels over a whole path can round the last bit differently.
    path = [[*p, float(surface.value(torch.tensor(p, dtype=torch.float64)))]
            for p in run_.positions[:end].tolist()]
    emit({"surface": surface.name, "optimizer": cfg.optimizer, "lr": cfg.lr,
          "hyperparameters": {**cfg.spec.defaults(), **dict(cfg.hyper)}, "steps": args.steps,
          "diverged_at": run_.diverged_at, "path": path})
    return 0
