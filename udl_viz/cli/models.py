"""``python -m udl_viz models``: list every registry model with its kind, task and availability."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="list the models and whether each can load here",
                                   description="List every model (CNNs, sentiment RNNs, forecasters, "
                                               "generators) with its kind, task and availability. "
                                               "Nothing is built: availability is checked without loading weights.")
    parser.add_argument("--json", action="store_true", help="print one JSON object per model")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.jsonl import echo, emit
    from udl_viz.models import REGISTRY

    for spec in REGISTRY.values():
        reason = spec.unavailable_reason()
        if args.json:
            emit({"name": spec.name, "title": spec.title, "kind": spec.kind, "task": spec.task,
                  "available": reason is None, "reason": reason, "input_size": spec.input_size,
                  "classes": len(spec.class_names()), "weights": spec.weights_source})
        else:
            status = "available" if reason is None else f"unavailable: {reason}"
            echo(f"{spec.name:20s} {spec.kind:10s} {spec.task:25s} {spec.title:36s} {status}")
    return 0
