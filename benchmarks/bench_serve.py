"""A class through the proxy: browser sessions over 3 processes against the same sessions on 1.

Starts ``python -m udl_viz serve``'s class server (nginx + app processes + the watchdog, loopback
only) twice in one run: 1 process, then 3. Each session is a browser context of its own (its own
cookies, like a student's laptop) opening one of the demos of ``tests/test_browser_load.py``; all
start at once. Reports errors (must be 0), cross-talk (each session's result must equal the demo's
solo result), how sessions spread over the processes and the median / p95 time to the main result
(from opening the page until, in the page's own clock, its title and a chart are drawn and its
script is idle). Then, on 3 processes, opens the sessions again and kills the process with the most
of them halfway through (half the median time above, or ``--kill-after``): its sessions must
reconnect, finish on another process with their own result and show the "moved" message (one that
had already finished is rerun with the "r" key, as a student's next click would: streamlit does not
rerun an idle session when it reconnects); the others must not notice (no reconnect, no message, no
error, their own result); the watchdog must start the killed one again. Prints PASS or FAIL.
Both servers share one result cache (filled by a solo pass over the demos first), as the processes
of one class server do, so the timed runs compare serving and rendering. Which process a session
ended on is read from nginx's access log (its WebSocket, by the session's route cookie).
Every wait ends by ``--budget`` seconds (plus the servers' shutdown).

    python benchmarks/bench_serve.py [--sessions 30] [--demos 10] [--budget 1500]
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
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, exceptions  # noqa: E402
from tests.test_browser_load import LINKS, result_of  # noqa: E402
from udl_viz.serving.nginx import find_nginx  # noqa: E402
from udl_viz.serving.server import ClassServer, free_port  # noqa: E402
from udl_viz.ui.replica import MOVED_MESSAGE, SERVED_BY_COOKIE  # noqa: E402

ROUTE_COOKIE = "udl_viz_route"
BEGAN = time.monotonic()
#: Installed in every session's page before streamlit starts: records, with the page's own clock
#: (epoch ms, like Python's time.time()), each change of streamlit's script and connection state,
#: and when the page last became done (script idle, connected, title and a chart drawn). Timing in
#: the page: asking a busy page from here waits until it is idle, seconds late under load.
RECORDER = """(() => {
  if (window.top !== window) return;
  window.udlVizLog = [];
  window.udlVizDoneAt = null;
  const watch = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) { setTimeout(watch, 20); return; }
    const record = () => {
      const script = app.getAttribute('data-test-script-state');
      const connection = app.getAttribute('data-test-connection-state');
      const last = window.udlVizLog[window.udlVizLog.length - 1];
      if (!last || last[1] !== script || last[2] !== connection) {
        window.udlVizLog.push([Date.now(), script, connection]);
      }
      const done = script === 'notRunning' && connection === 'CONNECTED' && document.querySelector('h1') !== null
        && document.querySelector("[data-testid='stPlotlyChart'] .main-svg") !== null;
      if (!done) window.udlVizDoneAt = null;
      else if (window.udlVizDoneAt === null) window.udlVizDoneAt = Date.now();
    };
    record();
    new MutationObserver(record).observe(document.body, {attributes: true, childList: true, subtree: true});
  };
  document.addEventListener('DOMContentLoaded', watch);
})();"""
#: [done since (epoch ms) or null, the page's now (epoch ms)].
DONE_SINCE = "() => [window.udlVizDoneAt ?? null, Date.now()]"
STATE = """() => { const app = document.querySelector("[data-testid='stApp']");
  return `script ${app?.getAttribute('data-test-script-state')}, connection `
    + `${app?.getAttribute('data-test-connection-state')}, `
    + `${document.querySelectorAll("[data-testid='stPlotlyChart'] .main-svg").length} chart layers drawn`; }"""
#: A session must stay done this long (a rerun may follow a first idle moment).
SETTLE_MS = 750


def clock() -> str:
    """Seconds since the run began, to line up the kill with the watchdog's messages."""
    return f"[{time.monotonic() - BEGAN:6.1f} s]"


