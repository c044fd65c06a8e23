"""``python -m udl_viz serve``: several app processes behind nginx, for a whole class."""

from __future__ import annotations

import argparse
import signal
import sys

from udl_viz.cli.args import count, host, number

MAX_REPLICAS = 32


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve a class: several app processes behind nginx",
        description="Start N `streamlit run app.py` processes on loopback ports, each warmed up (default "
                    "model and sample), then nginx on --port in front of them: WebSocket proxying, sticky "
                    "sessions, upload limit from .streamlit/config.toml. Prints one JSON line with the URL "
                    "and the process ids; Ctrl-C or SIGTERM stops everything it started. Needs Debian's "
                    "nginx (apt-get install nginx).")
    parser.add_argument("--replicas", type=count(1, MAX_REPLICAS), default=2,
                        help=f"app processes (1 to {MAX_REPLICAS}; about 0.5 GB of RAM each; default 2)")
    parser.add_argument("--port", type=count(1, 65535), default=8080, help="port nginx listens on (default 8080)")
    parser.add_argument("--host", type=host, default="127.0.0.1",
                        help="address nginx listens on: 127.0.0.1 (default, this computer) or 0.0.0.0 (the network)")
    parser.add_argument("--ready-timeout", type=number(1, 3600), default=300,
                        help="seconds to wait for every process to start and warm up (default 300)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.jsonl import emit
    from udl_viz.serving.nginx import INSTALL_HINT, find_nginx
    from udl_viz.serving.server import ClassServer, port_is_free

    if not port_is_free(args.host, args.port):
        print(f"python -m udl_viz serve: error: argument --port: {args.host}:{args.port} is in use or not allowed",
              file=sys.stderr)
        return 2
    nginx = find_nginx()
    if nginx is None:
        message = f"nginx was not found; {INSTALL_HINT}"
        print(f"python -m udl_viz serve: {message}", file=sys.stderr)
        emit({"error": message})
        return 1

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    server = ClassServer(args.replicas, args.port, args.host, nginx=nginx, ready_timeout=args.ready_timeout)
    try:
        server.start()
        emit(server.describe())
        server.say(f"serving {args.replicas} processes at {server.url}; Ctrl-C stops them")
        server.watch()
    except KeyboardInterrupt:
        server.say("stopping nginx and every app process…")
        return 0
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"python -m udl_viz serve: {exc}", file=sys.stderr)
        emit({"error": str(exc)})
        return 1
    finally:
        server.stop()
    return 0
