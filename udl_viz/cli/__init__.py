"""Command-line interface.

Every module in this package that defines ``register(subparsers)`` contributes one
subcommand. ``register`` adds its parser and sets ``func`` to a callable taking the
parsed arguments and returning an exit code. Keep heavy imports inside that callable
so ``--help`` and argument errors come back at once, without importing torch.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every discovered subcommand."""
    from udl_viz.cli.args import Parser

    parser = Parser(prog="python -m udl_viz", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (2 for a bad argument; ``--help`` exits 0)."""
    import sys

    from udl_viz.cli.args import Refused, run_checks
    from udl_viz.cli.jsonl import json_only_stdout

    try:
        args = build_parser().parse_args(argv)
        run_checks(args)
    except SystemExit as done:
        if not done.code:
            raise  # --help: argparse's print-and-exit
        return int(done.code)
    with json_only_stdout():
        try:
            return int(args.func(args) or 0)
        except Refused as exc:
            sys.stderr.write(f"python -m udl_viz {args.command}: error: {exc}\n")
            return 2
        except BrokenPipeError:
            # the reader went away (``… | head``): stop quietly, as Unix tools do
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