def cookie(context, name: str) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == name), None)


def streams(server: ClassServer) -> dict[str, list[str]]:
    """Per route cookie, the process of each of its WebSockets, in the order they closed (nginx logs
    a WebSocket when it closes: close the sessions first)."""
    found: dict[str, list[str]] = {}
    for line in server.access_log.read_text().splitlines():
        if '"GET /_stcore/stream' not in line or " 101 " not in line:
            continue
        upstream, route = line.split("upstream=", 1)[1].split(" route=")
        found.setdefault(route.strip(), []).append(upstream.split(",")[-1].strip())
    return found


def open_sessions(browser, url: str, links: list[str]) -> list[dict]:
    """Start every session before waiting for any; each in a browser context of its own."""
    sessions = []
    for link in links:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(RECORDER)
        page = context.new_page()
        start_ms = time.time() * 1000
        page.goto(f"{url}/{link}", wait_until="commit")
        sessions.append({"link": link, "context": context, "page": page, "start_ms": start_ms,
                         "first_process": cookie(context, SERVED_BY_COOKIE), "route": cookie(context, ROUTE_COOKIE)})
    return sessions


def state_at(session: dict, epoch_ms: float) -> tuple[str | None, str | None]:
    """(script state, connection state) the session's page had at ``epoch_ms``."""
    states = [(script, connection) for t, script, connection in session["page"].evaluate("() => window.udlVizLog")
              if t <= epoch_ms]
    return states[-1] if states else (None, None)


def await_all(sessions: list[dict], deadline: float) -> None:
    """Wait until every session is done, or the deadline; its time is when its page became done
    (for good), from its start."""
    pending = list(sessions)
    while pending and time.monotonic() < deadline:
        for s in list(pending):
            try:
                done_since, now = s["page"].evaluate(DONE_SINCE)
            except Exception:  # noqa: BLE001 (a page that cannot answer is not done yet)
                continue
            if done_since is not None and now - done_since >= SETTLE_MS:
                s["seconds"] = (done_since - s["start_ms"]) / 1000
                pending.remove(s)
        time.sleep(0.1)
    for s in sessions:
        page = s["page"]
        s.setdefault("seconds", None)
        s["moved"] = page.get_by_text(MOVED_MESSAGE[:40]).count() > 0
        try:
            s["errors"] = exceptions(page)
            s["result"] = result_of(page, timeout_ms=5000) if s["seconds"] is not None else None
        except Exception as exc:  # noqa: BLE001 (a failed session is counted, not fatal)
            s["errors"], s["result"] = [f"{type(exc).__name__}: {exc}"], None
        if s["seconds"] is None:
            s["errors"].insert(0, f"not done by the deadline ({page.evaluate(STATE)})")


def close(server: ClassServer, sessions: list[dict], solo: dict) -> None:
    """Close the sessions; then read which process each one ended on, and how often it reconnected."""
    for s in sessions:
        s["context"].close()
    time.sleep(0.5)  # nginx logs each WebSocket as it closes
    by_route = streams(server)
    for s in sessions:
        ws = by_route.get(s["route"], [])
        s["process"] = ws[-1] if ws else None
        s["reconnects"] = max(0, len(ws) - 1)
        reference = solo.get(s["link"])
        s["crosstalk"] = None not in (s["result"], reference) and s["result"] != reference


def report(label: str, sessions: list[dict]) -> dict:
    times = sorted(s["seconds"] for s in sessions if s["seconds"] is not None)
    errors = sum(bool(s["errors"]) for s in sessions)
    crosstalk = sum(s["crosstalk"] for s in sessions)
    spread = Counter(s["process"] for s in sessions)
    median = statistics.median(times) if times else float("nan")
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else float("nan")
    print(f"{label}: {len(sessions)} sessions, errors {errors}, cross-talk {crosstalk}, "
          f"median {median:.1f} s, p95 {p95:.1f} s, sessions per process "
          f"{dict(sorted(spread.items(), key=lambda kv: str(kv[0])))}", flush=True)
    for s in sessions:
        if s["errors"]:
            print(f"  error in {s['link']}: {s['errors'][0][:300]}")
        elif s["crosstalk"]:
            print(f"  cross-talk in {s['link']}: {s['result']}")
    return {"median": median, "p95": p95, "errors": errors, "crosstalk": crosstalk}


