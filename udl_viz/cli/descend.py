"""``descend``: step one torch.optim optimizer on a named loss surface and print its path."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import after_parse, count, number, point, setting
from udl_viz.cli.catalog import OPTIMIZERS, SURFACES

MAX_STEPS = 10_000  # a few seconds of autograd steps; a path of at most a few hundred kB
MAX_LR = 1e6
MAX_START = 1e6


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "descend", help="step a torch.optim optimizer on a loss surface and print the path",
        description="Run one torch.optim optimizer on a 1D curve or 2D surface and print one JSON line "
                    '{"path": [[x, (y,) loss], ...], ...}, starting point first. Divergence (loss inf, '
                    "NaN or above 1e10) stops the path and sets diverged_at. Write negative starts as "
                    "--start=-1.5,2.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="surfaces:\n" + "\n".join(f"  {n:14s} {dim}D  {title}" for n, (dim, title) in SURFACES.items())
               + "\noptimizers (and the torch.optim hyperparameters --set takes):\n"
               + "\n".join(f"  {n:14s} {label}: {blurb}\n  {'':14s} takes {', '.join(hypers)}"
                           for n, (label, blurb, hypers) in OPTIMIZERS.items()))
    parser.add_argument("--surface", required=True, choices=list(SURFACES), metavar="NAME",
                        help=f"one of: {', '.join(SURFACES)}")
    parser.add_argument("--optimizer", required=True, choices=list(OPTIMIZERS), metavar="NAME",
                        help=f"one of: {', '.join(OPTIMIZERS)}")
    parser.add_argument("--lr", type=number(0, MAX_LR), required=True, help=f"learning rate, 0 to {MAX_LR:g}")
    parser.add_argument("--steps", type=count(0, MAX_STEPS), required=True,
                        help=f"number of optimizer steps, 0 to {MAX_STEPS:,}")
    parser.add_argument("--start", type=point(-MAX_START, MAX_START), required=True, metavar="X[,Y]",
                        help="starting point: one number for 1D curves, two (comma-separated) for 2D")
    parser.add_argument("--momentum", type=number(0, 1), help="momentum (sgd, momentum, nesterov, rmsprop)")
    parser.add_argument("--set", action="append", default=[], type=setting, metavar="KEY=VALUE", dest="hyper",
                        help="any other torch.optim hyperparameter by its torch name, e.g. --set beta2=0.99 "
                             "or --set weight_decay=0.01 (repeatable)")
    parser.set_defaults(func=run)
    after_parse(parser, check)


def check(args: argparse.Namespace) -> None:
    """The start fits the surface; every hyperparameter is one the optimizer takes (ranges: the engine)."""
    dim = SURFACES[args.surface][0]
    if len(args.start) != dim:
        raise ValueError(f"argument --start: {args.surface} is {dim}D, so it takes {dim} number(s), "
                         f"got {len(args.start)}")
    hypers = OPTIMIZERS[args.optimizer][2]
    values: dict[str, object] = dict(args.hyper)
    if args.momentum is not None:
        values["momentum"] = args.momentum
    for name in values:
        flag = "--momentum" if name == "momentum" and args.momentum is not None else f"--set {name}"
        if name not in hypers and name != "betas":
            raise ValueError(f"argument {flag}: {args.optimizer} has no hyperparameter {name!r}; "
                             f"it takes {', '.join(hypers) or 'only --lr'}")
    args.hyper = values


def run(args: argparse.Namespace) -> int:
    import torch

    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
    from udl_viz.optim.descent import BLOWUP, race
    from udl_viz.optim.optimizers import TORCH_KNOBS, config
    from udl_viz.optim.surfaces import get

    if args.momentum is not None:  # its own flag, checked by the engine's range before any work
        try:
            TORCH_KNOBS["momentum"].check(args.momentum)
        except ValueError as exc:
            raise Refused(f"argument --momentum: {exc}") from None
    surface = get(args.surface)
    start_loss = float(surface.value(torch.tensor(args.start, dtype=torch.float64)))
    if not abs(start_loss) <= BLOWUP:
        raise Refused(f"argument --start: the loss at {args.start} is {start_loss:.3g}, beyond the "
                      f"divergence limit {BLOWUP:g}; start closer to the valley")
    try:
        cfg = config(args.optimizer, args.lr, **args.hyper)
        # autograd, so the path is exactly what a plain loss.backward(); optimizer.step() loop gives
        (run_,) = race(surface, [cfg], list(args.start), args.steps, autograd=True)
    except (KeyError, ValueError) as exc:
        raise Refused(f"argument --set: {exc.args[0] if exc.args else exc}") from None
    end = run_.steps + 1 if run_.diverged_at is None else run_.diverged_at
    # Each loss is evaluated on its own point, as a loop calling the loss on one parameter would:
    # torch's vectorised kernels over a whole path can round the last bit differently.
    path = [[*p, float(surface.value(torch.tensor(p, dtype=torch.float64)))]
            for p in run_.positions[:end].tolist()]
    emit({"surface": surface.name, "optimizer": cfg.optimizer, "lr": cfg.lr,
          "hyperparameters": {**cfg.spec.defaults(), **dict(cfg.hyper)}, "steps": args.steps,
          "diverged_at": run_.diverged_at, "path": path})
    return 0
