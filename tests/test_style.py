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


@pytest.mark.parametrize("page", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda page: page.name)
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


def _functions(path: Path) -> list[ast.FunctionDef]:
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.FunctionDef)]


def _check_figure_function(module: str, function: ast.FunctionDef) -> None:
    args = function.args
    positional = args.posonlyargs + args.args
    optional = {a.arg for a in positional[len(positional) - len(args.defaults):]}
    optional |= {a.arg for a, default in zip(args.kwonlyargs, args.kw_defaults, strict=True) if default}
    where = f"{module}:{function.name}"
    if function.name.endswith("_figure"):
        assert "title" in {a.arg for a in positional + args.kwonlyargs} - optional, f"{where} needs a title"
    elif not function.name.startswith("_") and function.returns is not None:
        # Helpers that finish a figure they are given are the one exception.
        assert ast.unparse(function.returns) != "go.Figure" or positional[0].arg == "fig", \
            f"{where} returns a figure, so its name should end in _figure"


def test_figures_take_a_required_title_and_follow_one_naming_rule():
    """``udl_viz/figures``: every ``*_figure`` takes a title without a default; whatever returns a figure is one."""
    for path in sorted((ROOT / "udl_viz" / "figures").glob("*.py")):
        for function in _functions(path):
            _check_figure_function(path.name, function)


def test_figures_import_neither_torch_nor_streamlit():
    code = ("import importlib, pkgutil, sys, udl_viz.figures as f\n"
            "for m in pkgutil.iter_modules(f.__path__): importlib.import_module(f'udl_viz.figures.{m.name}')\n"
            "print(sorted({'torch', 'streamlit'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _asserts(node: ast.AST, helpers: dict[str, ast.FunctionDef], depth: int = 0) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Assert):
            return True
        if isinstance(inner, ast.Call):
            called = ast.unparse(inner.func)
            if called in ("pytest.raises", "pytest.warns", "pytest.fail") or called.split(".")[-1].startswith("assert"):
                return True
            if called in helpers and depth < 3 and _asserts(helpers[called], helpers, depth + 1):
                return True
    return False


def test_every_test_asserts_something():
    """A test passes because something was checked: an assert, ``pytest.raises`` or a helper that does one."""
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        helpers = {function.name: function for function in _functions(path)}
        for name, function in helpers.items():
            if name.startswith("test"):
                assert _asserts(function, helpers), f"{path.name}:{name} checks nothing"