def take_solo(browser, server: ClassServer, demos: list[str], deadline: float) -> dict:
    """Each demo alone, one after the other: the reference results (and the shared cache filled)."""
    solo = {}
    for link in demos:
        sessions = open_sessions(browser, server.url, [link])
        await_all(sessions, deadline)
        solo[link] = sessions[0]["result"]
        took = sessions[0]["seconds"]
        print(f"  solo {link}: {'failed' if took is None else f'{took:.1f} s'}", flush=True)
        close(server, sessions, {})
    return solo


def kill_one(browser, server: ClassServer, links: list[str], solo: dict, deadline: float, kill_after: float) -> bool:
    """Kill the process with the most sessions ``kill_after`` seconds after the sessions start opening;
    report who moved, and the restart.

    Its sessions are those connected to it (WebSocket open) at the kill, as their pages recorded. A
    browser it served a page to that had not connected yet had no session anywhere: it only has to
    finish, wherever nginx sends it (the restarted process at the same address included)."""
    opened = time.monotonic()
    sessions = open_sessions(browser, server.url, links)
    counts = Counter(s["first_process"] for s in sessions)
    address = counts.most_common(1)[0][0]
    victim = next(r for r in server.members if r.address == address)
    served = [s for s in sessions if s["first_process"] == address]
    time.sleep(max(0.0, opened + kill_after - time.monotonic()))
    killed_ms, killed_clock, after, pid = time.time() * 1000, clock(), time.monotonic() - opened, victim.proc.pid
    victim.proc.kill()
    at_kill = {id(s): state_at(s, killed_ms) for s in served}
    connected = [s for s in served if at_kill[id(s)][1] == "CONNECTED"]
    finished = [s for s in connected if at_kill[id(s)][0] == "notRunning"]
    unconnected = [s for s in served if s not in connected]
    print(f"{killed_clock} killed process {victim.index} ({address}, pid {pid}) "
          f"{after:.1f} s after the sessions started opening; it had served the page of "
          f"{len(served)} of {len(sessions)}: {len(connected) - len(finished)} connected and running, "
          f"{len(finished)} connected and finished, {len(unconnected)} not connected yet", flush=True)
    reconnected = """() => window.udlVizLog.slice(-1)[0][2] === 'CONNECTED'
      && window.udlVizLog.some(([t, script, connection]) => connection !== 'CONNECTED' && t >= %d)"""
    # streamlit reconnects an idle session without a rerun: rerun it, as a student's next click would.
    for s in finished:
        s["page"].wait_for_function(reconnected % killed_ms,
                                    timeout=max(1000, int((deadline - time.monotonic()) * 1000)))
        s["page"].keyboard.press("r")
    await_all(sessions, deadline)
    for s in served:
        s["history"] = s["page"].evaluate("() => window.udlVizLog")
    close(server, sessions, solo)
    report("with one process killed, all sessions", sessions)

    def ok(s: dict) -> bool:
        return s["result"] is not None and not s["errors"] and not s["crosstalk"]

    moved, others = connected, [s for s in sessions if s["first_process"] != address]
    finished_elsewhere = [s for s in moved if ok(s) and s["process"] not in (None, address)]
    told = [s for s in moved if s["moved"]]
    noticed = [s for s in others if s["moved"] or s["reconnects"] or not ok(s)]
    print(f"  sessions on the killed process: {len(moved)}; finished on another process with their own result: "
          f"{len(finished_elsewhere)}, showed the 'moved' message: {len(told)}")
    for s in moved:
        if s not in finished_elsewhere or s not in told:
            history = [(round((t - killed_ms) / 1000, 1), script, connection)
                       for t, script, connection in s["history"] if t >= killed_ms]
            print(f"    {s['link']}: at the kill {at_kill[id(s)]}, ended on {s['process']}, "
                  f"message {s['moved']}, errors {s['errors'][:1]}; since the kill (s, script, connection): {history}")
    print(f"  browsers it had served a page to but not connected yet: {len(unconnected)}; finished with their own "
          f"result: {sum(ok(s) for s in unconnected)}, on {dict(Counter(s['process'] for s in unconnected))}")
    print(f"  other sessions that noticed (reconnect, message, error or wrong result): {len(noticed)} of {len(others)}")
    while victim.state != "serving" and time.monotonic() < deadline:
        time.sleep(0.5)
    back = victim.state == "serving" and victim.restarts == 1
    print(f"  the watchdog started it again, and nginx sends it sessions once warmed up: {'yes' if back else 'no'} "
          "(times in the [serve] lines)")
    return (len(finished_elsewhere) == len(told) == len(moved) > 0 and all(ok(s) for s in unconnected)
            and not noticed and back)


