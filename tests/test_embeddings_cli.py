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
    code, rows, _ = run_cli(capsys, "neighbours", "Israeli", "--topn", "3")
    assert code == 0 and len(rows) == 3 and rows[0]["neighbour"] == "palestinian"
    assert rows[0]["cosine"] >= rows[1]["cosine"] >= rows[2]["cosine"]
    code, rows, _ = run_cli(capsys, "analogy", "france", "french", "germany", "--topn", "1")
    assert code == 0 and rows == [{"a": "france", "b": "french", "c": "germany", "answer": "german",
                                   "cosine": pytest.approx(rows[0]["cosine"])}]


@pytest.mark.parametrize("args, message", [
    (("pairs", "--text", "?!"), "at least two words"),
    (("pairs", "--window", "0"), "--window"),
    (("pairs", "--centre", "banana"), "banana"),
    (("negatives", "--k", "-1"), "--k"),
    (("neighbours", "qwertyuiop"), "qwertyuiop"),
    (("analogy", "a", "b", "zzzz"), "zzzz"),
    (("neighbours", "fire", "--vectors", "nope"), "invalid choice: 'nope'"),
])
def test_bad_input_exits_2_with_a_message(capsys, args, message):
    code, rows, err = run_cli(capsys, *args)
    assert code == 2 and rows == [] and message in err
