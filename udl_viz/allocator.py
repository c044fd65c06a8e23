"""Keep freed memory for reuse: glibc's allocator settings for a process that runs many forward passes.

torch's CPU tensors come from ``malloc``. With glibc's defaults, each large activation buffer of a
forward pass is either mapped fresh or trimmed back to the system when freed, so the next batch
pays page faults (and the kernel zeroing those pages) again. Raising the mmap threshold to glibc's
largest (32 MiB) and the trim threshold to 256 MiB keeps freed buffers in the heap: on the 2-core
machines here a float32 forward of EfficientNet-Lite0 at batch 10 went from 18 to 11 ms per image,
and the LIME page's preprocessing of each batch of perturbed images stopped costing as much as a
third of the forward pass. The process keeps up to the trim threshold of freed memory.

Entry points (the CLI, the app) call ``keep_freed_memory()`` once; importing udl_viz changes nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # glibc refuses more than half its 64 MiB heap size
TRIM_THRESHOLD = 256 * 2**20


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds (see the module doc); False where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    # The mmap threshold first: setting either one turns off glibc's dynamic adjustment of both.
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
