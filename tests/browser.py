"""A streamlit server and headless Chromium (Debian's, driven by Playwright) for browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("UDL_VIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def require_chromium() -> None:
    """Skip (with the reason) where Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(timeout: float = 120.0) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free loopback port; yield its base URL."""
    with streamlit_server_for("app.py", timeout) as url:
        yield url


@contextmanager
def streamlit_server_for(script: str, timeout: float = 120.0) -> Iterator[str]:
    """Run ``streamlit run SCRIPT`` (relative to ``ROOT``) on a free loopback port; yield its URL."""
    port = free_port()
    cache = tempfile.mkdtemp(prefix="udl_viz_cache_")  # disk caches of this server only
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "UDL_VIZ_CACHE": cache}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(cache, ignore_errors=True)


@contextmanager
def chromium_browser() -> Iterator:
    """A headless Chromium browser (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


IDLE = ("() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"
        " === 'notRunning' && document.querySelector('h1') !== null")


def wait_until_rendered(page, timeout_ms: int = 180_000, settle_ms: int = 750) -> None:
    """Wait until streamlit has drawn a title and its script has stayed idle for ``settle_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_function(IDLE, timeout=max(1, int((deadline - time.monotonic()) * 1000)))
        page.wait_for_timeout(settle_ms)
        if page.evaluate(IDLE):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the page kept running")


def page_path(page_file: Path) -> str:
    """The URL path streamlit gives a file in app_pages/ (numeric prefix dropped)."""
    return page_file.stem.split("_", 1)[1]


def open_page(browser, url: str, width: int = 1400, height: int = 1000, timeout_ms: int = 180_000):
    """A new tab (a new streamlit session) at ``url``, once rendered (within ``timeout_ms``)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    wait_until_rendered(page, timeout_ms)
    return page


def exceptions(page) -> list[str]:
    """Texts of any exception boxes streamlit shows on the page."""
    boxes = page.locator("[data-testid='stException']")
    return [boxes.nth(i).inner_text() for i in range(boxes.count())]
