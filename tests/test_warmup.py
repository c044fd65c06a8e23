"""Warm start: which layer the first page opens on, the ready file ``serve`` waits for, and when it starts."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import streamlit as st

from tests.browser import streamlit_server
from udl_viz.ui import warmup


def test_default_layer_is_the_third_or_the_last():
    assert warmup.default_layer(["a", "b", "c", "d"]) == "c"
    assert warmup.default_layer(["a", "b"]) == "b"


def test_ready_file_reports_the_warm_up(monkeypatch, tmp_path):
    ready = tmp_path / "ready.json"
    monkeypatch.setenv(warmup.READY_FILE_ENV, str(ready))
    monkeypatch.setattr(warmup, "warm", lambda: {"model": "m", "seconds": 1.0})
    warmup._run()
    assert json.loads(ready.read_text()) == {"ready": True, "model": "m", "seconds": 1.0}


def test_the_warm_up_computes_with_one_torch_thread_and_gives_the_rest_back(monkeypatch, tmp_path):
    import torch

    monkeypatch.setenv(warmup.READY_FILE_ENV, str(tmp_path / "ready.json"))
    seen = []
    monkeypatch.setattr(warmup, "warm", lambda: seen.append(torch.get_num_threads()) or {})
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        warmup._run()
        assert seen == [1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_a_failed_warm_up_still_reports_ready_with_the_error(monkeypatch, tmp_path):
    ready = tmp_path / "ready.json"
    monkeypatch.setenv(warmup.READY_FILE_ENV, str(ready))

    def broken() -> dict:
        raise OSError("weights missing")

    monkeypatch.setattr(warmup, "warm", broken)
    warmup._run()
    assert json.loads(ready.read_text()) == {"ready": True, "error": "OSError: weights missing"}


def test_warm_computes_the_first_pages_results_into_the_shared_cache(private_cache):
    st.cache_data.clear()  # results an earlier test left in memory would never reach the disk
    record = warmup.warm()
    assert record["model"] == "efficientnet_lite0" and record["sample"]
    assert len(list((private_cache / "results").glob("??/*.npz"))) == 2  # predictions, layer activations


def test_streamlit_run_app_py_warms_up_before_the_first_visitor(monkeypatch, tmp_path):
    """`streamlit run app.py` (the README's command) starts the warm-up with the server, not with a visit."""
    ready = tmp_path / "ready.json"
    monkeypatch.setenv(warmup.READY_FILE_ENV, str(ready))
    monkeypatch.setenv("UDL_VIZ_WARMUP", "1")
    with streamlit_server() as url:  # returns once /_stcore/health answers; no page is opened
        deadline = time.monotonic() + 120
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        record = json.loads(ready.read_text())
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            assert response.status == 200
    assert record["ready"] is True and "error" not in record, record
    assert record["model"] == "efficientnet_lite0"


def test_the_warm_up_leaves_the_first_page_to_a_visitor_who_opened_it_first(monkeypatch, private_cache):
    ran = []
    monkeypatch.setattr(warmup.runpy, "run_path", lambda path, **kwargs: ran.append(path))
    monkeypatch.setattr(warmup, "_VISITED", threading.Event())
    assert warmup.warm()["page_run"] is True and ran == [str(warmup.FIRST_PAGE)]
    warmup.page_opened("")  # the home page (serve runs home.py once before it takes visitors)
    assert warmup.warm()["page_run"] is True and len(ran) == 2
    warmup.page_opened("Layer_Activations")
    assert warmup.warm()["page_run"] is False and len(ran) == 2
