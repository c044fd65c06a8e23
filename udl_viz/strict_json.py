"""JSON that every reader accepts: no NaN or Infinity, no unpaired surrogates."""

from __future__ import annotations

import math
from typing import Any


def strict(value: Any) -> Any:
    """``value`` made strict-JSON safe: non-finite floats become ``None``, unpaired surrogates U+FFFD."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        # a file name that is not valid UTF-8 arrives with surrogate escapes; print it readable
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {strict(k): strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value
