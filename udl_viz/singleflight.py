"""Single-flight: concurrent identical requests in one process are computed once.

When ten sessions ask for the same heavy result at the same moment, the first caller computes
it and the other nine wait for that answer instead of repeating the work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class _Call:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.waiting = 0


class SingleFlight:
    """Run ``fn`` once per key among the callers that overlap in time; later callers recompute."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Hashable, _Call] = {}

    def do(self, key: Hashable, fn: Callable[[], T]) -> T:
        """``fn()``, or the result of the identical call already running in another thread.

        An ``Exception`` of the first caller is raised in every waiting caller. A ``BaseException``
        that is not an ``Exception`` (streamlit stopping the first caller's script run, a
        ``KeyboardInterrupt``) belongs to that caller alone: the waiting callers try again.
        """
        while True:
            with self._lock:
                call = self._calls.get(key)
                leader = call is None
                if leader:
                    call = self._calls[key] = _Call()
                else:
                    call.waiting += 1
            if leader:
                return self._lead(key, call, fn)
            call.done.wait()
            if call.error is None:
                return call.value
            if isinstance(call.error, Exception):
                raise call.error

    def _lead(self, key: Hashable, call: _Call, fn: Callable[[], T]) -> T:
        try:
            call.value = fn()
            return call.value
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()

    def waiting(self, key: Hashable) -> int:
        """How many callers are waiting for the call running for ``key`` (0 when none runs)."""
        with self._lock:
            call = self._calls.get(key)
            return 0 if call is None else call.waiting
