"""Helpers shared by the subcommands that print JSON lines."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit(record: dict[str, Any]) -> None:
    """Print one JSON object on its own line and flush, so pipelines see it at once."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()
