"""`--help` and argument errors come back without importing torch; the parsers' name tables match the engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import contextlib, io, sys
from udl_viz.cli import build_parser, main

parser = build_parser()
commands = [["--help"]] + [[name, "--help"] for name in parser._subparsers._group_actions[0].choices]
commands += [["patches", "merge", "--help"], ["embeddings", "pairs", "--help"]]
for argv in commands:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            main(argv)
        except SystemExit as done:
            assert done.code == 0, argv
    assert "usage:" in out.getvalue(), argv
errors = io.StringIO()
with contextlib.redirect_stderr(errors):
    codes = [main(["descend", "--surface", "quadratic", "--optimizer", "adam", "--lr", "nan", "--steps", "1",
                   "--start=1,1"]),
             main(["explain", "--method", "ig", "--set", "steps=inf", "--out-dir", ".", "x.png"]),
             main(["predict", "--top", "0", "x.png"])]
assert codes == [2, 2, 2], codes
heavy = sorted(m for m in ("torch", "numpy", "captum", "lime", "gensim", "PIL") if m in sys.modules)
print(len(commands), heavy)
"""


def test_help_and_argument_errors_import_no_torch():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    count, heavy = done.stdout.split(maxsplit=1)
    assert int(count) >= 9 and heavy.strip() == "[]"


def test_name_tables_match_the_engine_registries():
    from udl_viz.attribution import METHODS
    from udl_viz.cli import catalog
    from udl_viz.optim.optimizers import OPTIMIZERS
    from udl_viz.optim.surfaces import ALL

    assert {name: (s.dim, s.title) for name, s in ALL.items()} == catalog.SURFACES
    assert {name: (o.label, o.blurb, tuple(h.name for h in o.hypers))
                                  for name, o in OPTIMIZERS.items()} == catalog.OPTIMIZERS
    assert {name: m.label for name, m in METHODS.items()} == catalog.METHODS


def test_predicting_with_the_default_model_does_not_import_torchvision():
    """torchvision (about 2 s to import) is for its own models only; predict's start-up skips it."""
    probe = ("import sys\nfrom udl_viz.cli.loading import registry_model\nfrom udl_viz.runtime import Forward\n"
             "spec, model = registry_model('efficientnet_lite0')\nForward(model, spec)\nspec.class_names()\n"
             "print('torchvision' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_imagenet_class_names_are_torchvisions():
    from torchvision.models import ResNet18_Weights

    from udl_viz.models.imagenet import imagenet_classes

    assert imagenet_classes() == list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
