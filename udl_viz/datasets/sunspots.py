"""Yearly mean sunspot numbers, 1700-2008, from statsmodels' bundled data set."""

from __future__ import annotations

import numpy as np


def load_sunspots() -> tuple[np.ndarray, np.ndarray]:
    """Years and yearly mean sunspot numbers, from statsmodels' bundled data set."""
    from statsmodels.datasets import sunspots

    data = sunspots.load_pandas().data
    return data["YEAR"].to_numpy(dtype=int), data["SUNACTIVITY"].to_numpy(dtype=np.float32)
