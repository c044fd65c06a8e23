"""The shared result cache: round trips, several writers, eviction, damaged files, single-flight."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from udl_viz.inference import Prediction
from udl_viz.result_cache import ResultCache, cache_key, decode, encode, shared_result
from udl_viz.singleflight import SingleFlight

ROOT = Path(__file__).resolve().parents[1]


def test_round_trip_keeps_dataclasses_arrays_tuples_and_int_keys():
    value = {"top": [Prediction(3, "cat", 0.5)], "maps": np.arange(6, dtype=np.float32).reshape(2, 3),
             "pair": (1, "a"), 7: None, "nan": float("nan")}
    back = decode(encode(value))
    assert back["top"] == [Prediction(3, "cat", 0.5)]
    np.testing.assert_array_equal(back["maps"], value["maps"])
    assert back["maps"].dtype == np.float32
    assert back["pair"] == (1, "a") and back[7] is None and np.isnan(back["nan"])


def test_keys_are_stable_and_refuse_objects():
    assert cache_key("predict", "m", ("k", 5)) == cache_key("predict", "m", ("k", 5))
    assert cache_key("predict", "m", 5) != cache_key("predict", "m", 6)
    with pytest.raises(TypeError):
        cache_key("x", object())


def test_only_udl_viz_dataclasses_are_built_back(tmp_path):
    cache = ResultCache(tmp_path, 10**6)
    path = cache.path("ab" * 20)
    path.parent.mkdir(parents=True)
    forged = json.dumps({"format": 1, "value": {"__dataclass__": "os:system", "fields": {"command": "true"}}})
    with path.open("wb") as f:
        np.savez(f, __meta__=np.frombuffer(forged.encode(), np.uint8))
    assert cache.get("ab" * 20, "missing") == "missing"
    assert not path.exists()


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b"not a zip", lambda b: b""])
def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path, damage):
    cache = ResultCache(tmp_path, 10**6)
    key = cache_key("damaged")
    cache.put(key, {"maps": np.ones((50, 50))})
    cache.path(key).write_bytes(damage(cache.path(key).read_bytes()))
    assert cache.get(key, "missing") == "missing"
    assert not cache.path(key).exists()
    cache.put(key, 42)
    assert cache.get(key) == 42


def test_eviction_removes_least_recently_used_first(tmp_path):
    entry = len(encode(np.zeros(1000)))
    cache = ResultCache(tmp_path, 5 * entry)
    keys = [cache_key("entry", i) for i in range(5)]
    for i, key in enumerate(keys):
        cache.put(key, np.full(1000, float(i)))
        os.utime(cache.path(key), (1000 + i, 1000 + i))
    assert cache.get(keys[0]) is not None  # used just now: now the most recent
    cache.put(cache_key("entry", 5), np.zeros(1000))  # over the bound: evict down to 80%
    left = {key for key in keys if cache.path(key).exists()}
    assert keys[0] in left and keys[1] not in left
    assert cache.size() <= 5 * entry


def test_eviction_counts_unit_indexes_and_removes_both_files_of_one(tmp_path):
    (tmp_path / "index").mkdir()
    for suffix in (".npz", ".json"):
        old = tmp_path / "index" / f"model-layer-abc{suffix}"
        old.write_bytes(b"x" * 4000)
        os.utime(old, (1000, 1000))
    cache = ResultCache(tmp_path, 6_000)
    cache.put(cache_key("new"), np.zeros(100))
    assert not list((tmp_path / "index").iterdir())
    assert cache.get(cache_key("new")) is not None


def test_an_entry_bigger_than_the_bound_is_not_stored(tmp_path):
    cache = ResultCache(tmp_path, 100)
    assert cache.put(cache_key("big"), np.zeros(1000)) is False
    assert cache.get(cache_key("big")) is None


def test_threads_writing_and_reading_one_key_never_see_half_an_entry(tmp_path):
    cache = ResultCache(tmp_path, 10**8)
    key = cache_key("same")
    seen, errors = [], []

    def work(i: int) -> None:
        try:
            for _ in range(20):
                cache.put(key, np.full(20_000, float(i)))
                value = cache.get(key)
                seen.append(value is not None and len(set(value.tolist())) == 1)
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and all(seen) and len(seen) == 120
    assert not list(tmp_path.glob("results/??/.tmp-*"))


WRITER = """
import sys
from pathlib import Path
import numpy as np
from udl_viz.result_cache import ResultCache, cache_key
cache, i, whole = ResultCache(Path(sys.argv[1]), 10**8), float(sys.argv[2]), 0
for _ in range(15):
    cache.put(cache_key("same"), np.full(20_000, i))
    value = cache.get(cache_key("same"))
    whole += value is not None and len(set(value.tolist())) == 1
