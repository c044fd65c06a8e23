"""keep_freed_memory: freed tensor-sized buffers stay in the heap for the next forward pass."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.browser import ROOT

PROBE = textwrap.dedent("""
    import ctypes, sys
    import numpy as np
    from udl_viz.allocator import keep_freed_memory

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    kept = keep_freed_memory() if sys.argv[1] == "keep" else None
    if sys.argv[1] == "app":
        import udl_viz.ui  # noqa: F401  (what every page imports first)
    if sys.argv[1] == "cli":
        import contextlib, io, runpy
        sys.argv = ["udl_viz", "--help"]
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
            runpy.run_module("udl_viz", run_name="__main__")
    arrays = [np.ones(2**20, dtype=np.float32) for _ in range(30)]  # 30 buffers of 4 MiB, as activations are
    del arrays
    print(kept, libc.mallinfo2().fordblks / 2**20)
""")


def free_mib_after_buffers(mode: str) -> tuple[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    kept, free = out.stdout.split()
    return kept, float(free)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings are Linux-only")
def test_freed_buffers_stay_in_the_heap_only_after_keep_freed_memory():
    kept, free = free_mib_after_buffers("keep")
    assert kept == "True"
    assert free >= 100  # the 120 MiB freed is kept for reuse
    _, free_default = free_mib_after_buffers("default")
    assert free_default < 16  # glibc's defaults return it to the system: the next batch faults it in again


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings are Linux-only")
def test_the_app_keeps_freed_memory():
    assert free_mib_after_buffers("app")[1] >= 100


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings are Linux-only")
def test_the_cli_keeps_freed_memory():
    assert free_mib_after_buffers("cli")[1] >= 100
