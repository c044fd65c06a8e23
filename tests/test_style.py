"""The code base stays ruff clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import ROOT


def test_ruff_is_clean():
    # The venv's ruff even when the venv is not activated; ruff is in requirements.txt, so missing it fails.
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff is not None, "ruff is not installed: pip install -r requirements.txt"
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


MAX_PAGE_LINES = 150
ENGINE_ONLY = ("numpy", "pandas", "torch")


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda page: page.name)
def test_pages_are_thin(page: Path):
    """A page reads widgets and calls the engine or ``udl_viz/ui``: short, and no numpy, pandas or torch."""
    source = page.read_text()
    assert len(source.splitlines()) <= MAX_PAGE_LINES, f"{page.name} has more than {MAX_PAGE_LINES} lines"
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & set(ENGINE_ONLY), f"{page.name} imports {sorted(imported & set(ENGINE_ONLY))}"
