"""Shared fixtures."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("UDL_VIZ_SHARED_DATA", ROOT.parent / "shared" / "data"))

# Tests run offline: never let torch hub or huggingface reach for the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Results cached on disk stay inside this test run; no background warm-up competes with the tests.
if "UDL_VIZ_CACHE" not in os.environ:
    os.environ["UDL_VIZ_CACHE"] = tempfile.mkdtemp(prefix="udl_viz_test_cache_")
    atexit.register(shutil.rmtree, os.environ["UDL_VIZ_CACHE"], True)
os.environ.setdefault("UDL_VIZ_WARMUP", "0")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The course data folder (../shared/data); tests that need it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared course data not found at {SHARED_DATA} (only on the project's machines)")
    return SHARED_DATA


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    """Point the disk caches ($UDL_VIZ_CACHE: results, unit indexes) at a folder of this test's own."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("UDL_VIZ_CACHE", str(cache))
    return cache


@pytest.fixture(scope="session")
def server() -> str:
    """Base URL of one `streamlit run app.py` shared by the browser tests."""
    from tests.browser import require_chromium, streamlit_server

    require_chromium()
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium shared by the browser tests (Playwright's sync API allows one per process)."""
    from tests.browser import chromium_browser, require_chromium

    require_chromium()
    with chromium_browser() as b:
        yield b
