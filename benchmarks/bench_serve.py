"""A class through the proxy: browser sessions over 3 processes against the same sessions on 1.

Starts ``python -m udl_viz serve``'s class server (nginx + app processes, loopback only) twice in
one run: 1 process, then 3. Each session is a browser context of its own (its own cookies, like
a student's laptop) opening one of ten demos; all start at once. Reports errors (must be 0),
cross-talk (each session's result must equal the demo's solo result), how sessions spread over the
processes and the median / p95 time to the main result. Then, on 3 processes, kills one while the
sessions load: its sessions must reconnect, finish on another process and say so; the others must
not notice. Both servers share one result cache (filled by a solo pass over the demos first), as
the processes of one class server do. Stops by itself within ``--budget`` seconds.

    python benchmarks/bench_serve.py [--sessions 30] [--budget 1500]
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, exceptions, wait_until_rendered  # noqa: E402
from tests.test_browser_load import LINKS, result_of  # noqa: E402
from udl_viz.serving.nginx import find_nginx  # noqa: E402
from udl_viz.serving.server import ClassServer, free_port  # noqa: E402
from udl_viz.ui.replica import MOVED_MESSAGE, SERVED_BY_COOKIE  # noqa: E402


def served_by(context) -> str | None:
    """The process that served the session's page (nginx's cookie)."""
    return next((c["value"] for c in context.cookies() if c["name"] == SERVED_BY_COOKIE), None)


def last_process(server: ClassServer, context) -> str | None:
    """The process that answered the session's latest request (its route in nginx's access log)."""
    route = next((c["value"] for c in context.cookies() if c["name"] == "udl_viz_route"), None)
    found = None
    for line in server.access_log.read_text().splitlines():
        if route and f"route={route}" in line:
            upstream = line.split("upstream=", 1)[1].split(" route=")[0]
            if upstream != "-":
                found = upstream.split(",")[-1].strip()
    return found


def open_sessions(browser, url: str, links: list[str]) -> list[dict]:
    """Start every session before waiting for any; each in a browser context of its own."""
    sessions = []
    for link in links:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/{link}", wait_until="commit")
        sessions.append({"link": link, "context": context, "page": page, "start": start})
    return sessions


def finish(server: ClassServer, session: dict, solo: dict, deadline: float) -> None:
    """Wait for a session's main result; record time, process, errors and cross-talk."""
    page = session["page"]
    try:
        wait_until_rendered(page, timeout_ms=max(1000, int((deadline - time.monotonic()) * 1000)), settle_ms=300)
        session["result"] = result_of(page)
        session["seconds"] = time.perf_counter() - session["start"]
        session["errors"] = exceptions(page)
    except Exception as exc:  # noqa: BLE001 (a failed session is counted, not fatal)
        session["result"], session["seconds"], session["errors"] = None, None, [f"{type(exc).__name__}: {exc}"]
    reference = solo[session["link"]]
    session["crosstalk"] = None not in (session["result"], reference) and session["result"] != reference
    session["process"] = last_process(server, session["context"])
    session["moved"] = page.get_by_text(MOVED_MESSAGE[:40]).count() > 0
    took = f"failed ({session['errors'][0][:300]})" if session["seconds"] is None else f"{session['seconds']:.1f} s"
    print(f"  {session['link']}: {took} on {session['process']}", flush=True)


def report(label: str, sessions: list[dict]) -> dict:
    times = sorted(s["seconds"] for s in sessions if s["seconds"] is not None)
    errors = sum(bool(s["errors"]) for s in sessions)
    crosstalk = sum(s["crosstalk"] for s in sessions)
    spread = Counter(s["process"] for s in sessions)
    median = statistics.median(times) if times else float("nan")
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else float("nan")
    print(f"{label}: {len(sessions)} sessions, errors {errors}, cross-talk {crosstalk}, "
          f"median {median:.1f} s, p95 {p95:.1f} s, spread {sorted(spread.values(), reverse=True)}")
    for s in sessions:
        if s["errors"]:
            print(f"  error in {s['link']}: {s['errors'][0][:200]}")
    return {"median": median, "p95": p95, "errors": errors, "crosstalk": crosstalk}


def close(sessions: list[dict]) -> None:
    for s in sessions:
        s["context"].close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--demos", type=int, default=len(LINKS), help=f"how many of the {len(LINKS)} demos to use")
    parser.add_argument("--budget", type=float, default=1500, help="seconds for the whole run")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    if find_nginx() is None:
        print("nginx not found: apt-get install nginx")
        return 1
    deadline = time.monotonic() + args.budget
    # Both servers share one result cache, as processes of a class server do: the solo pass fills it,
    # so the timed runs compare serving and rendering, not who computed first.
    os.environ["UDL_VIZ_CACHE"] = tempfile.mkdtemp(prefix="udl_viz_bench_cache_")
    atexit.register(shutil.rmtree, os.environ["UDL_VIZ_CACHE"], True)
    demos = LINKS[: max(1, min(args.demos, len(LINKS)))]
    links = [demos[i % len(demos)] for i in range(args.sessions)]
    results, solo = {}, {}
    with chromium_browser() as browser:
        for replicas in (1, 3):
            server = ClassServer(replicas, free_port(), ready_timeout=max(60.0, deadline - time.monotonic()))
            started = time.perf_counter()
            server.start()
            print(f"{replicas} process(es) + nginx ready (warmed up) in {time.perf_counter() - started:.0f} s",
                  flush=True)
            try:
                if not solo:
                    for link in demos:  # each demo alone, one after the other: the reference results
                        (s,) = open_sessions(browser, server.url, [link])
                        finish(server, s, {link: None}, deadline)
                        solo[link] = s["result"]
                        close([s])
                    print(f"solo results of the {len(demos)} demos taken")
                sessions = open_sessions(browser, server.url, links)
                for s in sessions:
                    finish(server, s, solo, deadline)
                close(sessions)
                results[replicas] = report(f"{replicas} process(es)", sessions)

                if replicas == 3:  # kill one process while every session is loading
                    sessions = open_sessions(browser, server.url, links)
                    time.sleep(1.0)
                    counts = Counter(served_by(s["context"]) for s in sessions)
                    victim_address = counts.most_common(1)[0][0]
                    victim = next(r for r in server.members if r.address == victim_address)
                    victim.proc.kill()
                    print(f"killed process {victim.index} ({victim_address}, {counts[victim_address]} sessions)")
                    for s in sessions:
                        s["first_process"] = served_by(s["context"])
                        finish(server, s, solo, deadline)
                    moved = [s for s in sessions if s["first_process"] == victim_address]
                    others = [s for s in sessions if s["first_process"] != victim_address]
                    report("after the kill, all sessions", sessions)
                    print(f"  sessions of the killed process: {len(moved)}, finished elsewhere: "
                          f"{sum(s['result'] is not None and s['process'] != victim_address for s in moved)}, "
                          f"showed the 'moved' message: {sum(s['moved'] for s in moved)}; "
                          f"other sessions that noticed (message or error): "
                          f"{sum(s['moved'] or bool(s['errors']) for s in others)} of {len(others)}")
                    close(sessions)
            finally:
                server.stop()
    one, three = results.get(1), results.get(3)
    if one and three:
        print(f"3 processes vs 1: median {one['median'] / three['median']:.2f}x faster, "
              f"p95 {one['p95'] / three['p95']:.2f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
