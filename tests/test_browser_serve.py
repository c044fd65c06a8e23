"""A class server of 2 processes in a real browser: a session whose process dies moves to the other
one and says so; the watchdog starts a killed process again and nginx sends it sessions once warm."""

from __future__ import annotations

import threading
import time

import pytest

from tests.browser import exceptions, wait_until_rendered
from tests.test_browser_load import result_of
from udl_viz.serving.nginx import find_nginx
from udl_viz.serving.server import HEALTH, ClassServer, free_port, http_ok
from udl_viz.ui.replica import MOVED_MESSAGE, SERVED_BY_COOKIE

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
LINK = "Layer_Activations"  # the default model and sample: what every process warms up
#: Every value the page's connection state takes from now on (streamlit's data-test-connection-state).
RECORD_CONNECTION = """() => { const app = document.querySelector("[data-testid='stApp']");
  window.udlVizConnection = [app.getAttribute('data-test-connection-state')];
  new MutationObserver(() => window.udlVizConnection.push(app.getAttribute('data-test-connection-state')))
    .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']}); }"""
#: What the class server said (its ``say``): the watchdog's notes.
MESSAGES: list[str] = []
RECONNECTED = """() => { const seen = window.udlVizConnection;
  return seen.some(state => state !== 'CONNECTED') && seen[seen.length - 1] === 'CONNECTED'; }"""


@pytest.fixture(scope="module")
def class_server():
    """``serve``'s class server: 2 warmed-up processes, nginx in front, the watchdog running."""
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    server = ClassServer(2, free_port(), nginx=nginx, ready_timeout=180, say=MESSAGES.append)
    server.start()
    watchdog = threading.Thread(target=server.watch, args=(0.5,), daemon=True)
    watchdog.start()
    try:
        yield server
    finally:
        server.stop()
        watchdog.join(timeout=30)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        time.sleep(0.2)


def websocket_processes(server: ClassServer, route: str) -> list[str]:
    """The process behind each WebSocket of a browser (by its route cookie), from nginx's access log.
    nginx logs a WebSocket when it closes."""
    found = []
    for line in server.access_log.read_text().splitlines():
        if '"GET /_stcore/stream' in line and f"route={route}" in line:
            found.append(line.split("upstream=", 1)[1].split(" route=")[0].split(",")[-1].strip())
    return found


def test_a_session_whose_process_dies_moves_to_the_other_and_says_so(browser, class_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{class_server.url}/{LINK}")
    wait_until_rendered(page)
    before = result_of(page)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    victim = next(r for r in class_server.members if r.address == cookies[SERVED_BY_COOKIE])
    addresses = [victim.address, next(r.address for r in class_server.members if r is not victim)]
    assert page.get_by_text(MOVED_MESSAGE[:40]).count() == 0  # not on the process it was served by

    page.evaluate(RECORD_CONNECTION)
    victim.proc.kill()
    page.wait_for_function(RECONNECTED, timeout=60_000, polling=100)  # through nginx, to the other process
    assert result_of(page, timeout_ms=5000) == before  # an idle page stays as it was: streamlit does not rerun it
    page.keyboard.press("r")  # the student's next action reruns it, now on the other process
    page.wait_for_timeout(500)
    wait_until_rendered(page)
    assert page.get_by_text(MOVED_MESSAGE[:40]).count() == 1
    assert exceptions(page) == []
    assert result_of(page) == before

    context.close()
    time.sleep(0.5)
    wait_for(lambda: len(websocket_processes(class_server, cookies["udl_viz_route"])) == 2, 10,
             "nginx logged both WebSockets of the session")
    assert websocket_processes(class_server, cookies["udl_viz_route"]) == addresses


def test_the_watchdog_starts_a_killed_process_again_and_routes_to_it_once_warm(class_server):
    wait_for(lambda: all(r.state == "serving" for r in class_server.members), 120, "every process serving")
    replica = class_server.members[0]
    pid, restarts, address = replica.proc.pid, replica.restarts, replica.address
    marked_down = []

    replica.proc.kill()
    wait_for(lambda: replica.restarts == restarts + 1, 10, "the watchdog noticed the exit")
    assert replica.address != address  # a new process at a new address: its sessions can tell they moved
    down = f"server {replica.address} max_fails=1 fail_timeout=10s down;"

    def back() -> bool:
        marked_down.append(down in class_server.config.read_text())
        return replica.state == "serving"

    wait_for(back, 120, "the process started again and warmed up")
    assert any(marked_down)  # nginx sent it nothing while it warmed up
    config = class_server.config.read_text()
    assert down not in config and f"server {replica.address} " in config  # and sends it sessions again
    assert address not in config
    assert replica.proc.pid != pid and replica.proc.poll() is None
    assert http_ok(replica.url + HEALTH) and http_ok(class_server.url + HEALTH)
    assert any(f"pid {pid}" in m and "exited with code -9" in m for m in MESSAGES)
    assert any(f"pid {replica.proc.pid}" in m and "has warmed up" in m for m in MESSAGES)