print(whole)
"""


def test_processes_writing_one_key_never_see_half_an_entry(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(i)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for i in range(4)]
    assert [p.communicate()[0].strip() for p in procs] == ["15"] * 4


def test_one_process_reuses_what_another_computed(tmp_path, monkeypatch):
    monkeypatch.setenv("UDL_VIZ_CACHE", str(tmp_path))
    script = ("import numpy as np; from udl_viz.result_cache import shared_result; "
              "shared_result(('demo', 'k', 3), lambda: {'maps': np.arange(3.0)})")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, env={**os.environ})

    def must_not_run():
        raise AssertionError("computed again although another process had stored it")

    value = shared_result(("demo", "k", 3), must_not_run)
    np.testing.assert_array_equal(value["maps"], [0.0, 1.0, 2.0])


def _start_together(flight: SingleFlight, key, fn, n: int):
    """Start n callers of ``flight.do(key, fn)``; returns (threads, results, errors)."""
    results, errors = [], []

    def call() -> None:
        try:
            results.append(flight.do(key, fn))
        except Exception as exc:  # noqa: BLE001 (collected and asserted by the caller)
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, results, errors


def test_concurrent_identical_requests_are_computed_once():
    flight, release, calls = SingleFlight(), threading.Event(), []

    def heavy() -> str:
        calls.append(1)
        release.wait()
        return "map"

    threads, results, errors = _start_together(flight, "key", heavy, 8)
    while flight.waiting("key") < 7:  # all but the first are waiting for it
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join()
    assert calls == [1] and results == ["map"] * 8 and errors == []
    assert flight.do("key", lambda: "again") == "again"  # finished calls are not remembered


def test_different_keys_do_not_wait_for_each_other():
    flight, release = SingleFlight(), threading.Event()
    threads, results, _ = _start_together(flight, "slow", lambda: release.wait() and "slow", 1)
    assert flight.do("fast", lambda: "fast") == "fast"  # while "slow" is still running
    assert results == []
    release.set()
    threads[0].join()
    assert results == ["slow"]


def test_an_error_of_the_first_caller_reaches_every_waiter():
    flight, release = SingleFlight(), threading.Event()

    def failing():
        release.wait()
        raise ValueError("bad image")

    threads, results, errors = _start_together(flight, "key", failing, 4)
    while flight.waiting("key") < 3:
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join()
    assert results == [] and len(errors) == 4 and all(str(e) == "bad image" for e in errors)


class _Stopped(BaseException):
    """Like streamlit stopping one session's script run."""


def test_waiters_recompute_when_the_first_caller_was_stopped():
    flight, release, calls = SingleFlight(), threading.Event(), []

    def first():
        release.wait()
        raise _Stopped

    stopped = []

    def leader() -> None:
        try:
            flight.do("key", first)
        except _Stopped:
            stopped.append(True)

    lead = threading.Thread(target=leader)
    lead.start()
    while not flight._calls:
        threading.Event().wait(0.01)
    threads, results, errors = _start_together(flight, "key", lambda: calls.append(1) or "map", 3)
    while flight.waiting("key") < 3:
        threading.Event().wait(0.01)
    release.set()
    for t in [lead, *threads]:
        t.join()
    assert stopped == [True] and results == ["map"] * 3 and errors == [] and 1 <= len(calls) <= 3