def serving(replicas: int, deadline: float) -> ClassServer:
    """A class server as ``serve`` runs it: processes warmed up, nginx in front, the watchdog on."""
    server = ClassServer(replicas, free_port(), nginx=find_nginx(), say=lambda text: print(f"{clock()} [serve] {text}"),
                         ready_timeout=max(30.0, deadline - time.monotonic()))
    started = time.perf_counter()
    server.start()
    threading.Thread(target=server.watch, args=(1.0,), daemon=True).start()  # ends with server.stop()
    print(f"{replicas} process(es) + nginx ready (warmed up) in {time.perf_counter() - started:.0f} s", flush=True)
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--demos", type=int, default=len(LINKS), help=f"how many of the {len(LINKS)} demos to use")
    parser.add_argument("--budget", type=float, default=1500, help="seconds for the whole run")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="seconds from opening the sessions to the kill (default: half the median time to the "
                             "main result on 3 processes, so sessions are mid-run)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    if find_nginx() is None:
        print("nginx not found: apt-get install nginx")
        return 1
    began = BEGAN
    end = began + args.budget
    # Both servers share one result cache, as processes of a class server do: the solo pass fills it.
    os.environ["UDL_VIZ_CACHE"] = tempfile.mkdtemp(prefix="udl_viz_bench_cache_")
    atexit.register(shutil.rmtree, os.environ["UDL_VIZ_CACHE"], True)
    demos = LINKS[: max(1, min(args.demos, len(LINKS)))]
    links = [demos[i % len(demos)] for i in range(args.sessions)]
    results, kill_ok = {}, False
    with chromium_browser() as browser:
        # Three phases share the budget: 1 process (with the solo pass), 3 processes, the kill.
        server = serving(1, began + args.budget * 0.45)
        try:
            solo = take_solo(browser, server, demos, began + args.budget * 0.25)
            sessions = open_sessions(browser, server.url, links)
            await_all(sessions, began + args.budget * 0.45)
            close(server, sessions, solo)
            results[1] = report("1 process", sessions)
        finally:
            server.stop()
        server = serving(3, began + args.budget * 0.75)
        try:
            sessions = open_sessions(browser, server.url, links)
            await_all(sessions, began + args.budget * 0.75)
            close(server, sessions, solo)
            results[3] = report("3 processes", sessions)
            kill_after = args.kill_after if args.kill_after is not None else results[3]["median"] / 2
            kill_ok = kill_one(browser, server, links, solo, end, kill_after if kill_after == kill_after else 5.0)
        finally:
            server.stop()
    one, three = results[1], results[3]
    print(f"3 processes vs 1: median {one['median'] / three['median']:.2f}x faster, "
          f"p95 {one['p95'] / three['p95']:.2f}x faster")
    clean = not (one["errors"] or one["crosstalk"] or three["errors"] or three["crosstalk"])
    print(f"verdict: {'PASS' if clean and kill_ok else 'FAIL'} (errors and cross-talk 0, the kill handled); "
          f"{time.monotonic() - began:.0f} s in all")
    return 0 if clean and kill_ok else 1


if __name__ == "__main__":
    sys.exit(main())
