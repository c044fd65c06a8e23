"""Warm start: which layer the first page opens on, and the ready file ``serve`` waits for."""

from __future__ import annotations

import json

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


def test_a_failed_warm_up_still_reports_ready_with_the_error(monkeypatch, tmp_path):
    ready = tmp_path / "ready.json"
    monkeypatch.setenv(warmup.READY_FILE_ENV, str(ready))

    def broken() -> dict:
        raise OSError("weights missing")

    monkeypatch.setattr(warmup, "warm", broken)
    warmup._run()
    assert json.loads(ready.read_text()) == {"ready": True, "error": "OSError: weights missing"}


def test_warm_computes_the_first_pages_results_into_the_shared_cache(private_cache):
    record = warmup.warm()
    assert record["model"] == "efficientnet_lite0" and record["sample"]
    assert len(list((private_cache / "results").glob("??/*.npz"))) == 2  # predictions, layer activations
